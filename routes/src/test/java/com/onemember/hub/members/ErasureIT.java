package com.onemember.hub.members;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ErasureRequest;
import com.onemember.api.client.model.ErasureResult;
import com.onemember.api.client.model.GoldenEvent;
import com.onemember.api.client.model.GoldenEventType;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.TagRequest;
import com.onemember.hub.support.HubIT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** A customer asks to be forgotten: nothing personal stays, the audit trail does. */
class ErasureIT extends HubIT {

  private static final String[] POS = {"会员卡号", "姓名", "手机号", "生日", "地址"};
  private static final String PHONE = "13706600001";

  @Autowired JdbcTemplate jdbc;

  @Test
  void anErasedMembersPersonalDataIsGoneEverywhereButTheAuditTrailStays() throws Exception {
    byte[] pos = aSheet(POS).row("6600001", "孙俪", PHONE, "1982-09-26", "上海市徐汇区漕溪北路88号").gbkCsv();
    importAndWait("pos-store-66", "pos.csv", pos);
    importAndWait(
        "web-shop-66",
        "customers.csv",
        aSheet("客户编号", "姓名", "手机号", "邮箱")
            .row("w66-1", "孙俪", "137 0660 0001", "sunli0926@163.com")
            .utf8Csv());
    List<Member> found = members().findMembers(PHONE).getItems();
    assertThat(found).hasSize(1);
    Member sun = found.get(0);
    assertThat(sun.getSourceRecords()).hasSize(2);
    members().addMemberTag(sun.getId(), new TagRequest().name("老客户").note("孙俪常来"));
    long before = lastChangePosition();

    ErasureResult erased =
        members()
            .eraseMember(
                sun.getId(),
                new ErasureRequest()
                    .reason("本人申请删除，工单 2026-1123-07 / customer request 2026-1123-07"));
    assertThat(erased.getSourceRecords())
        .containsExactlyInAnyOrder("pos-store-66:card:6600001", "web-shop-66:ext:w66-1");

    assertThatThrownBy(() -> members().getMember(sun.getId()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(410);
              assertThat(e.getResponseBody()).contains("erased");
            });
    assertThat(members().findMembers(PHONE).getItems()).isEmpty();
    for (String personal : List.of(PHONE, "孙俪", "sunli0926", "漕溪北路")) {
      assertThat(tablesHolding(personal)).as(personal).isEmpty();
    }

    // consumers are told, with the records to erase on their side; earlier events lost their data
    List<GoldenEvent> events =
        changesAfter(0).stream().filter(e -> e.getMemberId().equals(sun.getId())).toList();
    GoldenEvent last = events.get(events.size() - 1);
    assertThat(last.getType()).isEqualTo(GoldenEventType.ERASED);
    assertThat(last.getPosition()).isGreaterThan(before);
    assertThat(last.getSourceRecords()).hasSize(2);
    assertThat(events)
        .allSatisfy(
            e -> assertThat(e.getMember() == null || e.getMember().getName() == null).isTrue());

    // the audit trail stays whole and says what happened
    AuditApi audit = new AuditApi(apiClient());
    assertThat(
            audit
                .listMergeLog(sun.getId(), null, null, null, null, MergeAction.ERASURE, null, 10)
                .getItems())
        .singleElement()
        .satisfies(e -> assertThat(e.getEvidence()).contains("2026-1123-07"));
    assertThat(
            audit
                .listMergeLog(sun.getId(), null, null, null, null, MergeAction.MERGE, null, 10)
                .getItems())
        .isNotEmpty();
    assertThat(audit.verifyMergeLog().getOk()).isTrue();

    // the next export, holding her unchanged row, does not bring her back; a changed record is
    // refused with the reason
    ImportJob again =
        importAndWait(
            "pos-store-66",
            "pos-2026-12.csv",
            aSheet(POS)
                .row("6600001", "孙俪", PHONE, "1982-09-26", "上海市徐汇区漕溪北路88号")
                .row("6600002", "杜鹃", "13706600002", "1986-05-21", "")
                .gbkCsv());
    assertThat(again.getCounts().getUnchanged()).isEqualTo(1);
    assertThat(again.getCounts().getCreated()).isEqualTo(1);
    assertThat(members().findMembers(PHONE).getItems()).isEmpty();
    ImportJob changed =
        importAndWait(
            "pos-store-66",
            "pos-changed.csv",
            aSheet(POS).row("6600001", "孙俪", PHONE, "1982-09-26", "上海市静安区").gbkCsv());
    assertThat(changed.getCounts().getRejected()).isEqualTo(1);
    String report =
        new String(
            Files.readAllBytes(imports().getImportRows(changed.getId()).toPath()),
            StandardCharsets.UTF_8);
    assertThat(report).contains("erased at the person's request");

    assertThatThrownBy(
            () -> members().eraseMember(sun.getId(), new ErasureRequest().reason("again")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThatThrownBy(
            () -> members().eraseMember(UUID.randomUUID(), new ErasureRequest().reason("x")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  /** The tables holding {@code text}. */
  private List<String> tablesHolding(String text) {
    List<String> holding = new ArrayList<>();
    String like = "%" + text + "%";
    String[][] columns = {
      {"source_record", "raw::text || clean::text"},
      {"source_record_revision", "raw::text || clean::text"},
      {"match_key", "key"},
      {"member", "golden::text"},
      {"member_version", "golden::text || cause"},
      {"golden_event", "payload::text"},
      {"dead_letter", "payload::text"},
      {"match_review", "assessment::text"},
      {"member_tag", "name || note"},
      {"import_row", "raw::text || coalesce(record::text, '')"},
      {"connector_document", "document::text"},
      {"connector_rejection", "raw::text"},
      // the merge log is kept whole: it must not have held personal data in the first place
      {"merge_log", "evidence::text || array_to_string(source_records, ',')"},
    };
    for (String[] c : columns) {
      Integer n =
          jdbc.queryForObject(
              "select count(*) from " + c[0] + " where " + c[1] + " like ?", Integer.class, like);
      if (n != null && n > 0) {
        holding.add(c[0] + " (" + n + ")");
      }
    }
    return holding;
  }
}
