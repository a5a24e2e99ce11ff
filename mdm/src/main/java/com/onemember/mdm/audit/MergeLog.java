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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Appends to the merge log and verifies its chain. Appends happen in the caller's transaction, so
 * an entry exists exactly when the change it records was committed; they are serialised by one
 * transaction-scoped advisory lock, which the chain needs (each entry names its predecessor's hash)
 * and which is held only from the append to the commit at the end of an ingest.
 */
@Component
public class MergeLog {

  /** The advisory lock that serialises appends; any fixed number no other lock uses. */
  private static final long APPEND_LOCK = 0x6f6e656d626c6f67L; // "onemblog"

  static final String GENESIS = "0".repeat(64);

  private final JdbcTemplate jdbc;

  public MergeLog(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Appends one entry in the current transaction and returns it. */
  public MergeLogEntry append(
      MergeAction action,
      List<UUID> memberIds,
      List<String> sourceRecords,
      String actor,
      String evidence,
      Instant now) {
    jdbc.queryForObject("select pg_advisory_xact_lock(?)::text", String.class, APPEND_LOCK);
    record Last(long seq, String hash) {}
    List<Last> last =
        jdbc.query(
            "select seq, hash from merge_log order by seq desc limit 1",
            (rs, i) -> new Last(rs.getLong(1), rs.getString(2)));
    long seq = last.isEmpty() ? 1 : last.get(0).seq() + 1;
    String prevHash = last.isEmpty() ? GENESIS : last.get(0).hash();
    // PostgreSQL keeps microseconds: hash what will be stored
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    MergeLogEntry draft =
        new MergeLogEntry(
            seq, at, action, memberIds, sourceRecords, actor, evidence, prevHash, null);
    String hash = hash(prevHash, canonical(draft));
    jdbc.update(
        """
        insert into merge_log (seq, at, action, member_ids, source_records, actor, evidence,
                               prev_hash, hash)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        ps -> {
          ps.setLong(1, seq);
          ps.setTimestamp(2, Timestamp.from(at));
          ps.setString(3, action.name());
          ps.setArray(4, ps.getConnection().createArrayOf("uuid", memberIds.toArray()));
          ps.setArray(5, ps.getConnection().createArrayOf("text", sourceRecords.toArray()));
          ps.setString(6, actor);
          ps.setString(7, evidence);
          ps.setString(8, prevHash);
          ps.setString(9, hash);
        });
    return new MergeLogEntry(
        seq, at, action, memberIds, sourceRecords, actor, evidence, prevHash, hash);
  }

  /** The outcome of re-computing the chain. */
  public record Verification(boolean ok, long entries, Long firstBadSeq, String problem) {}

  /**
   * Re-computes every hash from the first entry, streaming, and answers ok or the first entry that
   * does not fit: a gap in the numbering, a previous-hash that is not its predecessor's hash, or a
   * hash that does not match the entry's content.
   */
  public Verification verify() {
    long[] count = {0};
    String[] expectedPrev = {GENESIS};
    Verification[] bad = {null};
    jdbc.query(
        con -> {
          var ps =
              con.prepareStatement(
                  "select seq, at, action, member_ids, source_records, actor, evidence,"
                      + " prev_hash, hash from merge_log order by seq");
          ps.setFetchSize(5_000);
          return ps;
        },
        rs -> {
          if (bad[0] != null) {
            return;
          }
          MergeLogEntry e = read(rs);
          count[0]++;
          if (e.seq() != count[0]) {
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
