package com.onemember.hub.matching;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.MatchModelsApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.MatchModel;
import com.onemember.api.client.model.MatchModelActivation;
import com.onemember.api.client.model.MatchModelActivationRequest;
import com.onemember.api.client.model.MatchModelImpact;
import com.onemember.api.client.model.MatchModelImpactExample;
import com.onemember.api.client.model.MatchModelRequest;
import com.onemember.api.client.model.MatchModelWeights;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.MergeLogEntry;
import com.onemember.hub.support.HubIT;
import com.onemember.mdm.matchmodels.MatchEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The governed model over HTTP: training and a change of thresholds store a model that decides
 * nothing; its dry run says what it would change; only an activation with a reason makes it decide,
 * logged in the merge log, and even then no stored member changes.
 */
class MatchModelsIT extends HubIT {

  @Autowired MatchEngine engine;

  @Test
  void aRetrainedModelChangesNoMemberUntilActivated() throws Exception {
    // a store member and a WeChat follower with only a nickname and the phone: left to review
    importAndWait(
        "pos-store-79",
        "pos.csv",
        aSheet("姓名", "手机号", "性别", "生日").row("柳青", "13806790001", "女", "1985-04-11").gbkCsv());
    importAndWait(
        "wechat-mp-79",
        "wx.csv",
        aSheet("openid", "昵称", "手机号", "性别")
            .row("oW3x_86abcdef", "青青", "138 0679 0001", "2")
            .utf8Csv());
    assertThat(members().findMembers("13806790001").getItems()).hasSize(2);
    String before = models().listMatchModels().getActive();
    assertThat(before).isEqualTo(engine.matcher().version());
    int activations = activationEntries().size();

    MatchModel trained =
        models().createMatchModel(new MatchModelRequest().weights(MatchModelWeights.TRAINED));
    assertThat(trained.getActive()).isFalse();
    assertThat(trained.getTrainedRecords()).isPositive();
    assertThat(trained.getOrigin()).startsWith("trained on ");
    assertThat(trained.getCalibration())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.getProbability()).isBetween(0.0, 1.0));
    MatchModel lower =
        models()
            .createMatchModel(
                new MatchModelRequest()
                    .weights(MatchModelWeights.ACTIVE)
                    .mergeProbability(0.5)
                    .reviewProbability(0.3));
    assertThat(lower.getVersion()).isNotEqualTo(before);
    assertThat(models().listMatchModels().getItems())
        .extracting(MatchModel::getVersion)
        .contains(trained.getVersion(), lower.getVersion(), before);

    MatchModelImpact impact = models().getMatchModelImpact(lower.getVersion());
    assertThat(impact.getActiveVersion()).isEqualTo(before);
    assertThat(impact.getRecordsReplayed()).isPositive();
    assertThat(impact.getWouldMerge()).isPositive();
    assertThat(impact.getMembersAfter()).isLessThan(impact.getMembersNow());
    assertThat(impact.getExamples())
        .anySatisfy(
            e -> {
              assertThat(e.getChange()).isEqualTo(MatchModelImpactExample.ChangeEnum.MERGE);
              assertThat(e.getMembers()).hasSizeGreaterThan(1);
            });
    // training, a new threshold and a dry run changed nothing
    assertThat(members().findMembers("13806790001").getItems()).hasSize(2);
    assertThat(activationEntries()).hasSize(activations);
    assertThat(engine.matcher().version()).isEqualTo(before);

    try {
      MatchModelActivation done =
          models()
              .activateMatchModel(
                  lower.getVersion(),
                  new MatchModelActivationRequest()
                      .reason("核对门店数据后降低合并阈值 / lower merge threshold after checking the stores"));
      assertThat(done.getActivation().getPreviousVersion()).isEqualTo(before);
      assertThat(done.getImpact().getWouldMerge()).isEqualTo(impact.getWouldMerge());
      List<MergeLogEntry> logged = activationEntries();
      assertThat(logged).hasSize(activations + 1);
      MergeLogEntry entry = logged.get(logged.size() - 1);
      assertThat(entry.getSeq()).isEqualTo(done.getActivation().getMergeLogSeq());
      assertThat(entry.getActor()).isEqualTo(done.getActivation().getActivatedBy());
      assertThat(entry.getMemberIds()).isEmpty();
      assertThat(entry.getEvidence())
          .contains("\"version\":\"" + lower.getVersion() + "\"")
          .contains("\"previousVersion\":\"" + before + "\"")
          .contains("降低合并阈值")
          .contains("\"wouldMerge\":" + impact.getWouldMerge());
      assertThat(engine.matcher().version()).isEqualTo(lower.getVersion());

      // the stored pair is still apart: activation re-decides nothing already stored ...
      assertThat(members().findMembers("13806790001").getItems()).hasSize(2);
      // ... while the next pair of that shape is decided with the new model
      importAndWait(
          "pos-store-79",
          "pos-2.csv",
          aSheet("姓名", "手机号", "性别", "生日").row("柳红", "13806790002", "女", "1987-02-19").gbkCsv());
      importAndWait(
          "wechat-mp-79",
          "wx-2.csv",
          aSheet("openid", "昵称", "手机号", "性别")
              .row("oW3x_86ghijkl", "红红", "138 0679 0002", "2")
              .utf8Csv());
      var joined = members().findMembers("13806790002").getItems();
      assertThat(joined).hasSize(1);
      assertThat(
              audit()
                  .listMergeLog(
                      joined.get(0).getId(), null, null, null, null, MergeAction.MERGE, null, 10)
                  .getItems())
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getEvidence()).contains("\"model\":\"" + lower.getVersion() + "\""));
    } finally {
      models()
          .activateMatchModel(
              before,
              new MatchModelActivationRequest().reason("测试结束，恢复原模型 / the test restores the model"));
    }
    assertThat(engine.matcher().version()).isEqualTo(before);
  }

  @Test
  void theFirstStartActivatedTheShippedModelAsSystem() throws Exception {
    MergeLogEntry first = activationEntries().get(0);
    assertThat(first.getActor()).isEqualTo("system");
    assertThat(first.getEvidence()).contains("shipped model");
    MatchModel shipped =
        models()
            .getMatchModel(
                first.getEvidence().replaceAll(".*\"version\":\"([0-9a-f]{12})\".*", "$1"));
    assertThat(shipped.getOrigin()).startsWith("shipped model ");
    assertThat(shipped.getActivations()).isNotEmpty();
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    String active = engine.matcher().version();
    assertThatThrownBy(() -> models().getMatchModel("0123456789ab"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(
            () ->
                models()
                    .activateMatchModel(
                        "0123456789ab", new MatchModelActivationRequest().reason("试一下 / a try")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(
            () ->
                models().activateMatchModel(active, new MatchModelActivationRequest().reason("  ")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody()).contains("reason is required");
            });
    assertThatThrownBy(
            () ->
                models()
                    .activateMatchModel(
                        active, new MatchModelActivationRequest().reason("再次启用 / again")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody()).contains("is active already");
            });
    assertThatThrownBy(
            () ->
                models()
                    .createMatchModel(
                        new MatchModelRequest()
                            .weights(MatchModelWeights.ACTIVE)
                            .mergeProbability(0.6)
                            .reviewProbability(0.8)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody()).contains("is above mergeProbability");
            });
    assertThatThrownBy(
            () ->
                models()
                    .createMatchModel(
                        new MatchModelRequest()
                            .weights(MatchModelWeights.ACTIVE)
                            .mergeProbability(1.0)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }

  private List<MergeLogEntry> activationEntries() throws ApiException {
    return audit()
        .listMergeLog(null, null, null, null, null, MergeAction.MODEL_ACTIVATED, null, 1000)
        .getItems();
  }

  private MatchModelsApi models() {
    return new MatchModelsApi(apiClient());
  }

  private AuditApi audit() {
    return new AuditApi(apiClient());
  }
}
