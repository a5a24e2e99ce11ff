package com.onemember.mdm.ingest;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Ingest's last stage: writes what a decision about a new record changes, or a stored record's new
 * content, in the caller's transaction. The record is stored raw and clean with its keys and the
 * decision as its evidence; it joins the chosen member (the members it bridged merged into the
 * oldest) or starts a member; the golden record gets its new version and event; the pairs left to a
 * steward are opened; and the merge log gets the decision. The caller holds the locks of the
 * members the decision joins.
 */
@Component
public class ChangeSetWriter {

  private final EntityManager entityManager;
  private final JdbcTemplate jdbc;
  private final MemberMerges merges;
  private final MatchReviews reviews;
  private final MergeLog mergeLog;

  public ChangeSetWriter(
      EntityManager entityManager,
      JdbcTemplate jdbc,
      MemberMerges merges,
      MatchReviews reviews,
      MergeLog mergeLog) {
    this.entityManager = entityManager;
    this.jdbc = jdbc;
    this.merges = merges;
    this.reviews = reviews;
    this.mergeLog = mergeLog;
  }

  /**
   * A record the hub has not stored before, standardised.
   *
   * @param record as the source sent it
   * @param clean its standardised form
   * @param raw the record as stored ({@link RecordJson#write})
   * @param hash the SHA-256 of {@code raw}: an identical re-delivery changes nothing
   * @param keys its match keys
   * @param importId the import whose row brought it, or null
   * @param warnings the cells the standardiser left out, each with why
   */
  public record NewRecord(
      SourceRecord record,
      StandardizedRecord clean,
      String raw,
      String hash,
      List<String> keys,
      UUID importId,
      List<String> warnings) {

    /** {@code source:sourceRecordId}, as the merge log and causes name a record. */
    public String name() {
      return record.source() + ":" + record.sourceRecordId();
    }

    /**
     * The advisory locks an ingest of this record takes ({@link KeyLocks}): its keys and its own.
     */
    public List<String> lockNames() {
      List<String> names = new ArrayList<>(keys);
      names.add(KeyLocks.recordKey(record));
      return names;
    }

    /** Why a member's version changed when this record started it. */
    public String startedCause() {
      return name() + " started a new member / 新建会员";
    }

    /** Why a member's version changed when this record joined it as {@code decision} says. */
    public String joinedCause(MemberDecision decision) {
      return name()
          + (decision.absorbed().isEmpty()
              ? " joined / 源记录并入"
              : " joined and linked " + decision.absorbed() + " / 源记录并入并合并会员");
    }

    /** What ingesting this record did, when {@code decision} put it in {@code member}. */
    public IngestOutcome outcome(UUID member, MemberDecision decision) {
      return new IngestOutcome(
          decision.merges() ? IngestOutcome.Kind.MERGED : IngestOutcome.Kind.CREATED,
          member,
          null,
          List.of(decision.reason()),
          warnings);
    }

    /**
     * The merge-log entry of {@code decision} about this record, which ended in {@code member}: the
     * resulting member first, then the members merged into it; the decision is its evidence.
     */
    public MergeLog.NewEntry logEntry(UUID member, MemberDecision decision) {
      Set<UUID> concerned = new LinkedHashSet<>();
      concerned.add(member);
      if (decision.merges()) {
        concerned.add(decision.memberId());
        concerned.addAll(decision.absorbed());
      }
      return new MergeLog.NewEntry(
          decision.merges() ? MergeAction.MERGE : MergeAction.NEW_MEMBER,
          List.copyOf(concerned),
          List.of(name()),
          SourceRecordIngest.MATCHER,
          RecordJson.write(decision));
    }
  }

  /**
   * Writes {@code decision} about {@code incoming}; {@code locked} holds at least the members it
   * joins (locked by the caller).
   */
  public IngestOutcome write(
      NewRecord incoming, MemberDecision decision, List<MemberEntity> locked, Instant now) {
    SourceRecord record = incoming.record();
    SourceRecordEntity entity =
        new SourceRecordEntity(record.source(), record.sourceRecordId(), now);
    entity.setContent(
        incoming.raw(),
        RecordJson.write(incoming.clean()),
        incoming.hash(),
        record.sourceUpdatedAt(),
        Set.copyOf(incoming.keys()),
        now);
    entity.setImportId(incoming.importId());
    UUID member;
    if (decision.merges()) {
      MemberChange change =
          new MemberChange(
              GoldenChange.UPDATED,
              incoming.joinedCause(decision),
              incoming.importId(),
              record.source());
      MemberEntity survivor = mergeMembers(decision, locked, now, change);
      entity.linkTo(survivor.getId());
      entityManager.persist(entity);
      merges.resurvive(survivor, now, change);
      member = survivor.getId();
    } else {
      MemberEntity created =
          merges.create(
              List.of(incoming.clean()),
              now,
              new MemberChange(
                  GoldenChange.CREATED,
                  incoming.startedCause(),
                  incoming.importId(),
                  record.source()));
      entity.linkTo(created.getId());
      entityManager.persist(entity);
      member = created.getId();
    }
    entityManager.flush();
    reviews.openAll(MatchReviews.pending(entity.getId(), member, decision, now));
    mergeLog.append(incoming.logEntry(member, decision), now);
    return incoming.outcome(member, decision);
  }

  /**
   * Writes a new content of {@code stored}, a record of {@code member} (locked by the caller): the
   * content it replaces is kept as a revision, so nothing a source sent is lost, and the member's
   * golden record is survived again. The record keeps when the hub first received it.
   */
  public IngestOutcome writeChanged(
      SourceRecordEntity stored, MemberEntity member, NewRecord incoming, Instant now) {
    keepRevision(stored, incoming.importId(), now);
    StandardizedRecord previous = RecordJson.clean(stored.getClean());
    StandardizedRecord kept = withReceivedAt(incoming.clean(), previous.receivedAt());
    stored.setContent(
        incoming.raw(),
        RecordJson.write(kept),
        incoming.hash(),
        incoming.record().sourceUpdatedAt(),
        Set.copyOf(incoming.keys()),
        now);
    merges.resurvive(
        member,
        now,
        new MemberChange(
            GoldenChange.UPDATED,
            incoming.name() + " changed / 源记录更新",
            incoming.importId(),
            incoming.record().source()));
    return new IngestOutcome(
        IngestOutcome.Kind.UPDATED,
        member.getId(),
        null,
        List.of("content changed"),
        incoming.warnings());
  }

  /** Keeps the stored content of a record a source is about to change: nothing sent is lost. */
  private void keepRevision(SourceRecordEntity stored, UUID importId, Instant now) {
    jdbc.update(
        "insert into source_record_revision (source_record_pk, raw, clean, content_hash,"
            + " source_updated_at, replaced_at, replaced_by_import)"
            + " values (?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)",
        stored.getId(),
        stored.getRaw(),
        stored.getClean(),
        stored.getContentHash(),
        stored.getSourceUpdatedAt() == null
            ? null
            : java.sql.Timestamp.from(stored.getSourceUpdatedAt()),
        java.sql.Timestamp.from(now),
        importId);
  }

  /**
   * {@code r} as first received at {@code receivedAt}: a record's new content keeps when the hub
   * first heard of it.
   */
  public static StandardizedRecord withReceivedAt(StandardizedRecord r, Instant receivedAt) {
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

  /** The member the record joins, with the members it bridged merged into the oldest. */
  private MemberEntity mergeMembers(
      MemberDecision decision, List<MemberEntity> locked, Instant now, MemberChange change) {
    List<UUID> involved = new ArrayList<>();
    involved.add(decision.memberId());
    involved.addAll(decision.absorbed());
    return merges.merge(
        locked.stream().filter(m -> involved.contains(m.getId())).toList(), now, change);
  }
}
