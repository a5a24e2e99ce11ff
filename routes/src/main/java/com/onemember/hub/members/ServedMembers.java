package com.onemember.hub.members;

import com.onemember.mdm.store.RecordJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The members a staff member serves, read from the stored source records themselves: a record's raw
 * column holds the record as it arrived ({@code RecordJson.write(SourceRecord)}), whose {@code
 * servedBy} array names the serving staff. A JSON containment test on that array is answered by the
 * GIN index of V31__source_record_served_by.sql, so a staff member's customers are found without
 * reading every record; the query must keep the indexed expression {@code raw -> 'servedBy'} as it
 * is for the index to apply.
 */
@Component
class ServedMembers {

  private final JdbcTemplate jdbc;

  ServedMembers(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Ids of the live, not erased members having a record that names {@code staffId} (of {@code
   * source}'s staff, or of any system's when {@code source} is {@code null}) among its serving
   * staff: a record's member that was merged away counts as the member it was merged into. Each id
   * once, in PostgreSQL's uuid order (that of the ids' text), after {@code after} when given, at
   * most {@code limit}. The staff id is compared with the raw record's exactly: an id a connector
   * sent with surrounding spaces is found only as sent (the clean form trims it).
   */
  List<UUID> page(String staffId, String source, UUID after, int limit) {
    List<Object> args = new ArrayList<>();
    String served;
    if (source == null) {
      served = "(s.raw -> 'servedBy') @> ?::jsonb";
      args.add(probe(staffId, null, false));
    } else {
      // the raw record is as the connector sent it: an entry without a source is the record's own
      // source's staff (the clean form fills it in), and is asked for by the record's source
      served =
          "((s.raw -> 'servedBy') @> ?::jsonb"
              + " or (s.source = ? and (s.raw -> 'servedBy') @> ?::jsonb))";
      args.add(probe(staffId, source, true));
      args.add(source);
      args.add(probe(staffId, null, true));
    }
    StringBuilder sql =
        new StringBuilder(
            """
            select distinct l.id
              from source_record s
              join member m on m.id = s.member_id
              join member l on l.id = coalesce(m.merged_into, m.id)
             where %s
               and l.erased_at is null and l.withdrawn_at is null"""
                .formatted(served));
    if (after != null) {
      sql.append(" and l.id > ?");
      args.add(after);
    }
    sql.append(" order by l.id limit ?");
    args.add(limit);
    return jdbc.query(sql.toString(), (rs, i) -> rs.getObject(1, UUID.class), args.toArray());
  }

  /**
   * The containment probe: a one-element array of the entry's fields asked for, as {@code
   * RecordJson} writes a {@code ServingStaff} (a source it has not is written as JSON null).
   */
  private static String probe(String staffId, String source, boolean withSource) {
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("staffId", staffId);
    if (withSource) {
      entry.put("source", source);
    }
    return RecordJson.write(List.of(entry));
  }
}
