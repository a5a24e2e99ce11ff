package com.onemember.hub.matchmodels;

import com.onemember.api.model.MatchModel;
import com.onemember.api.model.MatchModelActivation;
import com.onemember.api.model.MatchModelActivationRecord;
import com.onemember.api.model.MatchModelActivationRequest;
import com.onemember.api.model.MatchModelCalibration;
import com.onemember.api.model.MatchModelImpact;
import com.onemember.api.model.MatchModelImpactExample;
import com.onemember.api.model.MatchModelList;
import com.onemember.api.model.MatchModelRequest;
import com.onemember.api.model.MatchModelWeights;
import com.onemember.api.server.MatchModelsApi;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.matching.MatchThresholds;
import com.onemember.mdm.matchmodels.Activation;
import com.onemember.mdm.matchmodels.MatchEngine;
import com.onemember.mdm.matchmodels.MatchModelActivation.Activated;
import com.onemember.mdm.matchmodels.MatchModelDryRun;
import com.onemember.mdm.matchmodels.MatchModelStore;
import com.onemember.mdm.matchmodels.MatchModelTraining;
import com.onemember.mdm.matchmodels.ModelImpact;
import com.onemember.mdm.matchmodels.StoredMatchModel;
import com.onemember.mdm.stewardship.StewardshipRefused;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/match-models}. */
@RestController
class MatchModelsController implements MatchModelsApi {

  private final MatchModelStore store;
  private final MatchModelTraining training;
  private final MatchModelDryRun dryRun;
  private final com.onemember.mdm.matchmodels.MatchModelActivation activation;
  private final MatchEngine engine;

  MatchModelsController(
      MatchModelStore store,
      MatchModelTraining training,
      MatchModelDryRun dryRun,
      com.onemember.mdm.matchmodels.MatchModelActivation activation,
      MatchEngine engine) {
    this.store = store;
    this.training = training;
    this.dryRun = dryRun;
    this.activation = activation;
    this.engine = engine;
  }

  @Override
  public ResponseEntity<MatchModelList> listMatchModels() {
    String active = engine.matcher().version();
    MatchModelList list = new MatchModelList().active(active);
    store.list().forEach(m -> list.addItemsItem(view(m, active)));
    return ResponseEntity.ok(list);
  }

  @Override
  public ResponseEntity<MatchModel> createMatchModel(MatchModelRequest request) {
    MatchThresholds current = engine.matcher().thresholds();
    double merge =
        request.getMergeProbability() == null ? current.merge() : request.getMergeProbability();
    double review =
        request.getReviewProbability() == null ? current.review() : request.getReviewProbability();
    if (review > merge) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "bad-thresholds",
          "复核阈值不能高于合并阈值 / reviewProbability " + review + " is above mergeProbability " + merge);
    }
    MatchThresholds thresholds = new MatchThresholds(merge, review);
    String actor = actor();
    StoredMatchModel made;
    try {
      made =
          request.getWeights() == MatchModelWeights.TRAINED
              ? training.train(thresholds, actor)
              : training.withThresholds(thresholds, actor);
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "too-few-records");
    }
    return ResponseEntity.status(HttpStatus.CREATED).body(view(made, engine.matcher().version()));
  }

  @Override
  public ResponseEntity<MatchModel> getMatchModel(String version) {
    return ResponseEntity.ok(view(find(version), engine.matcher().version()));
  }

  @Override
  public ResponseEntity<MatchModelImpact> getMatchModelImpact(String version) {
    return ResponseEntity.ok(view(dryRun.impact(find(version))));
  }

  @Override
  public ResponseEntity<MatchModelActivation> activateMatchModel(
      String version, MatchModelActivationRequest request) {
    if (request.getReason() == null || request.getReason().isBlank()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "reason-required",
          "请写明启用原因 / a reason is required: the merge log keeps it for the auditors.");
    }
    Activated done;
    try {
      done = activation.activate(version, actor(), request.getReason());
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "already-active");
    }
    return ResponseEntity.ok(
        new MatchModelActivation().activation(view(done.activation())).impact(view(done.impact())));
  }

  private StoredMatchModel find(String version) {
    return store
        .find(version)
        .orElseThrow(() -> ApiProblem.notFound("匹配模型 / match model", version));
  }

  private static String actor() {
    return SecurityContextHolder.getContext().getAuthentication().getName();
  }

  private MatchModel view(StoredMatchModel m, String active) {
    MatchModel out =
        new MatchModel()
            .version(m.version())
            .origin(m.origin())
            .mergeProbability(m.thresholds().merge())
            .reviewProbability(m.thresholds().review())
            .trainedRecords(m.trainedRecords())
            .trainingPairs(m.trainingPairs())
            .createdAt(utc(m.createdAt()))
            .createdBy(m.createdBy())
            .active(m.version().equals(active));
    m.calibration()
        .forEach(
            c ->
                out.addCalibrationItem(
                    new MatchModelCalibration()
                        .pattern(c.pattern())
                        .pairs(c.pairs())
                        .probability(c.probability())
                        .activeProbability(c.activeProbability())));
    store.activations(m.version()).forEach(a -> out.addActivationsItem(view(a)));
    return out;
  }

  private static MatchModelActivationRecord view(Activation a) {
    return new MatchModelActivationRecord()
        .version(a.version())
        .previousVersion(a.previousVersion())
        .activatedAt(utc(a.activatedAt()))
        .activatedBy(a.activatedBy())
        .reason(a.reason())
        .mergeLogSeq(a.mergeLogSeq());
  }

  private static MatchModelImpact view(ModelImpact i) {
    MatchModelImpact out =
        new MatchModelImpact()
            .version(i.version())
            .activeVersion(i.activeVersion())
            .recordsStored(i.recordsStored())
            .recordsReplayed(i.recordsReplayed())
            .membersNow(i.membersNow())
            .membersAfter(i.membersAfter())
            .wouldMerge(i.wouldMerge())
            .wouldSplit(i.wouldSplit())
            .reviewPairsNow(i.reviewPairsNow())
            .reviewPairsAfter(i.reviewPairsAfter());
    i.examples()
        .forEach(
            e ->
                out.addExamplesItem(
                    new MatchModelImpactExample()
                        .change(MatchModelImpactExample.ChangeEnum.fromValue(e.change().name()))
                        .sourceRecords(e.sourceRecords())
                        .members(e.members())));
    return out;
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
