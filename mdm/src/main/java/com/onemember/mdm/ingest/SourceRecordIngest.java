package com.onemember.mdm.ingest;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.blocking.MatchKeys;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Ingests source records into golden members. Idempotent: a re-delivery changes nothing. */
@Service
public class SourceRecordIngest {

  private final SourceRecordRepository records;
  private final MemberRepository members;
  private final KeyLocks keyLocks;

  /** The actor of automatic decisions in the merge log. */
  public static final String MATCHER = "matcher";

  /**
   * Why a change to a record of an erased member is refused. Whoever keeps refusals must not keep
   * the refused record's data with it: that would undo the erasure.
   */
  public static final String ERASED_REFUSAL =
      "该记录所属会员的个人信息已按本人要求删除，不再接收其更新；如本人重新登记，请用新的记录编号 / the personal data of"
          + " this record's member was erased at the person's request, so changes to it are"
          + " no longer taken; if the person signs up again, send a record with a new id";

  private final StoredCandidates candidates;
  private final RecordDecisions decisions;
  private final ChangeSetWriter writer;
  private final Clock clock;

  public SourceRecordIngest(
      SourceRecordRepository records,
      MemberRepository members,
      KeyLocks keyLocks,
      StoredCandidates candidates,
      RecordDecisions decisions,
      ChangeSetWriter writer,
      Clock clock) {
    this.records = records;
    this.members = members;
    this.keyLocks = keyLocks;
    this.candidates = candidates;
    this.decisions = decisions;
    this.writer = writer;
    this.clock = clock;
  }

  /** Ingests one record in the caller's transaction (or a new one). */
  @Transactional
  public IngestOutcome ingest(SourceRecord record) {
    return ingest(record, null);
  }

  /**
   * Ingests one record that a row of import {@code importId} brought ({@code null} when it came
   * another way). What the import changes is marked with its id so that it can be rolled back.
   */
  @Transactional
  public IngestOutcome ingest(SourceRecord record, UUID importId) {
    Instant now = clock.instant();
    IncomingRecord prepared = IncomingRecord.of(record, importId, now);
    if (prepared.refused() != null) {
      return prepared.refused();
    }
    ChangeSetWriter.NewRecord incoming = prepared.incoming();
    keyLocks.lock(incoming.lockNames());

    var existing = records.findBySourceAndSourceRecordId(record.source(), record.sourceRecordId());
    if (existing.isPresent()) {
      SourceRecordEntity stored = existing.get();
      if (stored.getContentHash().equals(incoming.hash())) {
        return new IngestOutcome(
            IngestOutcome.Kind.UNCHANGED,
            stored.getMemberId(),
            null,
            List.of("same content"),
            incoming.warnings());
      }
      if (members.findById(stored.getMemberId()).map(m -> m.getErasedAt() != null).orElse(false)) {
        return IngestOutcome.rejected(ERASED_REFUSAL);
      }
      MemberEntity member = members.lockAll(List.of(stored.getMemberId())).get(0);
      return writer.writeChanged(stored, member, incoming, now);
    }
    return ingestNew(incoming, prepared.features(), now);
  }

  /**
   * A record the hub has not stored: its candidates are read as committed ({@link
   * StoredCandidates}), the decision is made on them ({@link RecordDecisions}), only the members it
   * joins are locked, and the change set is written ({@link ChangeSetWriter}). Locking every
   * candidate first (up to max-candidates rows, each with its golden record) took a good part of
   * the database's time on big imports and made ingests in a common name's block wait on each
   * other. A member another ingest changed in between is seen under its lock: then the candidates
   * are read again with every one of them locked, and the record decided again, as before.
   */
  private IngestOutcome ingestNew(
      ChangeSetWriter.NewRecord incoming, MatchRecord features, Instant now) {
    CandidateSet found = candidates.find(incoming.keys());
    MemberDecision decision = decisions.decide(features, found);
    List<UUID> involved = decision.merges() ? involved(decision) : List.of();
    List<MemberEntity> locked = involved.isEmpty() ? List.of() : members.lockAll(involved);
    if (!involved.isEmpty() && !found.unchanged(locked, candidates.recordIdsByMember(involved))) {
      List<UUID> candidateIds = candidates.candidateMembers(found.followed());
      locked = members.lockAll(candidateIds);
      found = candidates.findAgain(found, candidateIds);
      decision = decisions.decide(features, found);
    }
    return writer.write(incoming, decision, locked, now);
  }

  /** The member a decision joins and those it links, in id order (the order locks are taken in). */
  private static List<UUID> involved(MemberDecision decision) {
    java.util.TreeSet<UUID> ids = new java.util.TreeSet<>(decision.absorbed());
    ids.add(decision.memberId());
    return List.copyOf(ids);
  }

  /** The record's stored keys ({@link MatchKeys}), sorted. */
  public static List<String> keysOf(StandardizedRecord clean) {
    return MatchKeys.of(MatchRecords.of(clean));
  }
}
