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
 * Reads a segment's {@link SegmentIndex} from what PostgreSQL has committed, in three statements
 * whatever the segment's size: the size of every key's block, the rows of the blocks still followed
 * with their live members, and the separations among those members. The caller holds the advisory
 * locks of all the segment's keys, so no other ingest adds to these blocks meanwhile.
 */
@Component
class SegmentReader {

  private final JdbcTemplate jdbc;
  private final StoredMatchRecords storedRecords;
  private final MemberSeparations separations;

  SegmentReader(
      JdbcTemplate jdbc, StoredMatchRecords storedRecords, MemberSeparations separations) {
    this.jdbc = jdbc;
    this.storedRecords = storedRecords;
    this.separations = separations;
  }

  SegmentIndex read(Collection<String> keys, MatchSettings settings) {
    int cap = settings.blockCap();
    Map<String, SegmentIndex.Block> blocks = new HashMap<>();
    List<String> followed = new ArrayList<>();
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
          } else {
            blocks.put(key, new SegmentIndex.Block(size, new ArrayList<>(size)));
            followed.add(key);
          }
        });
    Map<Long, UUID> memberOfRecord = new HashMap<>();
    Map<UUID, SegmentIndex.Held> live = new HashMap<>();
    if (!followed.isEmpty()) {
      // a record always points at a live member (a merge moves the absorbed member's records)
      jdbc.query(
          """
          select k.key, k.source_record_pk, m.id, m.created_at, m.version
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
                  member,
                  new SegmentIndex.Held(
                      member, rs.getTimestamp(4).toInstant(), true, rs.getLong(5)));
            }
          },
          (Object) followed.toArray(String[]::new));
    }
    return new SegmentIndex(
        cap,
        settings.maxCandidates(),
        blocks,
        memberOfRecord,
        live,
        separations.among(List.copyOf(live.keySet())),
        storedRecords::recordsOf);
  }
}
