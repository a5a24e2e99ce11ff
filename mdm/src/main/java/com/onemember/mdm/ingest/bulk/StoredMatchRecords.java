package com.onemember.mdm.ingest.bulk;

import com.onemember.mdm.matching.RecentValues;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.store.RecordJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * The stored records of candidate members as matching reads them (clean form and match features),
 * parsed once per row version and kept: a stored record in a common name's block is a candidate for
 * one incoming record after another, and parsing its clean JSON again each time was a large part of
 * the hub's time. The writers hand over what they just wrote ({@link #remember}).
 */
@Component
class StoredMatchRecords {

  private final JdbcTemplate jdbc;

  /**
   * Stored records last read, at most 20,000 (about 60 MB): enough for the blocks of the common
   * names that recur in a chain's files.
   */
  private final RecentValues<StoredVersion, MatchRecord> storedRecords = new RecentValues<>(20_000);

  StoredMatchRecords(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The stored records of {@code memberIds} as matching reads them, by member, each keyed by its
   * row id, in id order; parsed once per row version.
   */
  Map<UUID, java.util.SortedMap<Long, MatchRecord>> recordsOf(Collection<UUID> memberIds) {
    Map<UUID, java.util.SortedMap<Long, MatchRecord>> out = new HashMap<>();
    if (memberIds.isEmpty()) {
      return out;
    }
    Map<UUID, List<Long>> recordIds = new HashMap<>();
    Map<UUID, List<MatchRecord>> byMember = recordsByMember(List.copyOf(memberIds), recordIds);
    byMember.forEach(
        (member, held) -> {
          java.util.SortedMap<Long, MatchRecord> records = new java.util.TreeMap<>();
          List<Long> ids = recordIds.get(member);
          for (int i = 0; i < held.size(); i++) {
            records.put(ids.get(i), held.get(i));
          }
          out.put(member, records);
        });
    return out;
  }

  /**
   * Keeps the parsed form of a record just written (row {@code id} at row version {@code xmin}), so
   * that the next reads of it need not parse its clean text again.
   */
  void remember(long id, String xmin, MatchRecord record) {
    storedRecords.put(new StoredVersion(id, xmin), record);
  }

  /**
   * The stored records of the candidates as matching reads them (clean form and match features), by
   * member, in record order; {@code recordIds} receives their ids. A stored record in a common
   * name's block is a candidate for one incoming record after another, so its parsed form and
   * features are kept, keyed by its row version: first only ids and versions are read, then the
   * clean text of the records not kept. (Keying the kept values by the whole clean record cost a
   * fifth of the hub's time in hashing at 300,000 members.)
   */
  private Map<UUID, List<MatchRecord>> recordsByMember(
      List<UUID> memberIds, Map<UUID, List<Long>> recordIds) {
    Map<UUID, List<MatchRecord>> out = new LinkedHashMap<>();
    List<OwnedVersion> versions = storedVersions(memberIds);
    Map<Long, MatchRecord> known = new HashMap<>();
    List<Long> missing = new ArrayList<>();
    for (OwnedVersion owned : versions) {
      MatchRecord kept = storedRecords.peek(owned.version());
      if (kept != null) {
        known.put(owned.version().id(), kept);
      } else {
        missing.add(owned.version().id());
      }
    }
    if (!missing.isEmpty()) {
      queryByArray(
          "select id, xmin::text, clean::text from source_record where id = any(?)",
          "bigint",
          missing,
          rs -> {
            MatchRecord parsed = MatchRecords.of(RecordJson.clean(rs.getString(3)));
            storedRecords.put(new StoredVersion(rs.getLong(1), rs.getString(2)), parsed);
            known.put(rs.getLong(1), parsed);
          });
    }
    for (OwnedVersion owned : versions) {
      MatchRecord stored = known.get(owned.version().id());
      if (stored == null) {
        continue; // moved to another member or removed between the two reads
      }
      out.computeIfAbsent(owned.member(), k -> new ArrayList<>()).add(stored);
      recordIds.computeIfAbsent(owned.member(), k -> new ArrayList<>()).add(owned.version().id());
    }
    return out;
  }

  /** The records the members hold, with their row versions, in record id order. */
  private List<OwnedVersion> storedVersions(List<UUID> memberIds) {
    List<OwnedVersion> out = new ArrayList<>();
    if (memberIds.isEmpty()) {
      return out;
    }
    // xmin changes with every update of the row, whichever code path writes it
    queryByArray(
        "select member_id, id, xmin::text from source_record where member_id = any(?) order by id",
        "uuid",
        memberIds,
        rs ->
            out.add(
                new OwnedVersion(
                    rs.getObject(1, UUID.class),
                    new StoredVersion(rs.getLong(2), rs.getString(3)))));
    return out;
  }

  /** A query whose one parameter is an SQL array of {@code elementType}. */
  private void queryByArray(
      String sql, String elementType, Collection<?> values, RowCallbackHandler rows) {
    jdbc.query(
        con -> {
          var ps = con.prepareStatement(sql);
          ps.setArray(1, con.createArrayOf(elementType, values.toArray()));
          return ps;
        },
        rows);
  }

  /** A stored record's row and version. */
  private record StoredVersion(long id, String xmin) {}

  /** A stored record's version and the member holding it. */
  private record OwnedVersion(UUID member, StoredVersion version) {}
}
