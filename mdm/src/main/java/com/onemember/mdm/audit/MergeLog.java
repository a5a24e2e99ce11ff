package com.onemember.mdm.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends to the merge log, seals it into a hash chain and verifies the chain.
 *
 * <p>An entry is written in the caller's transaction, so it exists exactly when the change it
 * records was committed; it is written unsealed (no hash), so that concurrent ingests need not wait
 * for each other's commits. {@link #seal()}, run right after by the hub and before every read of
 * the log, chains the committed entries in the order it finds them: each gets its position, its
 * predecessor's hash and its own hash, once; the database refuses any other change.
 *
 * <p>The hub's database role may read and append to {@code merge_log} but not update, delete or
 * truncate it; sealing goes through {@code merge_log_seal(...)}, a function that runs as the
 * table's owner and accepts only entries that continue the chain (see {@code
 * V9__application_role.sql}).
 */
@Component
public class MergeLog {

  /** Serialises sealers (several hub instances may share one database). */
  private static final long SEAL_LOCK = 0x6f6e656d626c6f67L; // "onemblog"

  static final String GENESIS = "0".repeat(64);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate newTransaction;

  public MergeLog(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.newTransaction = new TransactionTemplate(transactions);
    this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    // each statement after the lock must see what other sealers and ingests committed meanwhile,
    // whatever default_transaction_isolation the database has
    this.newTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  /** Appends one unsealed entry in the current transaction and returns it. */
  public MergeLogEntry append(
      MergeAction action,
      List<UUID> memberIds,
      List<String> sourceRecords,
      String actor,
      String evidence,
      Instant now) {
    // PostgreSQL keeps microseconds: hash what will be stored
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    Long seq =
        jdbc.query(
            con -> {
              var ps =
                  con.prepareStatement(
                      "insert into merge_log (at, action, member_ids, source_records, actor,"
                          + " evidence) values (?, ?, ?, ?, ?, ?) returning seq");
              ps.setTimestamp(1, Timestamp.from(at));
              ps.setString(2, action.name());
              ps.setArray(3, con.createArrayOf("uuid", memberIds.toArray()));
              ps.setArray(4, con.createArrayOf("text", sourceRecords.toArray()));
              ps.setString(5, actor);
              ps.setString(6, evidence);
              return ps;
            },
            rs -> rs.next() ? rs.getLong(1) : null);
    return new MergeLogEntry(
        seq, at, action, memberIds, sourceRecords, actor, evidence, null, null);
  }

  /**
   * Chains every committed, unsealed entry, oldest first, in a transaction of its own; returns how
   * many it sealed. Safe to call from several threads or hubs at once.
   */
  public int seal() {
    Integer sealed =
        newTransaction.execute(
            status -> {
              jdbc.queryForObject("select pg_advisory_xact_lock(?)::text", String.class, SEAL_LOCK);
              record Head(long pos, String hash) {}
              List<Head> head =
                  jdbc.query(
                      "select chain_pos, hash from merge_log where chain_pos is not null"
                          + " order by chain_pos desc limit 1",
                      (rs, i) -> new Head(rs.getLong(1), rs.getString(2)));
              long[] pos = {head.isEmpty() ? 0 : head.get(0).pos()};
              String[] prev = {head.isEmpty() ? GENESIS : head.get(0).hash()};
              List<Long> seqs = new ArrayList<>();
              List<Long> positions = new ArrayList<>();
              List<String> prevHashes = new ArrayList<>();
              List<String> hashes = new ArrayList<>();
              jdbc.query(
                  "select * from merge_log where hash is null order by seq limit 10000",
                  rs -> {
                    MergeLogEntry e = read(rs);
                    String hash = hash(prev[0], canonical(e));
                    pos[0]++;
                    seqs.add(e.seq());
                    positions.add(pos[0]);
                    prevHashes.add(prev[0]);
                    hashes.add(hash);
                    prev[0] = hash;
                  });
              if (seqs.isEmpty()) {
                return 0;
              }
              // the hub's role may not UPDATE merge_log: the owner's function seals, checking that
              // the entries continue the chain (V9__application_role.sql)
              return jdbc.query(
                  con -> {
                    var ps = con.prepareStatement("select merge_log_seal(?, ?, ?, ?)");
                    ps.setArray(1, con.createArrayOf("bigint", seqs.toArray()));
                    ps.setArray(2, con.createArrayOf("bigint", positions.toArray()));
                    ps.setArray(3, con.createArrayOf("text", prevHashes.toArray()));
                    ps.setArray(4, con.createArrayOf("text", hashes.toArray()));
                    return ps;
                  },
                  rs -> rs.next() ? rs.getInt(1) : 0);
            });
    return sealed == null ? 0 : sealed;
  }

  /** The outcome of re-computing the chain. */
  public record Verification(boolean ok, long entries, Long firstBadSeq, String problem) {}

  /**
   * Seals what is pending, then re-computes every hash from the first entry, streaming, and answers
   * ok or the first entry that does not fit: a gap in the chain's positions, a previous-hash that
   * is not its predecessor's hash, or a hash that does not match the entry's content.
   */
  public Verification verify() {
    seal();
    long[] count = {0};
    String[] expectedPrev = {GENESIS};
    Verification[] bad = {null};
    jdbc.query(
        con -> {
          var ps =
              con.prepareStatement(
                  "select seq, at, action, member_ids, source_records, actor, evidence,"
                      + " prev_hash, hash, chain_pos from merge_log where chain_pos is not null"
                      + " order by chain_pos");
          ps.setFetchSize(5_000);
          return ps;
        },
        rs -> {
          if (bad[0] != null) {
            return;
          }
          MergeLogEntry e = read(rs);
          count[0]++;
          if (rs.getLong("chain_pos") != count[0]) {
            bad[0] =
                new Verification(
                    false, count[0], e.seq(), "entry " + count[0] + " is missing / 条目缺失");
          } else if (!e.prevHash().equals(expectedPrev[0])) {
            bad[0] =
                new Verification(
                    false,
                    count[0],
                    e.seq(),
                    "its previous-hash does not match the entry before it / 与上一条的哈希不符");
          } else if (!hash(e.prevHash(), canonical(e)).equals(e.hash())) {
            bad[0] =
                new Verification(
                    false,
                    count[0],
                    e.seq(),
                    "its content does not match its hash: it was changed after it was written"
                        + " / 内容与哈希不符：写入后被改动过");
          }
          expectedPrev[0] = e.hash();
        });
    return bad[0] != null ? bad[0] : new Verification(true, count[0], null, null);
  }

  /** Reads one row of {@code merge_log}. */
  public static MergeLogEntry read(ResultSet rs) throws SQLException {
    return new MergeLogEntry(
        rs.getLong("seq"),
        rs.getTimestamp("at").toInstant(),
        MergeAction.valueOf(rs.getString("action")),
        Arrays.stream((Object[]) array(rs.getArray("member_ids"))).map(o -> (UUID) o).toList(),
        Arrays.stream((Object[]) array(rs.getArray("source_records")))
            .map(o -> (String) o)
            .toList(),
        rs.getString("actor"),
        rs.getString("evidence"),
        rs.getString("prev_hash"),
        rs.getString("hash"));
  }

  private static Object array(Array a) throws SQLException {
    return a == null ? new Object[0] : a.getArray();
  }

  /**
   * The text an entry's hash covers: every field but the hash itself, one per line, in a fixed
   * order and format (time in UTC to the microsecond, lists quoted, ids in their stored order).
   */
  static String canonical(MergeLogEntry e) {
    return String.join(
        "\n",
        Long.toString(e.seq()),
        e.at().truncatedTo(ChronoUnit.MICROS).toString(),
        e.action().name(),
        quoted(e.memberIds().stream().map(UUID::toString).toList()),
        quoted(e.sourceRecords()),
        e.actor(),
        e.evidence());
  }

  /**
   * The hash an entry must carry: SHA-256 over its predecessor's hash and its canonical text. For
   * tools that build or check chains outside this class (the verify benchmark).
   */
  public static String expectedHash(MergeLogEntry e) {
    return hash(e.prevHash(), canonical(e));
  }

  /** The previous-hash of the first entry. */
  public static String genesis() {
    return GENESIS;
  }

  /** A list as ["a","b"], quotes and backslashes escaped, so no two lists read the same. */
  private static String quoted(List<String> items) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(items.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return sb.append(']').toString();
  }

  static String hash(String prevHash, String canonical) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
