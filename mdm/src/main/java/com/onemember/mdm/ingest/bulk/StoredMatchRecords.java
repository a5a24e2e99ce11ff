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
import java.util.SortedMap;
import java.util.TreeMap;
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
   * Stored records last read, as many as {@link #kept} allows for this JVM's heap. A stored record
   * in a common name's block is a candidate again and again, and the records of blocks near {@code
   * block-cap} grow with the hub: at 240,000 members, with 20,000 kept, parsing them again was 40%
   * of the hub's time in an import (README, bulk load).
   */
  private final RecentValues<StoredVersion, MatchRecord> storedRecords =
      new RecentValues<>(kept(Runtime.getRuntime().maxMemory()));

  /**
   * Bytes a kept record takes in the heap, about: 450 for the parsed record (measured over 50,000
   * generated Chinese records, heap in use after a full collection with and without them) and some
   * 120 for its key and map entry.
   */
  static final int RECORD_BYTES = 600;

  /**
   * How many parsed records to keep with {@code maxHeap} bytes of heap: an eighth of it, at least
   * 20,000, at most a million (about 220,000 at 1 GB).
   */
  static int kept(long maxHeap) {
    return (int) Math.max(20_000, Math.min(1_000_000, maxHeap / 8 / RECORD_BYTES));
  }

  StoredMatchRecords(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** A candidate member as stored: its version and its records' match features by row id. */
  record StoredMember(long version, SortedMap<Long, MatchRecord> records) {}

  /**
   * The stored records of {@code memberIds} as matching reads them, by member, each keyed by its
   * row id, with the member's version read in the same statement as the records' ids (so a change
   * after it shows as a newer version to the writer's check); parsed once per row version. A member
   * holding no record (merged away meanwhile) is absent.
   */
  Map<UUID, StoredMember> recordsOf(Collection<UUID> memberIds) {
    Map<UUID, StoredMember> out = new HashMap<>();
    if (memberIds.isEmpty()) {
      return out;
    }
    Map<UUID, List<Long>> recordIds = new HashMap<>();
    Map<UUID, Long> versions = new HashMap<>();
    Map<UUID, List<MatchRecord>> byMember =
        recordsByMember(List.copyOf(memberIds), recordIds, versions);
    byMember.forEach(
        (member, held) -> {
          SortedMap<Long, MatchRecord> records = new TreeMap<>();
          List<Long> ids = recordIds.get(member);
          for (int i = 0; i < held.size(); i++) {
            records.put(ids.get(i), held.get(i));
          }
          out.put(member, new StoredMember(versions.get(member), records));
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
      List<UUID> memberIds, Map<UUID, List<Long>> recordIds, Map<UUID, Long> memberVersions) {
    Map<UUID, List<MatchRecord>> out = new LinkedHashMap<>();
    List<OwnedVersion> versions = storedVersions(memberIds);
    versions.forEach(o -> memberVersions.put(o.member(), o.memberVersion()));
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

  /**
   * The records the members hold, with their row versions and their members' versions, in record id
   * order.
   */
  private List<OwnedVersion> storedVersions(List<UUID> memberIds) {
    List<OwnedVersion> out = new ArrayList<>();
    if (memberIds.isEmpty()) {
      return out;
    }
    // xmin changes with every update of the row, whichever code path writes it
    queryByArray(
        "select r.member_id, r.id, r.xmin::text, m.version from source_record r"
            + " join member m on m.id = r.member_id where r.member_id = any(?) order by r.id",
        "uuid",
        memberIds,
        rs ->
            out.add(
                new OwnedVersion(
                    rs.getObject(1, UUID.class),
                    rs.getLong(4),
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

  /** A stored record's version and the member holding it, at the member's version. */
  private record OwnedVersion(UUID member, long memberVersion, StoredVersion version) {}
}
