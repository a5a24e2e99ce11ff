package com.onemember.mdm.ingest.bulk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hub's candidate index across segments, chunks and transactions: the followed blocks (key, its
 * records and their members) as committed after the segments this hub read or wrote. Without it
 * every chunk of an import read the whole blocks of its thousands of keys again with their members,
 * and the cost grew with the hub: at 330,000 members a chunk's read was 85,000 key rows (1.5 s) and
 * the import slowed from 544 to 284 rows/s.
 *
 * <p>A cached block is used only while PostgreSQL says nothing changed it, which takes two checks,
 * each sound whoever made the change (another hub, a steward, an erasure): a block gains records
 * only by an ingest holding its key's lock, so {@link SegmentReader} compares its row count; and
 * every lost record or record moved to another member is logged by a trigger in {@code
 * match_block_change} (V40) with its transaction's id. Each {@link #look} takes the keys logged by
 * transactions at or after the oldest one running at the previous look (PostgreSQL's snapshot
 * {@code xmin}, the watermark), drops those blocks, and moves the watermark to its own snapshot's:
 * any change it did not see has a transaction id at or above that. A segment's blocks are added
 * after its transaction commits ({@link #keepAfterCommit}), minus the blocks changed since its
 * look, which the cache remembers for {@link #FOLD_WINDOW}.
 *
 * <p>Members' versions are not kept: a candidate's version is read with its records ({@link
 * StoredMatchRecords#recordsOf}), and the writer checks it under the member's lock.
 */
@Component
class BlockCache {

  /** Blocks kept, least recently used out first: about 40 MB at the blocks' usual sizes. */
  static final int KEPT_BLOCKS = 200_000;

  /**
   * How long a segment may take from its look to its commit and still add its blocks; and how long
   * the changes a look saw are remembered to keep such a segment from adding stale ones.
   */
  static final Duration FOLD_WINDOW = Duration.ofMinutes(2);

  /**
   * A cache not looked at for longer than this is emptied: the log keeps a day, pruned by time, and
   * a watermark older than what is left would miss changes.
   */
  static final Duration MAX_IDLE = Duration.ofHours(1);

  /** Log entries older than this are deleted, at most every {@link #PRUNE_EVERY}. */
  static final Duration LOG_KEPT = Duration.ofDays(1);

  static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

  /** A followed block as committed: its rows in order, each with its member and its creation. */
  record Cached(long[] rows, UUID[] members, Instant[] created) {
    int size() {
      return rows.length;
    }
  }

  /** What a look returns: the watermark a segment keeps its blocks under, and when it was taken. */
  record Look(long watermark, long at) {}

  /** A key a look found changed: by which transaction, and when the look saw it. */
  private record Seen(String key, long xid, long at) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate ownTransaction;

  private final LinkedHashMap<String, Cached> blocks =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
          return size() > KEPT_BLOCKS;
        }
      };

  /**
   * The highest transaction id a look saw change each key, and when it last saw one, while
   * remembered.
   */
  private final Map<String, Seen> changedBy = new HashMap<>();

  private final ArrayDeque<Seen> seen = new ArrayDeque<>();
  private long watermark = -1;
  private long lastLook = -1;
  private long lastPrune = -1;

  BlockCache(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /**
   * Drops the blocks changed since the previous look and returns this look's watermark. Call before
   * reading counts and blocks.
   */
  Look look() {
    long since;
    synchronized (this) {
      long now = System.nanoTime();
      if (lastLook >= 0 && now - lastLook > MAX_IDLE.toNanos()) {
        clear();
      }
      since = watermark;
    }
    prune();
    long mark;
    List<Seen> changes = new java.util.ArrayList<>();
    if (since < 0) {
      mark =
          jdbc.queryForObject("select pg_snapshot_xmin(pg_current_snapshot())::text", Long.class);
    } else {
      long at = System.nanoTime();
      Long[] m = new Long[1];
      jdbc.query(
          """
          select pg_snapshot_xmin(pg_current_snapshot())::text, c.key, max(c.xid::text::numeric)
            from (select 1) one
            left join match_block_change c on c.xid >= ?::text::xid8
           group by 1, 2""",
          rs -> {
            m[0] = Long.parseLong(rs.getString(1));
            String key = rs.getString(2);
            if (key != null) {
              changes.add(new Seen(key, rs.getBigDecimal(3).longValueExact(), at));
            }
          },
          Long.toString(since));
      mark = m[0];
    }
    long at = System.nanoTime();
    synchronized (this) {
      for (Seen s : changes) {
        blocks.remove(s.key());
        changedBy.merge(
            s.key(), s, (a, b) -> new Seen(a.key(), Math.max(a.xid(), b.xid()), b.at()));
        seen.addLast(s);
      }
      forgetOldChanges(at);
      if (watermark == since) {
        watermark = mark;
      }
      lastLook = at;
    }
    return new Look(mark, at);
  }

  /** The cached block of {@code key}, or null. */
  synchronized Cached get(String key) {
    return blocks.get(key);
  }

  /**
   * After the current transaction commits, keeps the followed blocks of a segment it wrote, as
   * {@code index} ended: read after {@code look}, then changed only by the segment (it held the
   * keys' locks). Blocks a later look saw changed by a transaction at or after the segment's
   * watermark are left out, and so is everything of a segment that took longer than {@link
   * #FOLD_WINDOW}. Outside a transaction, nothing is kept.
   */
  void keepAfterCommit(SegmentIndex index, Look look) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return;
    }
    Map<String, Cached> kept = index.followedBlocks();
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            keep(kept, look);
          }
        });
  }

  private synchronized void keep(Map<String, Cached> kept, Look look) {
    long now = System.nanoTime();
    if (now - look.at() > FOLD_WINDOW.toNanos() || watermark < 0) {
      return;
    }
    forgetOldChanges(now);
    kept.forEach(
        (key, block) -> {
          Seen changed = changedBy.get(key);
          if (changed == null || changed.xid() < look.watermark()) {
            blocks.put(key, block);
          } else {
            blocks.remove(key);
          }
        });
  }

  /** Forgets everything: the next look starts a new watermark. */
  synchronized void clear() {
    blocks.clear();
    changedBy.clear();
    seen.clear();
    watermark = -1;
  }

  /** How many blocks are kept (for tests and figures). */
  synchronized int size() {
    return blocks.size();
  }

  /** The keys whose blocks are kept now (for tests). */
  synchronized Collection<String> keys() {
    return List.copyOf(blocks.keySet());
  }

  /**
   * Forgets changes seen more than twice {@link #FOLD_WINDOW} ago: a segment that may still add its
   * blocks looked less than one window ago, and a change it must not miss was seen after its look
   * began.
   */
  private void forgetOldChanges(long now) {
    long oldest = now - 2 * FOLD_WINDOW.toNanos();
    while (!seen.isEmpty() && seen.peekFirst().at() < oldest) {
      Seen s = seen.removeFirst();
      Seen latest = changedBy.get(s.key());
      if (latest != null && latest.at() < oldest) {
        changedBy.remove(s.key());
      }
    }
  }

  /**
   * Deletes log entries older than {@link #LOG_KEPT}, in a transaction of its own and skipping rows
   * another hub is deleting, at most every {@link #PRUNE_EVERY}.
   */
  private void prune() {
    synchronized (this) {
      long now = System.nanoTime();
      if (lastPrune >= 0 && now - lastPrune < PRUNE_EVERY.toNanos()) {
        return;
      }
      lastPrune = now;
    }
    ownTransaction.executeWithoutResult(
        status ->
            jdbc.update(
                """
                delete from match_block_change where ctid in (
                  select ctid from match_block_change
                   where logged_at < now() - make_interval(secs => ?)
                   for update skip locked limit 100000)""",
                (double) LOG_KEPT.toSeconds()));
  }
}
