package com.onemember.hub.members;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.ManualMergeRequest;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.MergeLogEntry;
import com.onemember.api.client.model.UnmergeRequest;
import com.onemember.api.client.model.UnmergeResult;
import com.onemember.hub.support.HubIT;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A wrong merge undone by a steward stays undone, whatever is imported afterwards. */
class UnmergeIT extends HubIT {

  @Test
  void anUnmergeSurvivesReImportingTheSameFilesAndABridgingRecord() throws Exception {
    byte[] pos = aSheet("姓名", "手机号", "生日").row("王伟", "13709500001", "1985-06-01").gbkCsv();
    byte[] sheet = aSheet("姓名", "手机号", "生日").row("王玮", "137-0950-0001", "1985.6.1").utf8Csv();
    importAndWait("pos-store-95", "pos.csv", pos);
    importAndWait("store-95", "sheet.csv", sheet);
    Member merged = members().findMembers("13709500001").getItems().get(0);
    assertThat(merged.getSourceRecords()).hasSize(2);
    String sheetRecord =
        merged.getSourceRecords().stream()
            .filter(r -> r.getSource().equals("store-95"))
            .map(r -> r.getSource() + ":" + r.getSourceRecordId())
            .findFirst()
            .orElseThrow();

    UnmergeResult split =
        members()
            .unmergeMember(
                merged.getId(),
                new UnmergeRequest()
                    .sourceRecords(List.of(sheetRecord))
                    .reason("王玮是王伟的弟弟，共用家里电话 / 王玮 is his brother, same family phone"));
    assertThat(split.getRemaining().getId()).isEqualTo(merged.getId());
    assertThat(split.getRemaining().getName()).isEqualTo("王伟");
    assertThat(split.getSplitOff().getName()).isEqualTo("王玮");
    assertThat(split.getSplitOff().getSourceRecords()).hasSize(1);

    // the next exports from both sources hold the same rows again: nothing merges back
    ImportJob again =
        importAndWait(
            "pos-store-95",
            "pos-again.csv",
            aSheet("姓名", "手机号", "生日")
                .row("王伟", "13709500001", "1985-06-01")
                .row("钱芳", "13709500009", "1990-01-01")
                .gbkCsv());
    importAndWait(
        "store-95",
        "sheet-again.csv",
        aSheet("姓名", "手机号", "生日")
            .row("王玮", "137-0950-0001", "1985.6.1")
            .row("钱芳", "13709500009", "1990.1.1")
            .utf8Csv());
    assertThat(again.getCounts().getUnchanged()).isEqualTo(1);
    // a new record that fits both cannot bridge them either
    importAndWait(
        "wechat-mp-95",
        "wx.csv",
        aSheet("姓名", "手机号", "生日").row("王伟", "13709500001", "1985-06-01").utf8Csv());
    assertThat(members().findMembers("13709500001").getItems())
        .extracting(Member::getId)
        .contains(split.getRemaining().getId(), split.getSplitOff().getId());
    assertThat(members().getMember(split.getSplitOff().getId()).getSourceRecords()).hasSize(1);

    List<MergeLogEntry> log =
        new AuditApi(apiClient())
            .listMergeLog(merged.getId(), null, null, null, null, MergeAction.UNMERGE, null, 10)
            .getItems();
    assertThat(log)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getMemberIds())
                  .containsExactly(split.getRemaining().getId(), split.getSplitOff().getId());
              assertThat(e.getSourceRecords()).containsExactly(sheetRecord);
              assertThat(e.getEvidence()).contains("brother");
            });
    assertThat(members().getMemberHistory(split.getSplitOff().getId()).getVersions())
        .singleElement()
        .satisfies(v -> assertThat(v.getCause()).contains("unmerged"));

    // and a steward merging them by hand is told why not
    assertThatThrownBy(
            () ->
                members()
                    .mergeMembers(
                        split.getRemaining().getId(),
                        new ManualMergeRequest()
                            .otherMemberId(split.getSplitOff().getId())
                            .reason("oops")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void anUnmergeNamingRecordsThatAreNotTheMembersOrAllOfThemIsRefused() throws Exception {
    importAndWait(
        "pos-store-96",
        "pos.csv",
        aSheet("会员卡号", "姓名", "手机号").row("9600001", "林平之", "13709600001").gbkCsv());
    Member member = members().findMembers("13709600001").getItems().get(0);

    for (List<String> records :
        List.of(List.of("pos-store-96:card:9600001"), List.of("pos-store-96:card:nobody"))) {
      assertThatThrownBy(
              () ->
                  members()
                      .unmergeMember(
                          member.getId(),
                          new UnmergeRequest().sourceRecords(records).reason("test")))
          .as(records.toString())
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }
    assertThatThrownBy(
            () ->
                members()
                    .unmergeMember(
                        member.getId(),
                        new UnmergeRequest().sourceRecords(List.of()).reason("test")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }
}
