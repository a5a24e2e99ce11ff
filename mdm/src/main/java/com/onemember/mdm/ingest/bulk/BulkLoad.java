package com.onemember.mdm.ingest.bulk;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.ingest.CandidateSet;
import com.onemember.mdm.ingest.IncomingRecord;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.KeyLocks;
import com.onemember.mdm.ingest.NewRecord;
import com.onemember.mdm.ingest.RecordDecisions;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.matchmodels.MatchEngine;
import com.onemember.mdm.scoring.MatchRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Ingests records in the caller's transaction: a chunk of thousands (an import's rows in file
 * order), a group of connector records that arrived together ({@link GroupCommit}), or one record
 * ({@link SourceRecordIngest}). They are decided one by one, in order, each on everything before
 * it; candidates are read once per segment and written once per segment, so one record and a
 * thousand go through the same three stages: read ({@link SegmentReader}), decide ({@link
 * RecordDecisions}), write ({@link SegmentWriter}, {@link ChangedRecords}).
 *
 * <p>The chunk takes the advisory locks of all its records' keys first (one call, the order single
 * ingests use), so no other ingest adds to its blocks until it commits. Then it is cut into
 * segments of new records and runs of changed ones. New content for a record the hub held before
 * the chunk is written with the changes beside it ({@link ChangedRecords}): a change is not matched
 * again, so a run needs no candidates. A record the chunk brings a second time with other content
 * starts a new run, after everything before it was written. A record sent again unchanged changes
 * nothing and cuts nothing. Each segment of new records is read ({@link SegmentReader}) after what
 * came before it was written, decided record by record with {@link RecordDecisions} over its {@link
 * SegmentIndex}, and written ({@link SegmentWriter}).
 *
 * <p>A crash loses at most the chunk in flight: the caller settles the chunk's import rows in the
 * same transaction, so the chunk is either all written and settled or not at all, and is decided
 * again when its message comes back.
 */
@Component
public class BulkLoad {

  /**
   * A stored member a segment was about to change was changed by another ingest after the segment
   * read it. Thrown before the segment writes anything; {@link BulkLoad} decides the segment again
   * ({@value #SEGMENT_ATTEMPTS} attempts in all), and only then does the caller see it, roll back
   * and decide the whole chunk again.
   */
  public static final class MemberChangedMeanwhile extends RuntimeException {
    MemberChangedMeanwhile(UUID member) {
      super("member " + member + " changed while a segment was deciding; decide it again");
    }
  }

  private final KeyLocks keyLocks;
  private final JdbcTemplate jdbc;
  private final SegmentReader reader;
  private final RecordDecisions decisions;
  private final SegmentWriter writer;
  private final ChangedRecords changed;
  private final MatchEngine engine;
  private final Clock clock;
  private Instant last = Instant.EPOCH;

  BulkLoad(
      KeyLocks keyLocks,
      JdbcTemplate jdbc,
      SegmentReader reader,
      RecordDecisions decisions,
      SegmentWriter writer,
      ChangedRecords changed,
      MatchEngine engine,
      Clock clock) {
    this.keyLocks = keyLocks;
    this.jdbc = jdbc;
    this.reader = reader;
    this.decisions = decisions;
    this.writer = writer;
    this.changed = changed;
    this.engine = engine;
    this.clock = clock;
  }

  /** A record standardised for the chunk: its place, its form as stored, its features and time. */
  private record Prepared(int index, NewRecord incoming, MatchRecord features, Instant at) {}

  /**
   * Ingests {@code records} in order in the caller's transaction, each brought by a row of import
   * {@code importId} (or null); returns one outcome per record, in order.
   */
  public List<IngestOutcome> load(List<SourceRecord> records, UUID importId) {
    return load(records, importId, true);
  }

  /**
   * Ingests records that arrived at the same moment from different senders (a {@link GroupCommit}
   * group) in the caller's transaction; returns one outcome per record, in the order given. They
   * have no order among themselves, so the new content of records the hub holds is written first,
   * as one run, and the rest is decided after it in the order given: a new record is matched
   * against the others' new content.
   */
  public List<IngestOutcome> loadArrivals(List<SourceRecord> records) {
    return load(records, null, false);
  }

  private List<IngestOutcome> load(List<SourceRecord> records, UUID importId, boolean inOrder) {
    IngestOutcome[] out = new IngestOutcome[records.size()];
    List<Prepared> prepared = new ArrayList<>();
    List<String> lockNames = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      SourceRecord record = records.get(i);
      Instant at = nextInstant();
      IncomingRecord incoming = IncomingRecord.of(record, importId, at);
      if (incoming.refused() != null) {
        out[i] = incoming.refused();
        continue;
      }
      prepared.add(new Prepared(i, incoming.incoming(), incoming.features(), at));
      lockNames.addAll(incoming.incoming().lockNames());
    }
    if (prepared.isEmpty()) {
      return List.of(out);
    }
    keyLocks.lock(lockNames);

    Map<String, StoredRecord> held = stored(prepared);
    if (!inOrder) {
      prepared = changesFirst(prepared, held);
    }
    Map<String, String> latestHash = new HashMap<>();
    held.forEach((name, r) -> latestHash.put(name, r.contentHash()));
    Set<String> seen = new HashSet<>();
    List<Step> segment = new ArrayList<>();
    List<Prepared> changes = new ArrayList<>();
    for (Prepared p : prepared) {
      String name = p.incoming().name();
      String before = latestHash.get(name);
      boolean first = seen.add(name);
      if (before == null || before.equals(p.incoming().hash())) {
        writeChanges(changes, held, out, importId);
        segment.add(new Step(p, before != null));
      } else if (first) {
        // a record the hub held before this chunk, changed: written with the changes beside it
        run(segment, out, importId);
        segment.clear();
        changes.add(p);
      } else {
        // the chunk brings the record a second time: what came before it is written, then this
        // content goes over what the chunk gave the record first
        run(segment, out, importId);
        segment.clear();
        writeChanges(changes, held, out, importId);
        held.putAll(stored(List.of(p)));
        changes.add(p);
      }
      latestHash.put(name, p.incoming().hash());
    }
    run(segment, out, importId);
    writeChanges(changes, held, out, importId);
    return List.of(out);
  }

  /**
   * Arrivals reordered: the first new content of each record the hub holds, then the rest, each
   * part in the order given.
   */
  private static List<Prepared> changesFirst(
      List<Prepared> prepared, Map<String, StoredRecord> held) {
    List<Prepared> changes = new ArrayList<>();
    List<Prepared> rest = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Prepared p : prepared) {
      StoredRecord h = held.get(p.incoming().name());
      boolean change =
          h != null
              && !h.contentHash().equals(p.incoming().hash())
              && seen.add(p.incoming().name());
      (change ? changes : rest).add(p);
    }
    changes.addAll(rest);
    return changes;
  }

  /** Writes a run of changed records ({@link ChangedRecords}) and empties it. */
  private void writeChanges(
      List<Prepared> changes, Map<String, StoredRecord> held, IngestOutcome[] out, UUID importId) {
    if (changes.isEmpty()) {
      return;
    }
    List<ChangedRecords.Change> run = new ArrayList<>(changes.size());
    for (Prepared p : changes) {
      run.add(
          new ChangedRecords.Change(
              held.get(p.incoming().name()).id(), p.incoming(), p.features(), p.at()));
    }
    List<IngestOutcome> outcomes = changed.write(run, importId);
    for (int i = 0; i < changes.size(); i++) {
      out[changes.get(i).index()] = outcomes.get(i);
    }
    changes.clear();
  }

  /** A record of a segment: new to the hub, or sent again with the content the hub holds. */
  private record Step(Prepared prepared, boolean unchanged) {}

  /**
   * How many times a segment is decided in its transaction when a stored member it was about to
   * change had changed since it was read: once as read, once more with every candidate member
   * locked before it reads, which does not lose again.
   */
  static final int SEGMENT_ATTEMPTS = 2;

  /**
   * Decides a segment record by record and writes it. A stored member it changes may have been
   * changed by another ingest since it was read (another writer's member under a key this one does
   * not share): the writer finds that before it writes anything, and the segment is read and
   * decided again in the same transaction. Each attempt runs after a savepoint and a lost one rolls
   * back to it, so the member locks it took are released: holding them while the next attempt locks
   * others, out of id order, could deadlock with another ingest. The second attempt first locks
   * every member under the segment's blocks, in id order, and reads again: no other writer can
   * change them then, and none can add to the blocks (the segment holds their keys' locks), as the
   * single ingest did before it became a segment of one.
   */
  private void run(List<Step> segment, IngestOutcome[] out, UUID importId) {
    if (segment.isEmpty()) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      jdbc.execute("savepoint segment_attempt");
      try {
        decideAndWrite(segment, out, importId, attempt == SEGMENT_ATTEMPTS);
        jdbc.execute("release savepoint segment_attempt");
        return;
      } catch (MemberChangedMeanwhile e) {
        jdbc.execute("rollback to savepoint segment_attempt");
        if (attempt == SEGMENT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * One attempt at a segment. A record sent again unchanged changes nothing; it is reported with
   * the member its record is in at its turn.
   */
  private void decideAndWrite(
      List<Step> segment, IngestOutcome[] out, UUID importId, boolean lockCandidates) {
    Set<String> keys = new LinkedHashSet<>();
    List<Prepared> unchanged = new ArrayList<>();
    int fresh = 0;
    for (Step s : segment) {
      if (s.unchanged()) {
        unchanged.add(s.prepared());
      } else {
        keys.addAll(s.prepared().incoming().keys());
        fresh++;
      }
    }
    Map<String, StoredRecord> stored = stored(unchanged);
    SegmentIndex index = fresh == 0 ? null : reader.read(keys, engine.settings(), lockCandidates);
    if (index != null && lockCandidates) {
      jdbc.query(
          "select id from member where id = any(?) order by id for update",
          rs -> {},
          (Object) index.storedMembers().toArray(UUID[]::new));
      index = reader.read(keys, engine.settings(), true);
    }
    if (index != null) {
      List<List<String>> keysOfNew = new ArrayList<>(fresh);
      for (Step s : segment) {
        if (!s.unchanged()) {
          keysOfNew.add(s.prepared().incoming().keys());
        }
      }
      index.prefetch(keysOfNew);
    }
    List<Long> ids =
        fresh == 0
            ? List.of()
            : jdbc.queryForList(
                "select nextval(pg_get_serial_sequence('source_record', 'id')) as id"
                    + " from generate_series(1, ?) order by id",
                Long.class,
                fresh);
    SegmentChanges changes = new SegmentChanges();
    Map<String, Long> rowOf = new HashMap<>();
    int next = 0;
    for (Step s : segment) {
      Prepared p = s.prepared();
      if (s.unchanged()) {
        out[p.index()] = unchanged(p, stored, rowOf, index);
        continue;
      }
      SegmentChanges.NewRow row =
          new SegmentChanges.NewRow(ids.get(next++), p.incoming(), p.features(), p.at());
      rowOf.put(p.incoming().name(), row.pk());
      CandidateSet found = index.candidates(p.incoming().keys());
      MemberDecision decision = decisions.decide(p.features(), found);
      UUID member;
      if (decision.merges()) {
        member = merge(index, changes, row, decision);
      } else {
        member = UUID.randomUUID();
        index.create(member, p.at(), row.pk(), p.features(), p.incoming().keys());
        changes.created(row, member, decision);
      }
      out[p.index()] = p.incoming().outcome(member, decision);
    }
    if (index != null) {
      writer.write(changes, index, importId);
      reader.written(index);
    }
  }

  /**
   * "Unchanged", with the member the record is in now: as the segment's decisions left it when the
   * index knows the record, else as stored when the segment began.
   */
  private static IngestOutcome unchanged(
      Prepared p, Map<String, StoredRecord> stored, Map<String, Long> rowOf, SegmentIndex index) {
    String name = p.incoming().name();
    Long row = rowOf.get(name);
    StoredRecord held = stored.get(name);
    if (row == null && held != null) {
      row = held.id();
    }
    UUID member = index == null || row == null ? null : index.memberOf(row);
    if (member == null && held != null) {
      member = held.member();
    }
    return new IngestOutcome(
        IngestOutcome.Kind.UNCHANGED,
        member,
        null,
        List.of("same content"),
        p.incoming().warnings());
  }

  /**
   * The record joins the member the decision chose, after the members it bridged were merged into
   * the oldest of them (as {@code MemberMerges#merge} picks the survivor). Returns the survivor.
   */
  private static UUID merge(
      SegmentIndex index,
      SegmentChanges changes,
      SegmentChanges.NewRow row,
      MemberDecision decision) {
    List<SegmentIndex.Held> involved = new ArrayList<>();
    involved.add(index.member(decision.memberId()));
    for (UUID absorbed : decision.absorbed()) {
      involved.add(index.member(absorbed));
    }
    involved.sort(
        Comparator.comparing((SegmentIndex.Held h) -> h.createdAt).thenComparing(h -> h.id));
    SegmentIndex.Held survivor = involved.get(0);
    String cause = row.incoming().joinedCause(decision);
    List<SegmentChanges.Merge> merges = new ArrayList<>();
    for (SegmentIndex.Held absorbed : involved.subList(1, involved.size())) {
      List<Long> moved = index.absorb(survivor, absorbed);
      merges.add(
          new SegmentChanges.Merge(
              survivor.id, absorbed.id, moved, row.at(), cause, row.incoming().record().source()));
    }
    index.join(survivor, row.pk(), row.features(), row.incoming().keys());
    changes.joined(row, survivor.id, merges, decision);
    return survivor.id;
  }

  /** A record the hub holds: its row, its member and its content's hash. */
  private record StoredRecord(long id, UUID member, String contentHash) {}

  /**
   * The rows the hub holds of {@code records}, by name, as committed now with what this chunk wrote
   * so far.
   */
  private Map<String, StoredRecord> stored(List<Prepared> records) {
    Map<String, StoredRecord> out = new HashMap<>();
    if (records.isEmpty()) {
      return out;
    }
    jdbc.query(
        "select s.source, s.source_record_id, s.id, s.member_id, s.content_hash"
            + " from source_record s join unnest(?::text[], ?::text[]) as u(source, id)"
            + " on s.source = u.source and s.source_record_id = u.id",
        rs -> {
          out.put(
              rs.getString(1) + ":" + rs.getString(2),
              new StoredRecord(rs.getLong(3), rs.getObject(4, UUID.class), rs.getString(5)));
        },
        records.stream().map(p -> p.incoming().record().source()).toArray(String[]::new),
        records.stream().map(p -> p.incoming().record().sourceRecordId()).toArray(String[]::new));
    return out;
  }

  /**
   * The time of the next record: the clock's, to the microsecond PostgreSQL keeps, and always after
   * the last one, so members started in one chunk keep their order of creation.
   */
  private synchronized Instant nextInstant() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    if (!now.isAfter(last)) {
      now = last.plus(1, ChronoUnit.MICROS);
    }
    last = now;
    return now;
  }
}
