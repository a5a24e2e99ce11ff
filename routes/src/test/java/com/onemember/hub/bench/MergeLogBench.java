package com.onemember.hub.bench;

import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.audit.MergeLogEntry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the merge log costs: appends per second, each in its own transaction as ingest does them,
 * the sealing that chains them after commit, and the time to verify a chain of a million entries.
 * Runs on its own embedded PostgreSQL with the hub's migrations.
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.MergeLogBench
 * -Dexec.args="1000000 5000"} (entries to verify, appends to time).
 */
public final class MergeLogBench {

  private MergeLogBench() {}

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int appends = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    Path dir = Files.createTempDirectory("merge-log-bench");
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
      var ds = pg.getPostgresDatabase();
      Flyway.configure().dataSource(ds).load().migrate();
      JdbcTemplate jdbc = new JdbcTemplate(ds);
      DataSourceTransactionManager transactions = new DataSourceTransactionManager(ds);
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      var attestations = new com.onemember.mdm.audit.EntryAttestations(key);
      MergeLog log = new MergeLog(jdbc, transactions, attestations);
      TransactionTemplate tx = new TransactionTemplate(transactions);
      UUID member = UUID.randomUUID();
      String evidence = sampleEvidence();

      long start = System.nanoTime();
      for (int i = 0; i < appends; i++) {
        int n = i;
        tx.executeWithoutResult(
            s ->
                log.append(
                    MergeAction.MERGE,
                    List.of(member),
                    List.of("pos-store-12:card:" + n),
                    "matcher",
                    evidence,
                    Clock.systemUTC().instant()));
      }
      double appendSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "append: %d entries, one transaction each: %.0f appends/s, %.2f ms each"
              + " (commit included)%n",
          appends, appends / appendSeconds, 1000 * appendSeconds / appends);

      // what the log adds to an ingest transaction, which commits anyway: appends without commits
      start = System.nanoTime();
      tx.executeWithoutResult(
          s -> {
            for (int i = 0; i < appends; i++) {
              log.append(
                  MergeAction.MERGE,
                  List.of(member),
                  List.of("web-shop:row:" + i),
                  "matcher",
                  evidence,
                  Clock.systemUTC().instant());
            }
          });
      double inTx = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "append: %d entries in one transaction: %.3f ms each (the log's own cost per ingest)%n",
          appends, 1000 * inTx / appends);

      start = System.nanoTime();
      int sealed = 0;
      for (int n = log.seal(); n > 0; n = log.seal()) {
        sealed += n;
      }
      double sealSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "seal: %d entries chained after commit in %.2f s (%.0f entries/s)%n",
          sealed, sealSeconds, sealed / sealSeconds);

      start = System.nanoTime();
      fill(ds.getConnection(), jdbc, attestations, entries - appends, member, evidence);
      System.out.printf(
          "filled to %d entries in %.1f s%n", entries, (System.nanoTime() - start) / 1e9);

      start = System.nanoTime();
      MergeLog.Verification v = log.verify();
      double verifySeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "verify: %s over %d entries in %.1f s (%.0f entries/s)%n",
          v.ok() ? "ok" : "BROKEN at " + v.firstBadSeq(),
          v.entries(),
          verifySeconds,
          v.entries() / verifySeconds);
    }
  }

  /**
   * Continues the chain with batched inserts, attesting and hashing as the appender and the seal
   * do. As the superuser with triggers off (session_replication_role): the database would otherwise
   * stamp its own time over the one hashed here.
   */
  private static void fill(
      Connection con,
      JdbcTemplate jdbc,
      com.onemember.mdm.audit.EntryAttestations attestations,
      int more,
      UUID member,
      String evidence)
      throws Exception {
    record Last(long seq, String hash) {}
    Last last =
        jdbc.queryForObject(
            "select chain_pos, hash from merge_log_chain order by chain_pos desc limit 1",
            (rs, i) -> new Last(rs.getLong(1), rs.getString(2)));
    long seq = last.seq();
    String prev = last.hash();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    con.setAutoCommit(false);
    try (var st = con.createStatement()) {
      st.execute("set session_replication_role = replica");
    }
    try (PreparedStatement ps =
            con.prepareStatement(
                "insert into merge_log (seq, at, action, member_ids, source_records, actor,"
                    + " evidence, attestation, db_role) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement seal =
            con.prepareStatement(
                "insert into merge_log_chain (seq, chain_pos, prev_hash, hash)"
                    + " values (?, ?, ?, ?)")) {
      for (int i = 0; i < more; i++) {
        seq++;
        at = at.plusNanos(1000);
        String record = "web-shop:row:" + seq;
        MergeLogEntry e =
            new MergeLogEntry(
                seq,
                at,
                MergeAction.MERGE,
                List.of(member),
                List.of(record),
                "matcher",
                evidence,
                prev,
                null,
                attestations.attest(
                    MergeLog.attestedText(
                        MergeAction.MERGE, List.of(member), List.of(record), "matcher", evidence)),
                "postgres");
        String hash = MergeLog.expectedHash(e);
        ps.setLong(1, seq);
        ps.setTimestamp(2, Timestamp.from(at));
        ps.setString(3, MergeAction.MERGE.name());
        ps.setArray(4, con.createArrayOf("uuid", new Object[] {member}));
        ps.setArray(5, con.createArrayOf("text", new Object[] {record}));
        ps.setString(6, "matcher");
        ps.setString(7, evidence);
        ps.setString(8, e.attestation());
        ps.setString(9, e.dbRole());
        ps.addBatch();
        seal.setLong(1, seq);
        seal.setLong(2, seq);
        seal.setString(3, prev);
        seal.setString(4, hash);
        seal.addBatch();
        prev = hash;
        if (i % 5_000 == 4_999) {
          ps.executeBatch();
          seal.executeBatch();
          con.commit();
        }
      }
      ps.executeBatch();
      seal.executeBatch();
      con.commit();
    }
  }

  /** Evidence of the size ingest writes: a decision with two candidates' breakdowns. */
  private static String sampleEvidence() {
    String breakdown =
        "[{\"comparison\":\"SURNAME\",\"level\":\"exact\",\"weight\":0.96},"
            + "{\"comparison\":\"GIVEN_NAME\",\"level\":\"same pinyin\",\"weight\":7.06},"
            + "{\"comparison\":\"BIRTHDAY\",\"level\":\"exact\",\"weight\":11.2},"
            + "{\"comparison\":\"MOBILE\",\"level\":\"a number in common\",\"weight\":17.6}]";
    return "{\"reason\":\"score 0.9999 ≥ merge 0.95\",\"assessments\":[{\"breakdown\":"
        + breakdown
        + "},{\"breakdown\":"
        + breakdown
        + "}],\"skippedKeys\":[]}";
  }
}
