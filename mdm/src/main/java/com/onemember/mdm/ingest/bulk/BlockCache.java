package com.onemember.mdm.ingest.bulk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The hub's candidate index across segments, chunks and transactions: the followed blocks (key, its
 * records and their members) as committed after the segments this hub read or wrote. Without it
 * every chunk of an import read the whole blocks of its thousands of keys again with their members,
 * and the cost grew with the hub: at 330,000 members a chunk's read was 85,000 key rows (1.5 s) and
 * the import slowed from 544 to 284 rows/s.
 *
 * <p>A cached block is used only while PostgreSQL says nothing changed it, which takes two checks,
 * each sound whoever made the change (another hub, a steward, an erasure, a rollback, a script): a
 * row added to a block raises its row count, which {@link #look} reads; and every row a block loses
 * or whose record moves to another member is logged by a trigger in {@code match_block_change}
 * (V40) with its transaction's id. Each {@link #look} takes, in the same statement, the keys logged
 * by transactions at or after the oldest one running at the previous look (PostgreSQL's snapshot
 * {@code xmin}, the watermark), drops those blocks, and moves the watermark to its own snapshot's:
 * any change it did not see has a transaction id at or above that. A segment's blocks are added
 * after its transaction commits ({@link #keepAfterCommit}), minus the blocks a look saw changed
 * after the segment's own look, which the cache remembers for twice {@link #FOLD_WINDOW}. When the
 * log was pruned past the watermark ({@link BlockChangeLog#prune}), the cache starts afresh.
 *
 * <p>Members' versions are not kept: a candidate's version is read with its records ({@link
 * StoredMatchRecords#recordsOf}), and the writer checks it under the member's lock; {@link
 * SegmentIndex} checks that the rows the blocks give a candidate are the records it holds.
 */
@Component
class BlockCache {

  /** Heap a kept row takes, about: four longs in its block's array. */
  static final int ROW_BYTES = 40;

  /**
   * Rows kept in all blocks, least recently used block out first: a sixteenth of the heap, at least
   * 100,000 (about 1.7 million rows at 1 GB).
   */
  static long keptRows(long maxHeap) {
    return Math.max(100_000, maxHeap / 16 / ROW_BYTES);
  }

  private final long keptRows = keptRows(Runtime.getRuntime().maxMemory());
  private long rowsKept;

  /**
   * How long a segment may take from its look to its commit and still add its blocks; the changes a
   * look saw are remembered twice as long to keep such a segment from adding stale ones.
   */
  static final Duration FOLD_WINDOW = Duration.ofMinutes(2);

  /**
   * A cache not looked at for longer than this is emptied, so that an idle hub's old watermark does
   * not stand for blocks it last checked long ago.
   */
  static final Duration MAX_IDLE = Duration.ofHours(1);

  /**
   * A followed block as committed: its rows in order, each with its member and that member's
   * creation, flat in one array of longs (row, the member id's two halves, creation in epoch
   * microseconds), so a kept row costs no objects.
   */
  static final class Cached {
    private final long[] data;

    /** A block of {@code rows} rows, filled with {@link #set}. */
    Cached(int rows) {
      data = new long[rows * 4];
    }

    /** Row {@code i} of the block: the record's row, its member and the member's creation. */
    Cached set(int i, long row, UUID member, Instant created) {
      data[4 * i] = row;
      data[4 * i + 1] = member.getMostSignificantBits();
      data[4 * i + 2] = member.getLeastSignificantBits();
      data[4 * i + 3] =
          Math.addExact(
              Math.multiplyExact(created.getEpochSecond(), 1_000_000L), created.getNano() / 1_000);
      return this;
    }

    int size() {
      return data.length / 4;
    }

    long row(int i) {
      return data[4 * i];
    }

    UUID member(int i) {
      return new UUID(data[4 * i + 1], data[4 * i + 2]);
    }

    Instant created(int i) {
      long micros = data[4 * i + 3];
      return Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
    }
  }

  /**
   * What a look returns: the watermark a segment keeps its blocks under, when it was taken, and the
   * sizes of the blocks asked for, in the same snapshot (keys without rows are absent).
   */
  record Look(long watermark, long at, Map<String, Integer> sizes) {}

  /** A key a look found changed: by which transaction, and when the look saw it. */
  private record Seen(String key, long xid, long at) {}

  private final JdbcTemplate jdbc;

  private final LinkedHashMap<String, Cached> blocks = new LinkedHashMap<>(1024, 0.75f, true);

  /**
   * The highest transaction id a look saw change each key, and when it last saw one, while
   * remembered.
   */
  private final Map<String, Seen> changedBy = new HashMap<>();

  private final ArrayDeque<Seen> seen = new ArrayDeque<>();
  private long watermark = -1;
  private long lastLook = -1;

  BlockCache(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Looks at PostgreSQL in one statement, so in one snapshot: the block sizes of {@code keys}, the
   * keys logged changed since the previous look, and how far the log was pruned. Drops the blocks
   * changed and returns the sizes with this look's watermark. A cached block whose size equals the
   * size read here is then exactly the block in this snapshot: a row added raises the count, a row
   * lost or moved to another member is logged.
   */
  Look look(String[] keys) {
    long since;
    synchronized (this) {
      long now = System.nanoTime();
      if (lastLook >= 0 && now - lastLook > MAX_IDLE.toNanos()) {
        clear();
      }
      since = watermark;
    }
    long at = System.nanoTime();
    long[] mark = new long[2];
    List<Seen> changes = new ArrayList<>();
    Map<String, Integer> sizes = new HashMap<>();
    jdbc.query(
        """
        select 'x', pg_snapshot_xmin(pg_current_snapshot())::text,
               (select below::text from match_block_change_pruned)
        union all
        select 'c', c.key, max(c.xid::text::numeric)::text
          from match_block_change c
         where ? and c.xid >= ?::text::xid8
         group by c.key
        union all
        select 's', key, count(*)::text from match_key where key = any(?) group by key""",
        rs -> {
          switch (rs.getString(1)) {
            case "x" -> {
              mark[0] = Long.parseLong(rs.getString(2));
              mark[1] = Long.parseLong(rs.getString(3));
            }
            case "c" -> changes.add(new Seen(rs.getString(2), Long.parseLong(rs.getString(3)), at));
            default -> sizes.put(rs.getString(2), Integer.parseInt(rs.getString(3)));
          }
        },
        since >= 0,
        Long.toString(Math.max(since, 0)),
        keys);
    synchronized (this) {
      if (since >= 0 && since < mark[1]) {
        // entries this cache needed were pruned (a transaction open for longer than the log keeps)
        clear();
      } else {
        for (Seen s : changes) {
          drop(s.key());
          changedBy.merge(s.key(), s, (a, b) -> new Seen(a.key(), Math.max(a.xid(), b.xid()), at));
          seen.addLast(s);
        }
      }
      forgetOldChanges(at);
      if (watermark == since) {
        watermark = mark[0];
      }
      lastLook = at;
    }
    return new Look(mark[0], at, sizes);
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
            drop(key);
            blocks.put(key, block);
            rowsKept += block.size();
          } else {
            drop(key);
          }
        });
    fit();
  }

  private void drop(String key) {
    Cached gone = blocks.remove(key);
    if (gone != null) {
      rowsKept -= gone.size();
    }
  }

  /** Drops the least recently used blocks until the rows kept fit {@link #keptRows}. */
  private void fit() {
    var eldest = blocks.entrySet().iterator();
    while (rowsKept > keptRows && eldest.hasNext()) {
      rowsKept -= eldest.next().getValue().size();
      eldest.remove();
    }
  }

  /** Forgets everything: the next look starts a new watermark. */
  synchronized void clear() {
    blocks.clear();
    rowsKept = 0;
    changedBy.clear();
    seen.clear();
    watermark = -1;
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
}
