package com.onemember.mdm.ingest.bulk;

import com.onemember.mdm.ingest.MemberSeparations;
import com.onemember.mdm.matchmodels.MatchSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    BlockCache.Look look = cache.look();
    int cap = settings.blockCap();
    Map<String, SegmentIndex.Block> blocks = new HashMap<>();
    Map<Long, UUID> memberOfRecord = new HashMap<>();
    Map<UUID, SegmentIndex.Held> live = new HashMap<>();
    List<String> unread = new ArrayList<>();
    String[] all = keys.toArray(String[]::new);
    Map<String, Integer> sizes = new HashMap<>();
    jdbc.query(
        "select key, count(*) from match_key where key = any(?) group by key",
        rs -> {
          sizes.put(rs.getString(1), rs.getInt(2));
        },
        (Object) all);
    sizes.forEach(
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
            long row = kept.rows()[i];
            UUID member = kept.members()[i];
            rows.add(row);
            memberOfRecord.put(row, member);
            if (!live.containsKey(member)) {
              live.put(member, new SegmentIndex.Held(member, kept.created()[i], true, -1));
            }
          }
          blocks.put(key, new SegmentIndex.Block(size, rows));
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
