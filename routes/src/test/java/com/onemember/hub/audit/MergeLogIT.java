package com.onemember.hub.audit;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.MergeLogEntry;
import com.onemember.api.client.model.MergeLogVerification;
import com.onemember.hub.support.HubIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The merge log: what the matcher did, findable by member and record, and tamper-evident. */
class MergeLogIT extends HubIT {

  @Autowired JdbcTemplate jdbc;

  private AuditApi audit() {
    return new AuditApi(apiClient());
  }

  @Test
  void everyNewMemberAndMergeIsLoggedWithItsEvidenceAndTheChainVerifies() throws Exception {
    importAndWait(
        "pos-store-81",
        "pos.csv",
        aSheet("姓名", "手机号", "生日").row("王伟", "13708100001", "1985-06-01").gbkCsv());
    importAndWait(
        "store-81",
        "sheet.csv",
        aSheet("姓名", "手机号", "生日").row("王玮", "137-0810-0001", "1985.6.1").utf8Csv());
    UUID member = members().findMembers("13708100001").getItems().get(0).getId();

    List<MergeLogEntry> entries =
        audit().listMergeLog(member, null, null, null, null, null, null, 100).getItems();
    assertThat(entries)
        .extracting(MergeLogEntry::getAction)
        .containsExactly(MergeAction.NEW_MEMBER, MergeAction.MERGE);
    MergeLogEntry merge = entries.get(1);
    assertThat(merge.getMemberIds()).containsExactly(member);
    assertThat(merge.getSourceRecords()).singleElement().asString().startsWith("store-81:");
    assertThat(merge.getActor()).isEqualTo("matcher");
    assertThat(merge.getEvidence()).contains("same pinyin").contains("merge 0.95");
    assertThat(merge.getPrevHash()).hasSize(64);
    assertThat(merge.getHash()).hasSize(64).isNotEqualTo(merge.getPrevHash());

    String record = merge.getSourceRecords().get(0);
    assertThat(audit().listMergeLog(null, record, null, null, null, null, null, 100).getItems())
        .extracting(MergeLogEntry::getSeq)
        .containsExactly(merge.getSeq());
    assertThat(
            audit()
                .listMergeLog(member, null, null, null, "steward:nobody", null, null, 100)
                .getItems())
        .isEmpty();

    MergeLogVerification ok = audit().verifyMergeLog();
    assertThat(ok.getOk()).isTrue();
    assertThat(ok.getEntries()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void theDatabaseRefusesToUpdateOrDeleteAnEntry() throws Exception {
    importAndWait("pos-store-82", "pos.csv", aSheet("姓名", "手机号").row("钱芳", "13708200001").gbkCsv());
    long seq = jdbc.queryForObject("select max(seq) from merge_log", Long.class);
    assertThatThrownBy(() -> jdbc.update("update merge_log set actor = 'me' where seq = ?", seq))
        .rootCause()
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.update("delete from merge_log where seq = ?", seq))
        .rootCause()
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.update("truncate merge_log"))
        .rootCause()
        .hasMessageContaining("append-only");
  }

  @Test
  void anEntryNotSealedYetCanOnlyBeSealedNotEdited() {
    // written and edited in one transaction, before any sealer can see it
    assertThatThrownBy(
            () ->
                jdbc.execute(
                    """
                    do $$
                    declare s bigint;
                    begin
                      insert into merge_log (at, action, member_ids, source_records, actor, evidence)
                      values (now(), 'MERGE', '{}', '{}', 'it', '{}') returning seq into s;
                      update merge_log set actor = 'someone else' where seq = s;
                    end $$"""))
        .rootCause()
        .hasMessageContaining("append-only");
  }

  @Test
  void anEntryEditedDirectlyInPostgresqlIsNamedByVerify() throws Exception {
    importAndWait("pos-store-83", "pos.csv", aSheet("姓名", "手机号").row("孙倩", "13708300001").gbkCsv());
    assertThat(audit().verifyMergeLog().getOk()).isTrue(); // verify seals what is pending
    long seq =
        jdbc.queryForObject("select max(seq) from merge_log where hash is not null", Long.class);
    String evidence =
        jdbc.queryForObject("select evidence from merge_log where seq = ?", String.class, seq);
    // the table's owner can switch the guard off; the hash chain still tells
    jdbc.execute("alter table merge_log disable trigger merge_log_no_update");
    try {
      jdbc.update(
          "update merge_log set evidence = replace(evidence, 'matcher', 'someone') where seq = ?",
          seq);
      jdbc.update("update merge_log set actor = 'steward:bob' where seq = ?", seq);
      MergeLogVerification bad = audit().verifyMergeLog();
      assertThat(bad.getOk()).isFalse();
      assertThat(bad.getFirstBadSeq()).isEqualTo(seq);
      assertThat(bad.getProblem()).contains("changed after it was written");
    } finally {
      jdbc.update(
          "update merge_log set evidence = ?, actor = 'matcher' where seq = ?", evidence, seq);
      jdbc.execute("alter table merge_log enable trigger merge_log_no_update");
    }
    assertThat(audit().verifyMergeLog().getOk()).isTrue();
  }

  @Test
  void theLogExportsAsCsvThatExcelOpensAndABadFilterIsRefused() throws Exception {
    importAndWait("pos-store-84", "pos.csv", aSheet("姓名", "手机号").row("周雪", "13708400001").gbkCsv());
    UUID member = members().findMembers("13708400001").getItems().get(0).getId();
    HttpResponse<byte[]> csv = get("/api/v1/merge-log/export?member=" + member);
    assertThat(csv.statusCode()).isEqualTo(200);
    String text = new String(csv.body(), StandardCharsets.UTF_8);
    assertThat(text).startsWith("\ufeffseq,at,action,member_ids,source_records,actor,evidence");
    assertThat(text.lines()).hasSize(2);
    assertThat(text).contains("NEW_MEMBER").contains(member.toString());

    assertThat(get("/api/v1/merge-log?action=EXPLODE").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/merge-log?from=yesterday").statusCode()).isEqualTo(400);
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }
}
