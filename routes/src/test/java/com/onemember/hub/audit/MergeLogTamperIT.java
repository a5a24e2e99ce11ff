package com.onemember.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.hub.support.HubInfrastructure;
import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.audit.MergeLogEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The attacks of issue 17 on the merge log, each against a database of its own (a copy of a
 * migrated template), with the hub's own classes on the hub's own role, and the superuser of the
 * server as the attacker where the attack needs one: an entry edited with the triggers off, an
 * entry rewritten with every later hash recomputed, the newest entries deleted, entries forged by
 * the hub's role (no attestation, a made-up one, a copied one), and a checkpoint file edited. Each
 * is named by verify with the first position that no longer matches.
 */
class MergeLogTamperIT {

  private static final String TEMPLATE = "merge_log_tamper_template";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @TempDir Path dir;

  private JdbcTemplate hub;
  private JdbcTemplate superuser;
  private TransactionTemplate transaction;
  private MergeLog mergeLog;
  private MergeLogKey key;
  private MergeLogCheckpoints checkpoints;
  private Path checkpointFile;

  @BeforeAll
  static void template() throws Exception {
    HubInfrastructure infra = HubInfrastructure.get();
    JdbcTemplate server = new JdbcTemplate(infra.ownerDataSource());
    if (server.queryForObject(
            "select count(*) from pg_database where datname = ?", Integer.class, TEMPLATE)
        == 0) {
      server.execute("create database " + TEMPLATE);
      Flyway.configure().dataSource(infra.database(TEMPLATE)).load().migrate();
    }
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    HubInfrastructure infra = HubInfrastructure.get();
    String name = "merge_log_tamper_" + DATABASES.incrementAndGet();
    JdbcTemplate server = new JdbcTemplate(infra.ownerDataSource());
    server.execute("drop database if exists " + name);
    server.execute("create database " + name + " template " + TEMPLATE);
    superuser = new JdbcTemplate(infra.database(name));
    PGSimpleDataSource hubRole = new PGSimpleDataSource();
    hubRole.setUrl(infra.databaseUrl(name));
    hubRole.setUser(HubInfrastructure.HUB_ROLE);
    hub = new JdbcTemplate(hubRole);
    DataSourceTransactionManager transactions = new DataSourceTransactionManager(hubRole);
    transaction = new TransactionTemplate(transactions);
    checkpointFile = dir.resolve("merge-log-checkpoints.jsonl");
    key =
        MergeLogKey.load(
            new MergeLogSettings(
                Duration.ofDays(1000), checkpointFile, dir.resolve("merge-log-key"), null));
    mergeLog = new MergeLog(hub, transactions, key.attestations());
    checkpoints = new MergeLogCheckpoints(mergeLog, key, checkpointFile, Clock.systemUTC());
  }

  @Test
  void anUntouchedChainVerifiesAgainstEveryCheckpoint() {
    append(4);
    checkpoints.write(true);
    append(3);
    checkpoints.write(true);
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.ok()).as("%s", checked).isTrue();
    assertThat(checked.verification().entries()).isEqualTo(7);
    assertThat(checked.verification().anchorsChecked()).isEqualTo(2);
    // the key stays with the hub: owner-only, its public half beside it for auditors
    assertThat(permissions(dir.resolve("merge-log-key"))).isEqualTo("rw-------");
    assertThat(dir.resolve("merge-log-key.pub")).content().contains(key.publicKey());
  }

  @Test
  void anEntryTheSuperuserEditsWithTheTriggersOffIsNamed() {
    append(5);
    checkpoints.write(true);
    asSuperuserWithoutTriggers(
        "update merge_log set actor = 'steward:李娜', evidence = '{\"reason\":\"看着像\"}'"
            + " where seq = (select seq from merge_log_chain where chain_pos = 3)");
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.ok()).isFalse();
    assertThat(checked.verification().firstBadPosition()).isEqualTo(3);
    assertThat(checked.problem()).contains("changed after it was written");
  }

  @Test
  void anEntryBackdatedWithEveryLaterHashRecomputedIsNamedByTheCheckpointAfterIt() {
    append(4);
    checkpoints.write(true); // anchors position 4
    append(6);
    checkpoints.write(true); // anchors position 10
    // the superuser moves entry 6 back in time and recomputes its hash and every hash after it,
    // as the seal would have: the chain fits itself again
    rewriteAndRecompute(6, e -> withTime(e, Instant.parse("2020-01-01T08:00:00Z")));
    // checked only against itself, the chain holds: the attack the checkpoints are for
    assertThat(mergeLog.verify().ok()).isTrue();
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.ok()).isFalse();
    // named by the first checkpoint it no longer matches; the last one that still matches bounds
    // where the change may be
    assertThat(checked.verification().firstBadPosition()).isEqualTo(10);
    assertThat(checked.problem()).contains("after position 4").contains("recomputed");
    assertThat(checked.verification().anchorsChecked()).isEqualTo(1);
  }

  @Test
  void anActorRewrittenWithEveryLaterHashRecomputedIsNamedAtItsOwnPosition() {
    append(8);
    checkpoints.write(true);
    // the hub's attestation covers what it decided, the actor too: no checkpoint needed to find it
    rewriteAndRecompute(5, e -> withActor(e, "steward:王强"));
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.ok()).isFalse();
    assertThat(checked.verification().firstBadPosition()).isEqualTo(5);
    assertThat(checked.problem()).contains("the hub did not write it");
  }

  @Test
  void deletingTheNewestEntriesIsNamedByTheFirstPositionThatIsGone() {
    append(8);
    checkpoints.write(true);
    // the entries and their seals
    asSuperuserWithoutTriggers(
        "with cut as (delete from merge_log_chain where chain_pos > 6 returning seq)"
            + " delete from merge_log where seq in (select seq from cut)");
    assertThat(mergeLog.verify().ok()).isTrue(); // the shorter chain fits itself
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.ok()).isFalse();
    assertThat(checked.verification().firstBadPosition()).isEqualTo(7);
    assertThat(checked.verification().firstBadSeq()).isNull();
    assertThat(checked.problem())
        .contains("the chain ends at position 6")
        .contains("names position 8")
        .contains("entries 7 to 8 were deleted");
    // and the hub signs nothing past the cut
    assertThatThrownBy(() -> checkpoints.write(true))
        .isInstanceOf(MergeLogCheckpoints.ChainBroken.class)
        .hasMessageContaining("position 7");
  }

  @Test
  void anEntryTheHubsRoleInsertsItselfIsNamedAndGetsTheDatabasesTimeAndRole() {
    append(3);
    checkpoints.write(true);
    // with the hub's credentials but not its key: an entry without an attestation is refused ...
    assertThatThrownBy(
            () ->
                hub.update(
                    "insert into merge_log (at, action, member_ids, source_records, actor,"
                        + " evidence) values (now(), 'MERGE', '{}', '{}', 'steward:王芳', '{}')"))
        .isInstanceOf(DataIntegrityViolationException.class)
        .hasMessageContaining("merge_log_attested");
    // ... one with a well-formed made-up attestation gets in: backdated, in a steward's name
    long forged =
        hub.queryForObject(
            """
            insert into merge_log (at, action, member_ids, source_records, actor, evidence,
                                   db_role, attestation)
            values ('2020-01-01T00:00:00Z', 'MERGE', '{}', '{"pos-store-12:card:8801"}',
                    'steward:王芳', '{"reason":"同一人"}', 'postgres',
                    'q3Fh0tq1Tn2Zk8yVbW4sPg.' || repeat('5', 64))
            returning seq""",
            Long.class);
    // the database says when and who, whatever the statement said
    Instant at =
        hub.queryForObject("select at from merge_log where seq = ?", Timestamp.class, forged)
            .toInstant();
    assertThat(at).isAfter(Instant.now().minusSeconds(60));
    assertThat(
            hub.queryForObject("select db_role from merge_log where seq = ?", String.class, forged))
        .isEqualTo(HubInfrastructure.HUB_ROLE);

    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.ok()).isFalse();
    assertThat(checked.verification().firstBadPosition()).isEqualTo(4);
    assertThat(checked.verification().firstBadSeq()).isEqualTo(forged);
    assertThat(checked.problem())
        .contains("the hub did not write it")
        .contains("the role " + HubInfrastructure.HUB_ROLE);
    // nor does the hub anchor it
    assertThatThrownBy(() -> checkpoints.write(true))
        .isInstanceOf(MergeLogCheckpoints.ChainBroken.class)
        .hasMessageContaining("position 4");
  }

  @Test
  void anAttestationMadeUpOrCopiedFromARealEntryDoesNotPass() {
    append(2);
    String real =
        hub.queryForObject(
            "select attestation from merge_log_chained where chain_pos = 1", String.class);
    // a copy of a real entry, attestation and all: refused by the database outright
    assertThatThrownBy(
            () ->
                hub.update(
                    "insert into merge_log (at, action, member_ids, source_records, actor,"
                        + " evidence, attestation) select at, action, member_ids, source_records,"
                        + " actor, evidence, attestation from merge_log_chained where chain_pos = 1"))
        .isInstanceOf(DuplicateKeyException.class);
    // a real attestation on other content, and one made up: both named
    hub.update(
        "insert into merge_log (at, action, member_ids, source_records, actor, evidence,"
            + " attestation) values (now(), 'UNMERGE', '{}', '{}', 'matcher', '{}', ?)",
        // one character of its nonce changed (to one it is not: a nonce may hold an x there)
        real.substring(0, 5) + (real.charAt(5) == 'x' ? 'y' : 'x') + real.substring(6));
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.ok()).isFalse();
    assertThat(checked.verification().firstBadPosition()).isEqualTo(3);
    assertThat(checked.problem()).contains("no valid attestation");
  }

  @Test
  void anEntryThatNamesAnOldPositionForItselfGetsTheNextOneAndIsNamed() {
    append(2);
    // below the first attested entry, where entries from before attestations need none
    hub.update(
        "insert into merge_log (seq, at, action, member_ids, source_records, actor, evidence,"
            + " attestation) values (-1, now(), 'MERGE', '{}', '{}', 'steward:王芳', '{}',"
            + " 'q3Fh0tq1Tn2Zk8yVbW4sPg.' || repeat('7', 64))");
    assertThat(hub.queryForObject("select count(*) from merge_log where seq < 1", Integer.class))
        .isZero();
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.ok()).isFalse();
    assertThat(checked.verification().firstBadPosition()).isEqualTo(3);
    assertThat(checked.problem()).contains("the hub did not write it");
  }

  @Test
  void theHubsRoleCannotQueueEntriesOrEventsItself() {
    append(1);
    long sealed = hub.queryForObject("select max(seq) from merge_log_chain", Long.class);
    // an entry sealed already, queued again, would stop every later seal; one not written yet would
    // stop every later append
    assertThatThrownBy(() -> hub.update("insert into merge_log_unsealed values (?)", sealed))
        .rootCause()
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> hub.update("insert into merge_log_unsealed values (?)", sealed + 10))
        .rootCause()
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> hub.update("insert into golden_event_unpositioned values (999999)"))
        .rootCause()
        .hasMessageContaining("permission denied");
    // what the hub appends is still queued and sealed
    append(1);
    assertThat(hub.queryForObject("select count(*) from merge_log_unsealed", Integer.class))
        .isZero();
    assertThat(checkpoints.verify().ok()).isTrue();
  }

  @Test
  void aCheckpointLineEditedOrAddedBySomeoneElseIsNamed() throws Exception {
    append(3);
    checkpoints.write(true);
    append(2);
    checkpoints.write(true);
    List<String> lines = Files.readAllLines(checkpointFile, StandardCharsets.UTF_8);
    // moved back to position 3 so that deleting entries 4 and 5 would go unseen
    String moved = lines.get(1).replaceFirst("\"position\":5", "\"position\":3");
    Files.write(checkpointFile, List.of(lines.get(0), moved), StandardCharsets.UTF_8);
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    assertThat(checked.verification().ok()).isTrue();
    assertThat(checked.ok()).isFalse();
    assertThat(checked.problem())
        .contains("line 2 of the checkpoint file")
        .contains("does not carry a valid signature");
  }

  @Test
  void theFirstCheckpointIsSignedOnlyOverAChainThatVerifies() {
    append(3);
    asSuperuserWithoutTriggers(
        "update merge_log set evidence = '{}'"
            + " where seq = (select seq from merge_log_chain where chain_pos = 2)");
    assertThatThrownBy(() -> checkpoints.write(false))
        .isInstanceOf(MergeLogCheckpoints.ChainBroken.class)
        .hasMessageContaining("position 2");
    assertThat(checkpointFile).doesNotExist();
  }

  /**
   * As the superuser: replaces the entry at {@code position} by {@code change} of it and recomputes
   * its hash and every later one, each previous-hash following, the way an attacker who knows the
   * hashing would.
   */
  private void rewriteAndRecompute(
      long position, java.util.function.UnaryOperator<MergeLogEntry> change) {
    List<MergeLogEntry> entries =
        superuser.query(
            "select * from merge_log_chained order by chain_pos", (rs, i) -> MergeLog.read(rs));
    String prev = entries.get((int) position - 2).hash();
    for (int i = (int) position - 1; i < entries.size(); i++) {
      MergeLogEntry e = i == position - 1 ? change.apply(entries.get(i)) : entries.get(i);
      MergeLogEntry chained =
          new MergeLogEntry(
              e.seq(),
              e.at(),
              e.action(),
              e.memberIds(),
              e.sourceRecords(),
              e.actor(),
              e.evidence(),
              prev,
              null,
              e.attestation(),
              e.dbRole());
      String hash = MergeLog.expectedHash(chained);
      superuser.execute(
          "do $$ begin set local session_replication_role = replica;"
              + " update merge_log set at = '"
              + e.at()
              + "', actor = '"
              + e.actor()
              + "' where seq = "
              + e.seq()
              + "; update merge_log_chain set prev_hash = '"
              + prev
              + "', hash = '"
              + hash
              + "' where seq = "
              + e.seq()
              + "; end $$");
      prev = hash;
    }
  }

  private static MergeLogEntry withTime(MergeLogEntry e, Instant at) {
    return new MergeLogEntry(
        e.seq(),
        at,
        e.action(),
        e.memberIds(),
        e.sourceRecords(),
        e.actor(),
        e.evidence(),
        e.prevHash(),
        e.hash(),
        e.attestation(),
        e.dbRole());
  }

  private static MergeLogEntry withActor(MergeLogEntry e, String actor) {
    return new MergeLogEntry(
        e.seq(),
        e.at(),
        e.action(),
        e.memberIds(),
        e.sourceRecords(),
        actor,
        e.evidence(),
        e.prevHash(),
        e.hash(),
        e.attestation(),
        e.dbRole());
  }

  /** {@code n} entries written and sealed the way the hub writes them. */
  private void append(int n) {
    for (int i = 0; i < n; i++) {
      String record = "pos-store-12:card:" + UUID.randomUUID();
      transaction.executeWithoutResult(
          s ->
              mergeLog.append(
                  MergeAction.NEW_MEMBER,
                  List.of(UUID.randomUUID()),
                  List.of(record),
                  "matcher",
                  "{\"reason\":\"no candidate\"}",
                  Instant.now()));
    }
    mergeLog.seal();
  }

  /** What a DBA, or whoever has the server's superuser, can do: with every trigger off. */
  private void asSuperuserWithoutTriggers(String sql) {
    superuser.execute(
        "do $$ begin set local session_replication_role = replica; execute $q$"
            + sql
            + "$q$; end $$");
  }

  private static String permissions(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
