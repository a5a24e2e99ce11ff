package com.onemember.mdm.ingest.bulk;

import static com.onemember.mdm.store.SetWise.array;

import com.onemember.canonical.Member;
import com.onemember.mdm.golden.Survivorship;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.MemberTags;
import com.onemember.mdm.ingest.NewRecord;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.outbox.GoldenEvents;
import com.onemember.mdm.outbox.GoldenEvents.SourceRecordRef;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SetWise;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes a run of new content for records the hub already holds, set-wise, in the caller's
 * transaction, in a dozen statements whatever the run's length. Each record keeps its earlier
 * content as a revision, takes the new content and keys, and stays in its member (a change is not
 * matched again); each member touched gets one new golden version and one {@code UPDATED} event
 * naming its records. A record whose member's personal data was erased is refused ({@code
 * IngestOutcome#ERASED_REFUSAL}).
 *
 * <p>The members are locked first, in id order, and everything is computed from what is read under
 * those locks: every writer that changes a member's records holds the member's lock.
 */
@Component
class ChangedRecords {

  private final JdbcTemplate jdbc;
  private final Survivorship survivorship;
  private final MemberTags tags;
  private final GoldenEvents events;
  private final StoredMatchRecords storedRecords;

  ChangedRecords(
      JdbcTemplate jdbc,
      Survivorship survivorship,
      MemberTags tags,
      GoldenEvents events,
      StoredMatchRecords storedRecords) {
    this.jdbc = jdbc;
    this.survivorship = survivorship;
    this.tags = tags;
    this.events = events;
    this.storedRecords = storedRecords;
  }

  /**
   * New content for the stored record {@code pk}, standardised as {@code incoming} with its
   * features, decided at {@code at}.
   */
  record Change(long pk, NewRecord incoming, MatchRecord features, Instant at) {}

  /** A change with the member its record is in, as locked. */
  private record Placed(Change change, UUID member) {}

  /** A member as locked: its version, when it started, and whether it can take changes. */
  private record Locked(long version, Instant createdAt, boolean erased, boolean live) {}

  /** A record of a touched member as stored before the run. */
  private record Held(long pk, SourceRecordRef ref, String clean) {}

  /**
   * Writes {@code run} (each record at most once) and returns each change's outcome, in order.
   * {@code importId} marks what an import changed, for its rollback; null otherwise.
   */
  List<IngestOutcome> write(List<Change> run, UUID importId) {
    List<Long> pks = run.stream().map(Change::pk).toList();
    Map<Long, UUID> memberOf = membersOf(pks);
    Map<UUID, Locked> locked = new HashMap<>();
    while (true) {
      locked.putAll(lock(memberOf.values()));
      // a merge elsewhere may have moved a record before its member's lock was taken
      Map<Long, UUID> again = membersOf(pks);
      if (again.equals(memberOf)) {
        break;
      }
      memberOf = again;
    }
    List<Placed> taken = new ArrayList<>();
    IngestOutcome[] out = new IngestOutcome[run.size()];
    for (int i = 0; i < run.size(); i++) {
      Change c = run.get(i);
      UUID member = memberOf.get(c.pk());
      Locked l = member == null ? null : locked.get(member);
      if (l == null || !l.live()) {
        // a record always points at a live member; a merge moves the absorbed member's records
        throw new IllegalStateException(
            "record " + c.pk() + " points at member " + member + ", which is not live");
      }
      if (l.erased()) {
        out[i] = IngestOutcome.rejected(IngestOutcome.ERASED_REFUSAL);
        continue;
      }
      taken.add(new Placed(c, member));
      out[i] =
          new IngestOutcome(
              IngestOutcome.Kind.UPDATED,
              member,
              null,
              List.of("content changed"),
              c.incoming().warnings());
    }
    if (taken.isEmpty()) {
      return List.of(out);
    }
    List<Change> changes = taken.stream().map(Placed::change).toList();
    Map<UUID, List<Held>> held = recordsOf(taken);
    keepRevisions(changes, importId);
    Map<Long, StandardizedRecord> now = newContent(changes, held);
    updateRecords(changes, now);
    replaceKeys(changes);
    newVersions(taken, locked, held, now, importId);
    return List.of(out);
  }

  /** The member each record is in now. */
  private Map<Long, UUID> membersOf(List<Long> pks) {
    Map<Long, UUID> out = new HashMap<>();
    jdbc.query(
        "select id, member_id from source_record where id = any(?)",
        rs -> {
          out.put(rs.getLong(1), rs.getObject(2, UUID.class));
        },
        (Object) pks.toArray(Long[]::new));
    return out;
  }

  /** Locks members in id order (as every ingest takes member locks). */
  private Map<UUID, Locked> lock(java.util.Collection<UUID> members) {
    Map<UUID, Locked> out = new HashMap<>();
    jdbc.query(
        "select id, version, created_at, erased_at is not null, merged_into is null"
            + " and withdrawn_at is null from member where id = any(?) order by id for update",
        rs -> {
          out.put(
              rs.getObject(1, UUID.class),
              new Locked(
                  rs.getLong(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getBoolean(4),
                  rs.getBoolean(5)));
        },
        (Object) members.stream().distinct().toArray(UUID[]::new));
    return out;
  }

  /** Every record of the changes' members as stored now, in id order by member. */
  private Map<UUID, List<Held>> recordsOf(List<Placed> run) {
    Map<UUID, List<Held>> out = new LinkedHashMap<>();
    jdbc.query(
        "select member_id, id, source, source_record_id, clean::text from source_record"
            + " where member_id = any(?) order by member_id, id",
        rs -> {
          out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
              .add(
                  new Held(
                      rs.getLong(2),
                      new SourceRecordRef(rs.getString(3), rs.getString(4)),
                      rs.getString(5)));
        },
        (Object) run.stream().map(Placed::member).distinct().toArray(UUID[]::new));
    return out;
  }

  /** Keeps each record's stored content before it is replaced: nothing a source sent is lost. */
  private void keepRevisions(List<Change> run, UUID importId) {
    SetWise.update(
        jdbc,
        "insert into source_record_revision (source_record_pk, raw, clean, content_hash,"
            + " source_updated_at, replaced_at, replaced_by_import)"
            + " select s.id, s.raw, s.clean, s.content_hash, s.source_updated_at, u.at, ?::uuid"
            + " from source_record s join unnest(?::bigint[], ?::timestamptz[]) as u(id, at)"
            + " on s.id = u.id",
        importId,
        array("bigint", run.stream().map(Change::pk).toList()),
        array("timestamptz", run.stream().map(c -> Timestamp.from(c.at())).toList()));
  }

  /** Each changed record's new clean form, keeping when the hub first received the record. */
  private static Map<Long, StandardizedRecord> newContent(
      List<Change> run, Map<UUID, List<Held>> held) {
    Map<Long, String> before = new HashMap<>();
    held.values().forEach(l -> l.forEach(h -> before.put(h.pk(), h.clean())));
    Map<Long, StandardizedRecord> out = new HashMap<>();
    for (Change c : run) {
      Instant received = RecordJson.clean(before.get(c.pk())).receivedAt();
      out.put(c.pk(), withReceivedAt(c.incoming().clean(), received));
    }
    return out;
  }

  private void updateRecords(List<Change> run, Map<Long, StandardizedRecord> now) {
    Map<Long, Change> byPk = new HashMap<>();
    run.forEach(c -> byPk.put(c.pk(), c));
    SetWise.query(
        jdbc,
        "update source_record s set raw = u.raw, clean = u.clean, content_hash = u.h,"
            + " source_updated_at = u.su, updated_at = u.at"
            + " from unnest(?::bigint[], "
            + SetWise.JSONB_ARRAY
            + ", "
            + SetWise.JSONB_ARRAY
            + ", ?::text[], ?::timestamptz[], ?::timestamptz[])"
            + " as u(id, raw, clean, h, su, at) where s.id = u.id"
            + " returning s.id, s.xmin::text",
        rs -> {
          // the next ingests read these rows back: keep their parsed form
          Change c = byPk.get(rs.getLong(1));
          storedRecords.remember(c.pk(), rs.getString(2), c.features());
        },
        array("bigint", run.stream().map(Change::pk).toList()),
        SetWise.jsonDocuments(run.stream().map(c -> c.incoming().raw()).toList()),
        SetWise.jsonDocuments(run.stream().map(c -> RecordJson.write(now.get(c.pk()))).toList()),
        array("text", run.stream().map(c -> c.incoming().hash()).toList()),
        array(
            "timestamptz",
            run.stream()
                .map(
                    c -> {
                      Instant su = c.incoming().record().sourceUpdatedAt();
                      return su == null ? null : Timestamp.from(su);
                    })
                .toList()),
        array("timestamptz", run.stream().map(c -> Timestamp.from(c.at())).toList()));
  }

  /**
   * The records' match keys become those of their new content: only the keys they lost are deleted
   * and only the ones they gained inserted, so a change that keeps the keys (a new nickname, a new
   * address) writes none, and leaves the hub's cached blocks ({@link BlockCache}) standing.
   */
  private void replaceKeys(List<Change> run) {
    Map<Long, NewRecord> byRow = new LinkedHashMap<>();
    run.forEach(c -> byRow.put(c.pk(), c.incoming()));
    SegmentWriter.KeyRows wanted = SegmentWriter.KeyRows.of(byRow);
    SetWise.update(
        jdbc,
        "delete from match_key k where k.source_record_pk = any(?) and not exists ("
            + " select 1 from unnest(?::text[], ?::bigint[]) as w(key, pk)"
            + " where w.key = k.key and w.pk = k.source_record_pk)",
        array("bigint", run.stream().map(Change::pk).toList()),
        array("text", wanted.keys()),
        array("bigint", wanted.rows()));
    if (!wanted.keys().isEmpty()) {
      SetWise.update(
          jdbc,
          "insert into match_key (key, source_record_pk)"
              + " select * from unnest(?::text[], ?::bigint[]) on conflict do nothing",
          array("text", wanted.keys()),
          array("bigint", wanted.rows()));
    }
  }

  /**
   * One new version per member touched, its golden record survived from all its records as they are
   * now, with its rule and manual tags; kept in its history and told to consumers.
   */
  private void newVersions(
      List<Placed> run,
      Map<UUID, Locked> locked,
      Map<UUID, List<Held>> held,
      Map<Long, StandardizedRecord> now,
      UUID importId) {
    Map<UUID, List<Change>> byMember = new LinkedHashMap<>();
    run.forEach(p -> byMember.computeIfAbsent(p.member(), k -> new ArrayList<>()).add(p.change()));
    Map<UUID, List<MemberTags.ManualTag>> manual = tags.manualTags(byMember.keySet());
    List<GoldenEvents.NewEvent> versions = new ArrayList<>();
    for (Map.Entry<UUID, List<Change>> e : byMember.entrySet()) {
      UUID id = e.getKey();
      List<Change> changes = e.getValue();
      Change last = changes.get(changes.size() - 1);
      Locked l = locked.get(id);
      long version = l.version() + 1;
      List<StandardizedRecord> clean = new ArrayList<>();
      List<SourceRecordRef> refs = new ArrayList<>();
      for (Held h : held.get(id)) {
        StandardizedRecord changed = now.get(h.pk());
        clean.add(changed != null ? changed : RecordJson.clean(h.clean()));
        refs.add(h.ref());
      }
      refs.sort(
          Comparator.comparing(SourceRecordRef::source)
              .thenComparing(SourceRecordRef::sourceRecordId));
      Member golden =
          tags.tag(
              survivorship.survive(id, version, l.createdAt(), last.at(), clean),
              last.at(),
              manual.getOrDefault(id, List.of()));
      versions.add(
          new GoldenEvents.NewEvent(
              id,
              version,
              RecordJson.write(golden),
              GoldenChange.UPDATED,
              SegmentWriter.cause(
                  changes.stream().map(c -> c.incoming().name() + " changed / 源记录更新").toList()),
              last.incoming().record().source(),
              null,
              refs,
              last.at()));
    }
    SegmentWriter.updateMembers(
        jdbc,
        versions.stream().map(GoldenEvents.NewEvent::memberId).toList(),
        versions.stream().map(GoldenEvents.NewEvent::version).toList(),
        versions.stream().map(GoldenEvents.NewEvent::golden).toList(),
        java.util.Collections.nCopies(versions.size(), (UUID) null),
        versions.stream().map(v -> Timestamp.from(v.at())).toList());
    SegmentWriter.insertVersions(jdbc, versions, importId);
    events.recordAll(versions);
  }

  /**
   * {@code r} as first received at {@code receivedAt}: a record's new content keeps when the hub
   * first heard of it.
   */
  private static StandardizedRecord withReceivedAt(StandardizedRecord r, Instant receivedAt) {
    return new StandardizedRecord(
        r.source(),
        r.sourceRecordId(),
        receivedAt,
        r.sourceUpdatedAt(),
        r.name(),
        r.nickname(),
        r.gender(),
        r.birthday(),
        r.identifiers(),
        r.maskedMobiles(),
        r.addresses(),
        r.consents(),
        r.tags(),
        r.purchases(),
        r.servedBy());
  }
}
