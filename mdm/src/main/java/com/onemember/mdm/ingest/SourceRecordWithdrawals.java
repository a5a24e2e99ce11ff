package com.onemember.mdm.ingest;

import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A source system deleted a customer: the hub withdraws that one source record, not the person. The
 * member keeps its other records and is survived again without it; a member left with no record no
 * longer stands (WITHDRAWN, as after a rollback). Reviews about the record go with it; the merge
 * log records what was withdrawn, from which member, and why.
 */
@Service
public class SourceRecordWithdrawals {

  private final JdbcTemplate jdbc;
  private final MemberRepository members;
  private final SourceRecordRepository records;
  private final MemberMerges merges;
  private final MergeLog mergeLog;
  private final Clock clock;
  private final EntityManager entityManager;

  public SourceRecordWithdrawals(
      EntityManager entityManager,
      JdbcTemplate jdbc,
      MemberRepository members,
      SourceRecordRepository records,
      MemberMerges merges,
      MergeLog mergeLog,
      Clock clock) {
    this.entityManager = entityManager;
    this.jdbc = jdbc;
    this.members = members;
    this.records = records;
    this.merges = merges;
    this.mergeLog = mergeLog;
    this.clock = clock;
  }

  /**
   * Withdraws {@code source}'s record {@code sourceRecordId}.
   *
   * @param cause in words, for the member's history and the merge log
   * @return the member the record belonged to; empty when the hub holds no such record
   */
  @Transactional
  public Optional<UUID> withdraw(String source, String sourceRecordId, String cause, String actor) {
    Optional<SourceRecordEntity> found =
        records.findBySourceAndSourceRecordId(source, sourceRecordId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SourceRecordEntity record = found.get();
    UUID live;
    MemberEntity member;
    while (true) {
      live = members.findById(record.getMemberId()).orElseThrow().liveId();
      member = members.lockAll(List.of(live)).get(0);
      // an ingest may have merged the member away between the read and the lock: follow it
      entityManager.refresh(record);
      MemberEntity owner = members.findById(record.getMemberId()).orElseThrow();
      entityManager.refresh(owner);
      if (owner.liveId().equals(live)) {
        break;
      }
    }
    Instant now = clock.instant();
    jdbc.update("delete from match_review where source_record_pk = ?", record.getId());
    jdbc.update("delete from source_record_revision where source_record_pk = ?", record.getId());
    records.delete(record);
    records.flush();
    boolean empty = records.findByMemberIdOrderByIdAsc(live).isEmpty();
    String name = source + ":" + sourceRecordId;
    if (empty) {
      merges.withdraw(member, now, new MemberChange(GoldenChange.WITHDRAWN, cause, null, source));
      jdbc.update(
          "delete from match_review where status = 'OPEN'"
              + " and (record_member_id = ? or candidate_member_id = ?)",
          live,
          live);
    } else {
      merges.resurvive(member, now, new MemberChange(GoldenChange.UPDATED, cause, null, source));
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("reason", cause);
    evidence.put("outcome", empty ? "member withdrawn" : "member kept");
    mergeLog.append(
        MergeAction.RECORD_WITHDRAWN,
        List.of(live),
        List.of(name),
        actor,
        RecordJson.write(evidence),
        now);
    return Optional.of(live);
  }
}
