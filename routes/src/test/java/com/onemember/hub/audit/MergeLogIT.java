package com.onemember.hub.audit;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.MergeLogEntry;
import com.onemember.api.client.model.MergeLogVerification;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import com.onemember.mdm.audit.MergeLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The merge log: what the matcher did, findable by member and record, and tamper-evident. */
class MergeLogIT extends HubIT {

  /** The hub's own DataSource: its application role. */
  @Autowired JdbcTemplate jdbc;

  @Autowired MergeLog mergeLog;

  @Autowired PlatformTransactionManager transactions;

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
  void theHubsRoleMayNotUpdateDeleteOrTruncateTheLog() throws Exception {
    importAndWait("pos-store-82", "pos.csv", aSheet("姓名", "手机号").row("钱芳", "13708200001").gbkCsv());
    // the hub's own connection: a login role in onemember_app, not the owner
    assertThat(jdbc.queryForObject("select current_user", String.class))
        .isEqualTo(HubInfrastructure.HUB_ROLE);
    assertThat(
            jdbc.queryForObject(
                "select pg_has_role(?, 'member')", Boolean.class, HubInfrastructure.APP_ROLE))
        .isTrue();
    long seq = jdbc.queryForObject("select max(seq) from merge_log", Long.class);
    // refused by the privilege check, before any trigger runs
    assertPermissionDenied(
        () -> jdbc.update("update merge_log set actor = 'me' where seq = ?", seq));
    assertPermissionDenied(() -> jdbc.update("delete from merge_log where seq = ?", seq));
    assertPermissionDenied(() -> jdbc.update("truncate merge_log"));
    assertThat(jdbc.queryForObject("select actor from merge_log where seq = ?", String.class, seq))
        .isEqualTo("matcher");
  }

  @Test
  void theHubsRoleStillSealsWhatItAppendsAndTheChainVerifies() throws Exception {
    long seq = appendAndSeal("pos-store-85:card:1");
    assertThat(
            jdbc.queryForObject(
                "select prev_hash is not null from merge_log_chained where seq = ?",
                Boolean.class,
                seq))
        .isTrue();
    MergeLog.Verification verification = mergeLog.verify();
    assertThat(verification.ok()).as("%s", verification).isTrue();
    assertThat(audit().verifyMergeLog().getOk()).isTrue();
  }

  @Test
  void theSealFunctionOnlyContinuesTheChain() {
    appendAndSeal("pos-store-87:card:1"); // the chain has a head
    // an entry not committed yet, sealed at a position that cannot follow the chain's head
    assertThatThrownBy(
            () ->
                jdbc.execute(
                    """
                    do $$
                    declare s bigint;
                    begin
                      insert into merge_log (at, action, member_ids, source_records, actor, evidence,
                                             attestation)
                      values (now(), 'MERGE', '{}', '{}', 'it', '{}',
                              repeat('A', 22) || '.' || repeat('0', 64)) returning seq into s;
                      perform merge_log_seal(array[s], array[0::bigint],
                                             array[repeat('0', 64)], array[repeat('a', 64)]);
                    end $$"""))
        .rootCause()
        .hasMessageContaining("not a continuation of the chain");
    // an entry sealed already, offered again as the chain's next one
    assertThatThrownBy(
            () ->
                jdbc.execute(
                    """
                    do $$
                    declare s bigint; p bigint; h text;
                    begin
                      perform pg_advisory_xact_lock(8029466706125287271);
                      select chain_pos, hash, seq into p, h, s from merge_log_chain
                       order by chain_pos desc limit 1;
                      perform merge_log_seal(array[s], array[p + 1], array[h],
                                             array[repeat('b', 64)]);
                    end $$"""))
        .rootCause()
        .hasMessageContaining("sealed already");
  }

  @Test
  void theHubSignsTheChainsHeadIntoItsCheckpointFileByItselfAndOnDemand() throws Exception {
    // (the attacks the checkpoints are for are in MergeLogTamperIT, on databases of their own)
    long seq = appendAndSeal("pos-store-88:card:1");
    long position =
        jdbc.queryForObject("select chain_pos from merge_log_chain where seq = ?", Long.class, seq);
    // HubIT's period is a second: the timer anchors the new head without being asked
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(audit().verifyMergeLog().getLatestCheckpoint().getPosition())
                    .isGreaterThanOrEqualTo(position));
    com.onemember.api.client.model.MergeLogCheckpoint now = audit().createMergeLogCheckpoint();
    assertThat(now.getPosition()).isGreaterThanOrEqualTo(position);
    assertThat(now.getHash()).hasSize(64);
    assertThat(now.getSignature()).isNotBlank();
    MergeLogVerification ok = audit().verifyMergeLog();
    assertThat(ok.getOk()).as("%s", ok).isTrue();
    assertThat(ok.getCheckpointsChecked()).isGreaterThanOrEqualTo(2);
    // each line of the file, one JSON object, says what it anchors and is signed
    java.nio.file.Path file =
        HubInfrastructure.get().dataDir().resolve("hub").resolve("merge-log-checkpoints.jsonl");
    assertThat(java.nio.file.Files.readAllLines(file))
        .last()
        .asString()
        .contains("\"position\":" + now.getPosition())
        .contains(now.getSignature());
  }

  @Test
  void theTriggersRefuseUpdateDeleteAndTruncateEvenToTheOwner() throws Exception {
    importAndWait("pos-store-86", "pos.csv", aSheet("姓名", "手机号").row("郑明", "13708600001").gbkCsv());
    JdbcTemplate owner = owner();
    long seq = owner.queryForObject("select max(seq) from merge_log", Long.class);
    assertThatThrownBy(() -> owner.update("update merge_log set actor = 'me' where seq = ?", seq))
        .rootCause()
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> owner.update("delete from merge_log where seq = ?", seq))
        .rootCause()
        .hasMessageContaining("append-only");
    // (truncating the entries alone is refused before the trigger: their seals refer to them)
    assertThatThrownBy(() -> owner.update("truncate merge_log, merge_log_chain"))
        .rootCause()
        .hasMessageContaining("append-only");
    // the seals are as append-only as the entries
    long sealed = owner.queryForObject("select max(seq) from merge_log_chain", Long.class);
    assertThatThrownBy(
            () ->
                owner.update(
                    "update merge_log_chain set hash = repeat('0', 64) where seq = ?", sealed))
        .rootCause()
        .hasMessageContaining("merge_log_chain is append-only");
    assertThatThrownBy(() -> owner.update("delete from merge_log_chain where seq = ?", sealed))
        .rootCause()
        .hasMessageContaining("merge_log_chain is append-only");
  }

  @Test
  void anEntryNotSealedYetCanOnlyBeSealedNotEdited() {
    // written and edited in one transaction, before any sealer can see it, by the owner (the hub's
    // role may not even try: no UPDATE privilege)
    assertThatThrownBy(
            () ->
                owner()
                    .execute(
                        """
                        do $$
                        declare s bigint;
                        begin
                          insert into merge_log (at, action, member_ids, source_records, actor,
                                                 evidence, attestation)
                          values (now(), 'MERGE', '{}', '{}', 'it', '{}',
                                  repeat('B', 22) || '.' || repeat('0', 64)) returning seq into s;
                          update merge_log set actor = 'someone else' where seq = s;
                        end $$"""))
        .rootCause()
        .hasMessageContaining("append-only");
  }

  @Test
  void anEntryEditedDirectlyInPostgresqlIsNamedByVerify() throws Exception {
    importAndWait("pos-store-83", "pos.csv", aSheet("姓名", "手机号").row("孙倩", "13708300001").gbkCsv());
    assertThat(audit().verifyMergeLog().getOk()).isTrue(); // verify seals what is pending
    long seq = jdbc.queryForObject("select max(seq) from merge_log_chain", Long.class);
    String evidence =
        jdbc.queryForObject("select evidence from merge_log where seq = ?", String.class, seq);
    // someone with the owner's rights (a DBA) can switch the guard off; the hash chain still tells
    JdbcTemplate owner = owner();
    owner.execute("alter table merge_log disable trigger merge_log_no_update");
    try {
      owner.update(
          "update merge_log set evidence = replace(evidence, 'matcher', 'someone') where seq = ?",
          seq);
      owner.update("update merge_log set actor = 'steward:bob' where seq = ?", seq);
      MergeLogVerification bad = audit().verifyMergeLog();
      assertThat(bad.getOk()).isFalse();
      assertThat(bad.getFirstBadSeq()).isEqualTo(seq);
      assertThat(bad.getProblem()).contains("changed after it was written");
    } finally {
      owner.update(
          "update merge_log set evidence = ?, actor = 'matcher' where seq = ?", evidence, seq);
      owner.execute("alter table merge_log enable trigger merge_log_no_update");
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

  /**
   * Appends an entry through the hub's own DataSource, commits, and waits until it is sealed (by
   * this call or the hub's timer, whichever comes first); returns its seq.
   */
  private long appendAndSeal(String sourceRecord) {
    com.onemember.mdm.audit.MergeLogEntry appended =
        new TransactionTemplate(transactions)
            .execute(
                status ->
                    mergeLog.append(
                        com.onemember.mdm.audit.MergeAction.MERGE,
                        List.of(UUID.randomUUID()),
                        List.of(sourceRecord),
                        "it",
                        "{}",
                        Instant.now()));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              mergeLog.seal();
              return jdbc.queryForObject(
                  "select hash is not null and chain_pos is not null from merge_log_chained where seq = ?",
                  Boolean.class,
                  appended.seq());
            });
    return appended.seq();
  }

  /** The owner of the tables (the embedded server's superuser), as a DBA would connect. */
  private static JdbcTemplate owner() {
    return new JdbcTemplate(HubInfrastructure.get().ownerDataSource());
  }

  /** Refused by PostgreSQL's privilege check: SQLSTATE 42501, "permission denied". */
  private static void assertPermissionDenied(ThrowingCallable statement) {
    assertThatThrownBy(statement)
        .rootCause()
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
        .hasMessageContaining("permission denied for table merge_log");
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
