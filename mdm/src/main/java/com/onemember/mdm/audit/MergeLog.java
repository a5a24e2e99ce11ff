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
 * truncate it, and nobody updates an entry, not even to seal it: seals are rows of their own, in
 * {@code merge_log_chain}, inserted by {@code merge_log_seal(...)}, a function that runs as the
 * table's owner and accepts only entries that continue the chain (V9, V39). {@code
 * merge_log_chained} reads each entry with its seal.
 *
 * <p>What the database alone cannot vouch for is covered from outside it: each entry carries the
 * hub's {@linkplain EntryAttestations attestation}, so a row inserted with the hub's credentials
 * but without its key is named by {@link #verify}; and signed checkpoints of the chain's head, kept
 * outside the database ({@link ChainAnchor}), show an edit whose hashes were recomputed or a
 * deleted tail, which a chain that is only checked against itself cannot.
 */
@Component
public class MergeLog {

  /** Serialises sealers (several hub instances may share one database). */
  private static final long SEAL_LOCK = 0x6f6e656d626c6f67L; // "onemblog"

  static final String GENESIS = "0".repeat(64);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate newTransaction;
  private final EntryAttestations attestations;

  public MergeLog(
      JdbcTemplate jdbc, PlatformTransactionManager transactions, EntryAttestations attestations) {
    this.jdbc = jdbc;
    this.attestations = attestations;
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
    String attestation =
        attestations.attest(attestedText(action, memberIds, sourceRecords, actor, evidence));
    Long seq =
        jdbc.query(
            con -> {
              var ps = con.prepareStatement(INSERT + " returning seq");
              bind(ps, Timestamp.from(at), action, memberIds, sourceRecords, actor, evidence);
              ps.setString(7, attestation);
              return ps;
            },
            rs -> rs.next() ? rs.getLong(1) : null);
    // the database sets the time and its role (V35, V36); the seal reads them back
    return new MergeLogEntry(
        seq, at, action, memberIds, sourceRecords, actor, evidence, null, null, attestation, null);
  }

  /** Appends {@code entry} unsealed in the current transaction, as {@link #append} does. */
  public MergeLogEntry append(NewEntry entry, Instant now) {
    return append(
        entry.action(),
        entry.memberIds(),
        entry.sourceRecords(),
        entry.actor(),
        entry.evidence(),
        now);
  }

  /** An entry for {@link #appendAll}: what {@link #append} takes. */
  public record NewEntry(
      MergeAction action,
      List<UUID> memberIds,
      List<String> sourceRecords,
      String actor,
      String evidence) {}

  /**
   * Appends {@code entries} unsealed in the current transaction, in list order (their sequence
   * numbers follow it), sent to the database as one batch. The database stamps their time.
   */
  public void appendAll(List<NewEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
    jdbc.batchUpdate(
        INSERT,
        entries,
        500,
        (ps, e) -> {
          bind(ps, now, e.action(), e.memberIds(), e.sourceRecords(), e.actor(), e.evidence());
          ps.setString(
              7,
              attestations.attest(
                  attestedText(
                      e.action(), e.memberIds(), e.sourceRecords(), e.actor(), e.evidence())));
        });
  }

  private static final String INSERT =
      "insert into merge_log (at, action, member_ids, source_records, actor, evidence,"
          + " attestation) values (?, ?, ?, ?, ?, ?, ?)";

  /** Sets an entry's first six parameters of {@link #INSERT}; the seventh is its attestation. */
  private static void bind(
      java.sql.PreparedStatement ps,
      Timestamp at,
      MergeAction action,
      List<UUID> memberIds,
      List<String> sourceRecords,
      String actor,
      String evidence)
      throws SQLException {
    ps.setTimestamp(1, at);
    ps.setString(2, action.name());
    ps.setArray(3, ps.getConnection().createArrayOf("uuid", memberIds.toArray()));
    ps.setArray(4, ps.getConnection().createArrayOf("text", sourceRecords.toArray()));
    ps.setString(5, actor);
    ps.setString(6, evidence);
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
                      "select chain_pos, hash from merge_log_chain order by chain_pos desc"
                          + " limit 1",
                      (rs, i) -> new Head(rs.getLong(1), rs.getString(2)));
              long[] pos = {head.isEmpty() ? 0 : head.get(0).pos()};
              String[] prev = {head.isEmpty() ? GENESIS : head.get(0).hash()};
              List<Long> seqs = new ArrayList<>();
              List<Long> positions = new ArrayList<>();
              List<String> prevHashes = new ArrayList<>();
              List<String> hashes = new ArrayList<>();
              jdbc.query(
                  "select c.* from merge_log_unsealed q join merge_log_chained c on c.seq = q.seq"
                      + " where c.chain_pos is null order by q.seq limit 10000",
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

  /**
   * The outcome of re-computing the chain.
   *
   * @param entries entries checked (up to and including the first bad one)
   * @param firstBadSeq the first entry that does not fit, when there is one
   * @param firstBadPosition the first chain position that no longer matches, when there is one (for
   *     a deleted tail: the first position that is gone)
   * @param problem why, in words an auditor reads, in Chinese and English
   * @param anchorsChecked checkpoints the chain was found to match
   * @param headPosition when ok, the position of the last entry checked (the chain's head as the
   *     check found it); null when there was none
   * @param headHash that entry's hash
   */
  public record Verification(
      boolean ok,
      long entries,
      Long firstBadSeq,
      Long firstBadPosition,
      String problem,
      int anchorsChecked,
      Long headPosition,
      String headHash) {

    static Verification failed(
        long entries, Long firstBadSeq, long firstBadPosition, String problem, int anchors) {
      return new Verification(
          false, entries, firstBadSeq, firstBadPosition, problem, anchors, null, null);
    }
  }

  /** {@link #verify(List)} without checkpoints: the chain checked only against itself. */
  public Verification verify() {
    return verify(List.of());
  }

  /**
   * Seals what is pending, then re-computes every hash from the first entry, streaming, and answers
   * ok or the first position that does not fit: a gap in the chain's positions, a previous-hash
   * that is not its predecessor's hash, a hash that does not match the entry's content, an entry
   * the hub did not attest, an entry whose hash is not what a checkpoint recorded for its position,
   * or a chain that ends before the newest checkpoint's position.
   */
  public Verification verify(List<ChainAnchor> anchors) {
    seal();
    return walk(1, GENESIS, anchors);
  }

  /**
   * Checks only what was added since {@code last}: that the entry {@code last} names still has its
   * hash, and that every later entry fits the chain and is attested. What a checkpoint writer asks
   * before it signs a newer head, so that it never anchors a chain that was cut or rewritten; the
   * head it signs is the one this check ends at ({@link Verification#headPosition}).
   */
  public Verification verifySince(ChainAnchor last) {
    seal();
    return walk(last.position(), null, List.of(last));
  }

  /**
   * Streams the chain from position {@code from}. {@code expectedPrev} is the previous-hash the
   * first entry must carry, or null when it is not known (the walk then starts at an anchor, whose
   * hash vouches for the entry).
   */
  private Verification walk(long from, String expectedPrev, List<ChainAnchor> anchors) {
    long attestedFrom =
        jdbc.queryForObject(
            "select coalesce(max(seq), 1) from merge_log_attested_from", Long.class);
    java.util.NavigableMap<Long, List<ChainAnchor>> byPosition = new java.util.TreeMap<>();
    for (ChainAnchor a : anchors) {
      byPosition.computeIfAbsent(a.position(), p -> new ArrayList<>()).add(a);
    }
    Walk w = new Walk(from, expectedPrev);
    jdbc.query(
        con -> {
          var ps =
              con.prepareStatement(
                  "select seq, at, action, member_ids, source_records, actor, evidence,"
                      + " prev_hash, hash, attestation, db_role, chain_pos from merge_log_chained"
                      + " where chain_pos >= ? order by chain_pos");
          ps.setLong(1, from);
          ps.setFetchSize(5_000);
          return ps;
        },
        rs -> {
          if (w.bad == null) {
            w.check(read(rs), rs.getLong("chain_pos"), attestedFrom, byPosition);
          }
        });
    if (w.bad == null && !byPosition.isEmpty() && byPosition.lastKey() >= w.position) {
      ChainAnchor newest = byPosition.lastEntry().getValue().get(0);
      long last = w.position - 1;
      w.bad =
          Verification.failed(
              w.entries,
              null,
              w.position,
              "the chain ends at position "
                  + last
                  + ", but the checkpoint signed at "
                  + newest.at()
                  + " names position "
                  + newest.position()
                  + ": entries "
                  + w.position
                  + " to "
                  + newest.position()
                  + " were deleted / 哈希链止于第 "
                  + last
                  + " 条，而 "
                  + newest.at()
                  + " 签署的检查点记录到第 "
                  + newest.position()
                  + " 条：第 "
                  + w.position
                  + " 至 "
                  + newest.position()
                  + " 条已被删除",
              w.anchorsChecked);
    }
    if (w.bad != null) {
      return w.bad;
    }
    boolean any = w.position > from;
    return new Verification(
        true,
        w.entries,
        null,
        null,
        null,
        w.anchorsChecked,
        any ? w.position - 1 : null,
        any ? w.expectedPrev : null);
  }

  /** The state of one walk along the chain. */
  private final class Walk {
    long position;
    String expectedPrev;
    long entries;
    long lastAnchored;
    int anchorsChecked;
    Verification bad;

    Walk(long from, String expectedPrev) {
      this.position = from;
      this.expectedPrev = expectedPrev;
      this.lastAnchored = from - 1;
    }

    void check(
        MergeLogEntry e,
        long chainPos,
        long attestedFrom,
        java.util.NavigableMap<Long, List<ChainAnchor>> anchors) {
      entries++;
      if (chainPos != position) {
        fail(e, "entry " + position + " is missing / 第 " + position + " 条缺失");
        return;
      }
      if (expectedPrev != null && !e.prevHash().equals(expectedPrev)) {
        fail(e, "its previous-hash does not match the entry before it / 与上一条的哈希不符");
        return;
      }
      if (!hash(e.prevHash(), canonical(e)).equals(e.hash())) {
        fail(
            e,
            "its content does not match its hash: it was changed after it was written"
                + " / 内容与哈希不符：写入后被改动过");
        return;
      }
      // entries from before attestations have neither; the database stamps db_role on every
      // later one, whatever seq it claims
      if ((e.seq() >= attestedFrom || e.dbRole() != null)
          && !attestations.attests(
              attestedText(e.action(), e.memberIds(), e.sourceRecords(), e.actor(), e.evidence()),
              e.attestation())) {
        fail(
            e,
            "the hub did not write it: it carries no valid attestation of the hub's key, so it was"
                + " inserted into the database directly (by "
                + (e.dbRole() == null ? "an unknown role" : "the role " + e.dbRole())
                + ") / 此条非本系统写入：没有本系统密钥的有效签证，是直接插入数据库的");
        return;
      }
      for (ChainAnchor a : anchors.getOrDefault(position, List.of())) {
        if (!a.hash().equals(e.hash())) {
          fail(
              e,
              "it no longer matches the checkpoint signed at "
                  + a.at()
                  + ": an entry after position "
                  + lastAnchored
                  + " (the last that matches a checkpoint) and up to this one was changed and the"
                  + " hashes after it recomputed / 与 "
                  + a.at()
                  + " 签署的检查点不符：第 "
                  + lastAnchored
                  + " 条之后、本条及之前的某条被改动，并重新计算了其后的哈希");
          return;
        }
        anchorsChecked++;
        lastAnchored = position;
      }
      expectedPrev = e.hash();
      position++;
    }

    private void fail(MergeLogEntry e, String why) {
      bad = Verification.failed(entries, e.seq(), position, why, anchorsChecked);
    }
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
        rs.getString("hash"),
        rs.getString("attestation"),
        rs.getString("db_role"));
  }

  private static Object array(Array a) throws SQLException {
    return a == null ? new Object[0] : a.getArray();
  }

  /**
   * The text an entry's hash covers: every field but the hash itself, one per line, in a fixed
   * order and format (time in UTC to the microsecond, lists quoted, ids in their stored order).
   */
  static String canonical(MergeLogEntry e) {
    String text =
        String.join(
            "\n",
            Long.toString(e.seq()),
            e.at().truncatedTo(ChronoUnit.MICROS).toString(),
            e.action().name(),
            quoted(e.memberIds().stream().map(UUID::toString).toList()),
            quoted(e.sourceRecords()),
            e.actor(),
            e.evidence());
    // entries written before attestations and database roles were recorded hash as they did then
    if (e.attestation() == null && e.dbRole() == null) {
      return text;
    }
    return String.join(
        "\n",
        text,
        e.attestation() == null ? "" : e.attestation(),
        e.dbRole() == null ? "" : e.dbRole());
  }

  /**
   * What the hub's attestation of an entry covers: what the hub decided, not what the database adds
   * (position, time, its role).
   */
  public static String attestedText(
      MergeAction action,
      List<UUID> memberIds,
      List<String> sourceRecords,
      String actor,
      String evidence) {
    return String.join(
        "\n",
        action.name(),
        quoted(memberIds.stream().map(UUID::toString).toList()),
        quoted(sourceRecords),
        actor,
        evidence);
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
