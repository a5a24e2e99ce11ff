package com.onemember.mdm.matchmodels;

import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.store.RecordJson;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The most recent stored source records in arrival order, as training and the dry run read them:
 * each with its name in the merge log (source:sourceRecordId) and the member holding it now.
 *
 * @param stored source records the hub holds in all
 */
record StoredRecords(
    List<MatchRecord> records, List<String> names, List<UUID> members, long stored) {

  static StoredRecords latest(JdbcTemplate jdbc, int max) {
    List<MatchRecord> records = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<UUID> members = new ArrayList<>();
    jdbc.query(
        """
        select clean::text, source || ':' || source_record_id, member_id
          from (select * from source_record order by id desc limit ?) latest
         order by id""",
        rs -> {
          records.add(MatchRecords.of(RecordJson.clean(rs.getString(1))));
          names.add(rs.getString(2));
          members.add(rs.getObject(3, UUID.class));
        },
        max);
    Long stored = jdbc.queryForObject("select count(*) from source_record", Long.class);
    return new StoredRecords(records, names, members, stored == null ? 0 : stored);
  }
}
