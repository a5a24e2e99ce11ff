package com.onemember.mdm.ingest.bulk;

import static com.onemember.mdm.store.SetWise.array;

import com.onemember.canonical.Member;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.golden.Survivorship;
import com.onemember.mdm.ingest.MatchReviews;
import com.onemember.mdm.ingest.MemberMerges;
import com.onemember.mdm.ingest.MemberTags;
import com.onemember.mdm.ingest.NewRecord;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.outbox.GoldenEvents;
import com.onemember.mdm.outbox.GoldenEvents.SourceRecordRef;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SetWise;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes a segment's {@link SegmentChanges} in the caller's transaction with set-wise statements,
 * about a dozen whatever the segment's size: members, source records and their keys, moved records,
 * merges (kept for unmerge and rollback), one version and one event per member touched, the members
 * merged away, the pairs left to a steward and the merge-log entries. The stored members the
 * segment changes are locked first and must be as the segment read them; when another ingest
 * changed one meanwhile it throws {@link BulkLoad.MemberChangedMeanwhile} before writing anything,
 * and {@link BulkLoad} decides the segment again.
 */
@Component
class SegmentWriter {

  private final JdbcTemplate jdbc;
  private final Survivorship survivorship;
  private final MemberTags tags;
  private final GoldenEvents events;
  private final MergeLog mergeLog;
  private final StoredMatchRecords storedRecords;
  private final MatchReviews reviews;
  private final MemberMerges merges;

  SegmentWriter(
      JdbcTemplate jdbc,
      Survivorship survivorship,
      MemberTags tags,
      GoldenEvents events,
      MergeLog mergeLog,
      StoredMatchRecords storedRecords,
      MatchReviews reviews,
      MemberMerges merges) {
    this.reviews = reviews;
    this.merges = merges;
    this.jdbc = jdbc;
    this.survivorship = survivorship;
    this.tags = tags;
    this.events = events;
    this.mergeLog = mergeLog;
    this.storedRecords = storedRecords;
  }

  /** A stored member as locked for the write. */
  private record Locked(long version, UUID mergedInto, String golden) {}

  /** A stored record of a touched member: how consumers name it, and its clean form. */
  private record StoredRow(SourceRecordRef ref, StandardizedRecord clean) {}

  /** A member's golden record as this segment leaves it (or left it, for one merged away). */
  private record Golden(long version, String json, Instant at) {}

  void write(SegmentChanges ch, SegmentIndex index, UUID importId) {
    if (ch.isEmpty()) {
      return;
    }
    Set<UUID> stored = new LinkedHashSet<>();
    for (UUID id : ch.touched.keySet()) {
      if (index.known(id).stored) {
        stored.add(id);
      }
    }
    for (SegmentChanges.Merge m : ch.merges) {
      if (index.known(m.absorbed()).stored) {
        stored.add(m.absorbed());
      }
    }
    Map<UUID, Locked> locked = lockUnchanged(stored, index);
    Map<Long, StoredRow> storedRows = storedRows(stored);
    Map<Long, SegmentChanges.NewRow> newRows = new HashMap<>();
    for (SegmentChanges.NewRow r : ch.rows) {
      newRows.put(r.pk(), r);
    }

    // golden records: live members from all their records, members merged away as they were
    Map<UUID, List<MemberTags.ManualTag>> manual = manualTags(stored, ch);
    Map<UUID, Golden> goldens = new HashMap<>();
    for (Map.Entry<UUID, SegmentChanges.Touch> e : ch.touched.entrySet()) {
      UUID id = e.getKey();
      SegmentIndex.Held held = index.known(id);
      if (index.isLive(id)) {
        long version = held.stored ? held.storedVersion + 1 : 1;
        goldens.put(
            id,
            golden(
                held,
                version,
                e.getValue().lastAt,
                held.records.keySet(),
                storedRows,
                newRows,
                manual.getOrDefault(id, List.of())));
      }
    }
    for (SegmentChanges.Merge m : ch.merges) {
      SegmentIndex.Held held = index.known(m.absorbed());
      if (held.stored) {
        Locked l = locked.get(m.absorbed());
        goldens.put(m.absorbed(), new Golden(l.version(), l.golden(), null));
      } else {
        // started and merged away within the segment: its one version is what it held then
        goldens.put(
            m.absorbed(), golden(held, 1, m.at(), m.moved(), storedRows, newRows, List.of()));
      }
    }

    insertMembers(ch, index, goldens);
    updateStoredMembers(ch, index, goldens);
    insertRecords(ch, importId);
    moveStoredRecords(ch, index);
    insertKeys(ch);
    insertMerges(ch, index, importId);
    List<GoldenEvents.NewEvent> written = events(ch, index, goldens, storedRows, newRows);
    // a version's row and its event say the same: the versions are the events that carry one
    insertVersions(
        jdbc, written.stream().filter(e -> e.type().storedAsVersion()).toList(), importId);
    events.recordAll(written);
    reviews.openAll(ch.reviews);
    mergeLog.appendAll(ch.entries);
  }

  /**
   * The segment's events in the order members were first touched or merged away: one version event
   * per member (none for a stored member merged away, whose event is the merge) and one {@code
   * MERGED} event per merge.
   */
  private List<GoldenEvents.NewEvent> events(
      SegmentChanges ch,
      SegmentIndex index,
      Map<UUID, Golden> goldens,
      Map<Long, StoredRow> storedRows,
      Map<Long, SegmentChanges.NewRow> newRows) {
    List<GoldenEvents.NewEvent> written = new ArrayList<>();
    for (SegmentChanges.Slot slot : ch.slots) {
      if (slot instanceof SegmentChanges.VersionSlot v) {
        SegmentIndex.Held held = index.known(v.member());
        if (held.stored && !index.isLive(v.member())) {
          continue;
        }
        SegmentChanges.Touch t = ch.touched.get(v.member());
        Golden g = goldens.get(v.member());
        Collection<Long> rows =
            index.isLive(v.member())
                ? held.records.keySet()
                : ch.mergedAway.get(v.member()).moved();
        GoldenChange type = t.created ? GoldenChange.CREATED : GoldenChange.UPDATED;
        String cause = cause(t.causes);
        written.add(
            new GoldenEvents.NewEvent(
                v.member(),
                g.version(),
                g.json(),
                type,
                cause,
                t.origin,
                null,
                refs(rows, storedRows, newRows),
                g.at()));
      } else if (slot instanceof SegmentChanges.MergedSlot ms) {
        SegmentChanges.Merge m = ms.merge();
        Golden g = goldens.get(m.absorbed());
        written.add(
            new GoldenEvents.NewEvent(
                m.absorbed(),
                g.version(),
                g.json(),
                GoldenChange.MERGED,
                m.cause(),
                m.origin(),
                m.survivor(),
                List.of(),
                m.at()));
      }
    }
    return written;
  }

  /**
   * Locks the stored members the segment changes, in id order (as every writer of members locks
   * them), and checks that each is still live at the version the segment read.
   */
  private Map<UUID, Locked> lockUnchanged(Set<UUID> stored, SegmentIndex index) {
    Map<UUID, Locked> out = new HashMap<>();
    if (stored.isEmpty()) {
      return out;
    }
    jdbc.query(
        "select id, version, merged_into, golden::text from member where id = any(?)"
            + " order by id for update",
        rs -> {
          out.put(
              rs.getObject(1, UUID.class),
              new Locked(rs.getLong(2), rs.getObject(3, UUID.class), rs.getString(4)));
        },
        (Object) stored.toArray(UUID[]::new));
    for (UUID id : stored) {
      Locked l = out.get(id);
      if (l == null || l.mergedInto() != null || l.version() != index.known(id).storedVersion) {
        throw new BulkLoad.MemberChangedMeanwhile(id);
      }
    }
    return out;
  }

  /** The records the touched stored members hold now. */
  private Map<Long, StoredRow> storedRows(Set<UUID> stored) {
    Map<Long, StoredRow> out = new HashMap<>();
    if (stored.isEmpty()) {
      return out;
    }
    jdbc.query(
        "select id, source, source_record_id, clean::text from source_record"
            + " where member_id = any(?)",
        rs -> {
          out.put(
              rs.getLong(1),
              new StoredRow(
                  new SourceRecordRef(rs.getString(2), rs.getString(3)),
                  RecordJson.clean(rs.getString(4))));
        },
        (Object) stored.toArray(UUID[]::new));
    return out;
  }

  /**
   * The manual tags each live member ends the segment with: its own, and those of the stored
   * members merged into it (and of the members merged into those earlier).
   */
  private Map<UUID, List<MemberTags.ManualTag>> manualTags(Set<UUID> stored, SegmentChanges ch) {
    Map<UUID, List<MemberTags.ManualTag>> out = new HashMap<>();
    tags.manualTags(stored)
        .forEach(
            (id, given) ->
                out.computeIfAbsent(ch.finalMember(id), k -> new ArrayList<>()).addAll(given));
    out.values()
        .forEach(
            l ->
                l.sort(
                    Comparator.comparing(MemberTags.ManualTag::addedAt)
                        .thenComparing(MemberTags.ManualTag::name)));
    return out;
  }

  private Golden golden(
      SegmentIndex.Held held,
      long version,
      Instant at,
      Collection<Long> rows,
      Map<Long, StoredRow> storedRows,
      Map<Long, SegmentChanges.NewRow> newRows,
      List<MemberTags.ManualTag> manual) {
    List<StandardizedRecord> clean = new ArrayList<>(rows.size());
    for (long row : rows) {
      SegmentChanges.NewRow n = newRows.get(row);
      clean.add(n != null ? n.incoming().clean() : storedRows.get(row).clean());
    }
    Member golden =
        tags.tag(survivorship.survive(held.id, version, held.createdAt, at, clean), at, manual);
    return new Golden(version, RecordJson.write(golden), at);
  }

  private static List<SourceRecordRef> refs(
      Collection<Long> rows,
      Map<Long, StoredRow> storedRows,
      Map<Long, SegmentChanges.NewRow> newRows) {
    List<SourceRecordRef> out = new ArrayList<>(rows.size());
    for (long row : rows) {
      SegmentChanges.NewRow n = newRows.get(row);
      out.add(
          n != null
              ? new SourceRecordRef(
                  n.incoming().record().source(), n.incoming().record().sourceRecordId())
              : storedRows.get(row).ref());
    }
    out.sort(
        Comparator.comparing(SourceRecordRef::source)
            .thenComparing(SourceRecordRef::sourceRecordId));
    return out;
  }

  /** A change's cause for the version: the one cause, or how many with the first few. */
  static String cause(List<String> causes) {
    if (causes.size() == 1) {
      return causes.get(0);
    }
    return causes.size()
        + " 项变更 / changes: "
        + String.join("; ", causes.subList(0, Math.min(3, causes.size())))
        + (causes.size() > 3 ? "; …" : "");
  }

  private void insertMembers(SegmentChanges ch, SegmentIndex index, Map<UUID, Golden> goldens) {
    List<UUID> ids = new ArrayList<>();
    List<UUID> mergedInto = new ArrayList<>();
    List<String> golden = new ArrayList<>();
    List<Timestamp> created = new ArrayList<>();
    List<Timestamp> updated = new ArrayList<>();
    for (Map.Entry<UUID, SegmentChanges.Touch> e : ch.touched.entrySet()) {
      if (!e.getValue().created) {
        continue;
      }
      UUID id = e.getKey();
      Golden g = goldens.get(id);
      ids.add(id);
      SegmentChanges.Merge away = ch.mergedAway.get(id);
      mergedInto.add(away == null ? null : ch.finalMember(id));
      golden.add(g.json());
      created.add(Timestamp.from(index.known(id).createdAt));
      // one merged away in the segment: its golden record is as of the merge
      updated.add(Timestamp.from(g.at()));
    }
    if (ids.isEmpty()) {
      return;
    }
    SetWise.update(
        jdbc,
        "insert into member (id, version, merged_into, golden, created_at, updated_at)"
            + " select id, 1, merged_into, golden, created_at, updated_at"
            + " from unnest(?::uuid[], ?::uuid[], "
            + SetWise.JSONB_ARRAY
            + ", ?::timestamptz[], ?::timestamptz[])"
            + " as u(id, merged_into, golden, created_at, updated_at)",
        array("uuid", ids),
        array("uuid", mergedInto),
        SetWise.jsonDocuments(golden),
        array("timestamptz", created),
        array("timestamptz", updated));
  }

  private void updateStoredMembers(
      SegmentChanges ch, SegmentIndex index, Map<UUID, Golden> goldens) {
    List<UUID> ids = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    List<String> golden = new ArrayList<>();
    List<UUID> mergedInto = new ArrayList<>();
    List<Timestamp> at = new ArrayList<>();
    for (UUID id : ch.touched.keySet()) {
      SegmentIndex.Held held = index.known(id);
      if (held.stored && index.isLive(id)) {
        Golden g = goldens.get(id);
        ids.add(id);
        versions.add(g.version());
        golden.add(g.json());
        mergedInto.add(null);
        at.add(Timestamp.from(g.at()));
      }
    }
    List<UUID> repointFrom = new ArrayList<>();
    List<UUID> repointTo = new ArrayList<>();
    for (SegmentChanges.Merge m : ch.merges) {
      SegmentIndex.Held held = index.known(m.absorbed());
      if (held.stored) {
        UUID to = ch.finalMember(m.absorbed());
        ids.add(m.absorbed());
        versions.add(held.storedVersion);
        golden.add(null);
        mergedInto.add(to);
        at.add(Timestamp.from(m.at()));
        repointFrom.add(m.absorbed());
        repointTo.add(to);
      }
    }
    if (!repointFrom.isEmpty()) {
      // members merged into a member merged away now: one hop to its survivor
      SetWise.update(
          jdbc,
          "update member m set merged_into = u.t from unnest(?::uuid[], ?::uuid[]) as u(a, t)"
              + " where m.merged_into = u.a",
          array("uuid", repointFrom),
          array("uuid", repointTo));
    }
    if (ids.isEmpty()) {
      return;
    }
    updateMembers(jdbc, ids, versions, golden, mergedInto, at);
  }

  /**
   * Stored members to their new versions: each its golden record (null: kept as it is, for one
   * merged away), the member it was merged into (null: live) and when it changed. Shared with
   * {@link ChangedRecords}.
   */
  static void updateMembers(
      JdbcTemplate jdbc,
      List<UUID> ids,
      List<Long> versions,
      List<String> golden,
      List<UUID> mergedInto,
      List<Timestamp> at) {
    SetWise.update(
        jdbc,
        "update member m set version = u.v,"
            + " golden = coalesce(nullif(u.g, 'null'::jsonb), m.golden),"
            + " merged_into = u.mi, updated_at = u.at"
            + " from unnest(?::uuid[], ?::bigint[], "
            + SetWise.JSONB_ARRAY
            + ", ?::uuid[], ?::timestamptz[])"
            + " as u(id, v, g, mi, at) where m.id = u.id",
        array("uuid", ids),
        array("bigint", versions),
        SetWise.jsonDocuments(golden),
        array("uuid", mergedInto),
        array("timestamptz", at));
  }

  private void insertRecords(SegmentChanges ch, UUID importId) {
    int n = ch.rows.size();
    Long[] ids = new Long[n];
    String[] sources = new String[n];
    String[] recordIds = new String[n];
    UUID[] members = new UUID[n];
    String[] raw = new String[n];
    String[] clean = new String[n];
    String[] hashes = new String[n];
    Timestamp[] sourceUpdated = new Timestamp[n];
    Timestamp[] received = new Timestamp[n];
    Map<Long, SegmentChanges.NewRow> byPk = new HashMap<>();
    for (int i = 0; i < n; i++) {
      SegmentChanges.NewRow r = ch.rows.get(i);
      byPk.put(r.pk(), r);
      ids[i] = r.pk();
      sources[i] = r.incoming().record().source();
      recordIds[i] = r.incoming().record().sourceRecordId();
      members[i] = ch.finalMember(memberOfNew(ch, r));
      raw[i] = r.incoming().raw();
      clean[i] = RecordJson.write(r.incoming().clean());
      hashes[i] = r.incoming().hash();
      Instant su = r.incoming().record().sourceUpdatedAt();
      sourceUpdated[i] = su == null ? null : Timestamp.from(su);
      received[i] = Timestamp.from(r.at());
    }
    SetWise.query(
        jdbc,
        "insert into source_record (id, source, source_record_id, member_id, raw, clean,"
            + " content_hash, source_updated_at, received_at, updated_at, import_id)"
            + " select id, s, sid, m, raw, clean, h, su, ra, ra, ?::uuid"
            + " from unnest(?::bigint[], ?::text[], ?::text[], ?::uuid[], "
            + SetWise.JSONB_ARRAY
            + ", "
            + SetWise.JSONB_ARRAY
            + ", ?::text[], ?::timestamptz[], ?::timestamptz[])"
            + " as u(id, s, sid, m, raw, clean, h, su, ra)"
            + " returning id, xmin::text",
        rs -> {
          // the next chunks read these rows back: keep their parsed form
          SegmentChanges.NewRow r = byPk.get(rs.getLong(1));
          storedRecords.remember(r.pk(), rs.getString(2), r.features());
        },
        importId,
        array("bigint", ids),
        array("text", sources),
        array("text", recordIds),
        array("uuid", members),
        SetWise.jsonDocuments(java.util.Arrays.asList(raw)),
        SetWise.jsonDocuments(java.util.Arrays.asList(clean)),
        array("text", hashes),
        array("timestamptz", sourceUpdated),
        array("timestamptz", received));
  }

  /** The member a new row joined or started, before later merges in the segment. */
  private static UUID memberOfNew(SegmentChanges ch, SegmentChanges.NewRow r) {
    return ch.memberAtDecision.get(r.pk());
  }

  /** Moves the records of the stored members merged away to their survivors. */
  private void moveStoredRecords(SegmentChanges ch, SegmentIndex index) {
    List<UUID> from = new ArrayList<>();
    List<UUID> to = new ArrayList<>();
    for (SegmentChanges.Merge m : ch.merges) {
      if (index.known(m.absorbed()).stored) {
        from.add(m.absorbed());
        to.add(ch.finalMember(m.absorbed()));
      }
    }
    if (from.isEmpty()) {
      return;
    }
    SetWise.query(
        jdbc,
        "update source_record s set member_id = u.t"
            + " from unnest(?::uuid[], ?::uuid[]) as u(a, t) where s.member_id = u.a"
            + " returning s.id, s.member_id, s.xmin::text",
        rs -> {
          SegmentIndex.Held held = index.known(rs.getObject(2, UUID.class));
          var features = held == null ? null : held.records.get(rs.getLong(1));
          if (features != null) {
            storedRecords.remember(rs.getLong(1), rs.getString(3), features);
          }
        },
        array("uuid", from),
        array("uuid", to));
  }

  private void insertKeys(SegmentChanges ch) {
    Map<Long, NewRecord> byRow = new java.util.LinkedHashMap<>();
    ch.rows.forEach(r -> byRow.put(r.pk(), r.incoming()));
    insertKeys(jdbc, byRow);
  }

  /**
   * The match keys of records {@code byRow} (each record's by its row id), each key once per
   * record. Shared with {@link ChangedRecords}.
   */
  static void insertKeys(JdbcTemplate jdbc, Map<Long, NewRecord> byRow) {
    KeyRows k = KeyRows.of(byRow);
    if (k.keys().isEmpty()) {
      return;
    }
    SetWise.update(
        jdbc,
        "insert into match_key (key, source_record_pk)"
            + " select * from unnest(?::text[], ?::bigint[])",
        array("text", k.keys()),
        array("bigint", k.rows()));
  }

  /** The match-key rows of records: each distinct key of each record, with the record's row. */
  record KeyRows(List<String> keys, List<Long> rows) {
    static KeyRows of(Map<Long, NewRecord> byRow) {
      List<String> keys = new ArrayList<>();
      List<Long> rows = new ArrayList<>();
      byRow.forEach(
          (row, record) -> {
            for (String key : new LinkedHashSet<>(record.keys())) {
              keys.add(key);
              rows.add(row);
            }
          });
      return new KeyRows(keys, rows);
    }
  }

  /**
   * One {@code member_merge} row per merge, in order, with the rows it moved and the members that
   * pointed at the absorbed member then (stored ones read here), so that each can be undone.
   */
  private void insertMerges(SegmentChanges ch, SegmentIndex index, UUID importId) {
    if (ch.merges.isEmpty()) {
      return;
    }
    Map<UUID, List<UUID>> pointing = new HashMap<>();
    List<UUID> storedAbsorbed = new ArrayList<>();
    for (SegmentChanges.Merge m : ch.merges) {
      if (index.known(m.absorbed()).stored) {
        storedAbsorbed.add(m.absorbed());
      }
    }
    if (!storedAbsorbed.isEmpty()) {
      jdbc.query(
          "select merged_into, id from member where merged_into = any(?) order by id",
          rs -> {
            pointing
                .computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                .add(rs.getObject(2, UUID.class));
          },
          (Object) storedAbsorbed.toArray(UUID[]::new));
    }
    List<MemberMerges.KeptMerge> kept = new ArrayList<>();
    for (SegmentChanges.Merge m : ch.merges) {
      List<UUID> repointed = pointing.remove(m.absorbed());
      repointed = repointed == null ? List.of() : repointed;
      List<UUID> now = pointing.computeIfAbsent(m.survivor(), k -> new ArrayList<>());
      now.addAll(repointed);
      now.add(m.absorbed());
      kept.add(
          new MemberMerges.KeptMerge(
              m.survivor(), m.absorbed(), m.moved(), repointed, importId, m.at()));
    }
    merges.keep(kept);
  }

  /**
   * One {@code member_version} row per member version the segment made, its golden record copied
   * from the member's row just written (version one of a member merged away in the segment is the
   * golden record its row keeps): the JSON is sent and parsed once. Shared with {@link
   * ChangedRecords}.
   */
  static void insertVersions(
      JdbcTemplate jdbc, List<GoldenEvents.NewEvent> versions, UUID importId) {
    if (versions.isEmpty()) {
      return;
    }
    List<UUID> members = new ArrayList<>();
    List<Long> numbers = new ArrayList<>();
    List<Timestamp> at = new ArrayList<>();
    List<String> causes = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (GoldenEvents.NewEvent v : versions) {
      members.add(v.memberId());
      numbers.add(v.version());
      at.add(Timestamp.from(v.at()));
      causes.add(v.cause());
      types.add(v.type().name());
    }
    int written =
        SetWise.update(
            jdbc,
            "insert into member_version (member_id, version, golden, changed_at, cause, import_id,"
                + " change_type)"
                + " select u.m, u.v, m.golden, u.a, u.c, ?::uuid, u.t"
                + " from unnest(?::uuid[], ?::bigint[], ?::timestamptz[], ?::text[], ?::text[])"
                + " as u(m, v, a, c, t) join member m on m.id = u.m and m.version = u.v",
            importId,
            array("uuid", members),
            array("bigint", numbers),
            array("timestamptz", at),
            array("text", causes),
            array("text", types));
    if (written != versions.size()) {
      throw new IllegalStateException(
          "wrote "
              + written
              + " of "
              + versions.size()
              + " member versions: a member row is not"
              + " at the version the segment gave it");
    }
  }
}
