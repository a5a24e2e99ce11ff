package com.onemember.mdm.ingest;

import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.matching.RecentValues;
import com.onemember.mdm.matchmodels.MatchEngine;
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
 * Ingest's first stage: the candidate members of a record, read from what PostgreSQL has committed.
 * A key shared by more than {@code block-cap} stored records is not followed; the members holding
 * records under the followed keys are ranked by how many key rows they share, then by age, and the
 * first {@code max-candidates} are read with their records (the same search {@code
 * MemberClustering} runs in memory).
 */
@Component
public class StoredCandidates {

  private final JdbcTemplate jdbc;
  private final MatchEngine engine;
  private final MemberSeparations separations;

  /**
   * Stored records last read, at most 20,000 (about 60 MB): enough for the blocks of the common
   * names that recur in a chain's files.
   */
  private final RecentValues<StoredVersion, MatchRecord> storedRecords = new RecentValues<>(20_000);

  public StoredCandidates(JdbcTemplate jdbc, MatchEngine engine, MemberSeparations separations) {
    this.jdbc = jdbc;
    this.engine = engine;
    this.separations = separations;
  }

  /** The candidates of a record with these match keys, as committed now. */
  public CandidateSet find(List<String> keys) {
    if (keys.isEmpty()) {
      return read(List.of(), List.of(), List.of());
    }
    int cap = engine.settings().blockCap();
    List<String> followed = new ArrayList<>(keys);
    List<String> skipped = new ArrayList<>();
    jdbc.query(
        "select key, count(*) from match_key where key = any(?) group by key having count(*) > ?",
        rs -> {
          String key = rs.getString(1);
          followed.remove(key);
          skipped.add(key + " (" + rs.getLong(2) + " records)");
        },
        keys.toArray(String[]::new),
        cap);
    return read(followed, skipped, candidateMembers(followed));
  }

  /**
   * The members {@code candidateIds} (found again by {@link #candidateMembers} for {@code
   * earlier}'s keys, and locked by the caller) read as {@code earlier} was: the caller found that a
   * member it was about to change had changed since {@code earlier} was read.
   */
  public CandidateSet findAgain(CandidateSet earlier, List<UUID> candidateIds) {
    return read(earlier.followed(), earlier.skipped(), candidateIds);
  }

  /**
   * The live members holding records under {@code followed} keys: those sharing most key rows
   * first, then the oldest. Ties are common (a common name's block holds dozens of members sharing
   * one key with the record) and the cut at {@code max-candidates} falls among them, so they are
   * broken by age, which the same records in the same order always give, and not by the random id
   * alone, which made the same file give other members from one run to the next.
   */
  public List<UUID> candidateMembers(List<String> followed) {
    if (followed.isEmpty()) {
      return List.of();
    }
    return jdbc.query(
        """
        select l.id as member_id, count(*) as shared
          from match_key k
          join source_record r on r.id = k.source_record_pk
          join member m on m.id = r.member_id
          join member l on l.id = coalesce(m.merged_into, m.id)
         where k.key = any(?)
         group by l.id, l.created_at
         order by shared desc, l.created_at, l.id
         limit ?""",
        (rs, i) -> rs.getObject(1, UUID.class),
        followed.toArray(String[]::new),
        engine.settings().maxCandidates());
  }

  /** The ids of the records the members hold now, in id order. */
  public Map<UUID, List<Long>> recordIdsByMember(List<UUID> memberIds) {
    Map<UUID, List<Long>> out = new HashMap<>();
    for (OwnedVersion v : storedVersions(memberIds)) {
      out.computeIfAbsent(v.member(), k -> new ArrayList<>()).add(v.version().id());
    }
    return out;
  }

  /**
   * The stored records of {@code memberIds} as matching reads them, by member, each keyed by its
   * row id, in id order; parsed once per row version, as for {@link #find}.
   */
  public Map<UUID, java.util.SortedMap<Long, MatchRecord>> recordsOf(Collection<UUID> memberIds) {
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
  public void remember(long id, String xmin, MatchRecord record) {
    storedRecords.put(new StoredVersion(id, xmin), record);
  }

  private CandidateSet read(List<String> followed, List<String> skipped, List<UUID> candidateIds) {
    if (candidateIds.isEmpty()) {
      return new CandidateSet(followed, skipped, List.of(), java.util.Set.of(), Map.of());
    }
    Map<UUID, List<Long>> recordIds = new HashMap<>();
    Map<UUID, List<MatchRecord>> byMember = recordsByMember(candidateIds, recordIds);
    List<CandidateMember> live = new ArrayList<>();
    queryByArray(
        "select id, created_at from member where id = any(?) and merged_into is null order by id",
        "uuid",
        candidateIds,
        rs -> {
          UUID id = rs.getObject(1, UUID.class);
          List<MatchRecord> stored = byMember.getOrDefault(id, List.of());
          live.add(new CandidateMember(id, rs.getTimestamp(2).toInstant(), stored));
        });
    // a separation is between two candidates: with one or none there is nothing to ask
    return new CandidateSet(
        followed,
        skipped,
        live,
        live.size() < 2
            ? java.util.Set.of()
            : separations.among(live.stream().map(CandidateMember::id).toList()),
        recordIds);
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
