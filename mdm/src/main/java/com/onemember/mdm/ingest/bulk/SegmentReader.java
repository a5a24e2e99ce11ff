package com.onemember.mdm.ingest.bulk;

import com.onemember.mdm.ingest.MemberSeparations;
import com.onemember.mdm.matchmodels.MatchSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads a segment's {@link SegmentIndex}: the size of every key's block, the rows of the blocks
 * still followed with their live members, and the separations among those members, as PostgreSQL
 * has them committed (with what the caller's transaction wrote before). A followed block the hub's
 * {@link BlockCache} holds at the size PostgreSQL counts now is taken from there; only the others
 * are read, so a chunk reads what changed since the chunks before it, not its thousands of blocks
 * again. The caller holds the advisory locks of all the segment's keys, so no other ingest adds to
 * these blocks meanwhile.
 */
@Component
class SegmentReader {

  private final JdbcTemplate jdbc;
  private final StoredMatchRecords storedRecords;
  private final MemberSeparations separations;
  private final BlockCache cache;

  /** Followed blocks taken from the cache and read from PostgreSQL, since start (for figures). */
  private final AtomicLong blocksCached = new AtomicLong();

  private final AtomicLong blocksRead = new AtomicLong();

  SegmentReader(
      JdbcTemplate jdbc,
      StoredMatchRecords storedRecords,
      MemberSeparations separations,
      BlockCache cache) {
    this.jdbc = jdbc;
    this.storedRecords = storedRecords;
    this.separations = separations;
    this.cache = cache;
  }

  /**
   * The segment's index. With {@code fromDatabase}, every block is read from PostgreSQL, none taken
   * from the cache (a segment decided again after it lost a race reads under its members' locks).
   */
  SegmentIndex read(Collection<String> keys, MatchSettings settings, boolean fromDatabase) {
    // the sizes and the changes since the last look in one snapshot: a cached block of the size
    // counted here is the block as committed in it
    BlockCache.Look look = cache.look(keys.toArray(String[]::new));
    int cap = settings.blockCap();
    Map<String, SegmentIndex.Block> blocks = new HashMap<>();
    Map<Long, UUID> memberOfRecord = new HashMap<>();
    Map<UUID, SegmentIndex.Held> live = new HashMap<>();
    List<String> unread = new ArrayList<>();
    look.sizes()
        .forEach(
            (key, size) -> {
              if (size > cap) {
                blocks.put(key, new SegmentIndex.Block(size, null));
                return;
              }
              BlockCache.Cached kept = fromDatabase ? null : cache.get(key);
              if (kept == null || kept.size() != size) {
                blocks.put(key, new SegmentIndex.Block(size, new ArrayList<>(size)));
                unread.add(key);
                return;
              }
              List<Long> rows = new ArrayList<>(size);
              for (int i = 0; i < size; i++) {
                long row = kept.row(i);
                UUID member = kept.member(i);
                rows.add(row);
                memberOfRecord.put(row, member);
                if (!live.containsKey(member)) {
                  live.put(member, new SegmentIndex.Held(member, kept.created(i), true, -1));
                }
              }
              blocks.put(key, new SegmentIndex.Block(size, rows));
              blocksCached.incrementAndGet();
            });
    if (!unread.isEmpty()) {
      // a record always points at a live member (a merge moves the absorbed member's records)
      jdbc.query(
          """
          select k.key, k.source_record_pk, m.id, m.created_at
            from match_key k
            join source_record r on r.id = k.source_record_pk
            join member m on m.id = r.member_id
           where k.key = any(?)""",
          rs -> {
            long row = rs.getLong(2);
            UUID member = rs.getObject(3, UUID.class);
            blocks.get(rs.getString(1)).rows.add(row);
            memberOfRecord.put(row, member);
            if (!live.containsKey(member)) {
              live.put(
                  member, new SegmentIndex.Held(member, rs.getTimestamp(4).toInstant(), true, -1));
            }
          },
          (Object) unread.toArray(String[]::new));
      blocksRead.addAndGet(unread.size());
    }
    SegmentIndex index =
        new SegmentIndex(
            cap,
            settings.maxCandidates(),
            blocks,
            memberOfRecord,
            live,
            separations.among(List.copyOf(live.keySet())),
            storedRecords::recordsOf);
    index.look = look;
    return index;
  }

  /** How many followed blocks were taken from the cache since the hub started. */
  long blocksFromCache() {
    return blocksCached.get();
  }

  /** How many followed blocks were read from PostgreSQL since the hub started. */
  long blocksFromDatabase() {
    return blocksRead.get();
  }

  /**
   * The segment was written in the current transaction: its blocks go to the hub's cache when the
   * transaction commits.
   */
  void written(SegmentIndex index) {
    if (index.look != null) {
      cache.keepAfterCommit(index, index.look);
    }
  }
}
