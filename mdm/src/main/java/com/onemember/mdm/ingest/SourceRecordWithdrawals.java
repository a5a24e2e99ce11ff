package com.onemember.mdm.ingest;

import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.store.ErasedHistory;
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
 *
 * <p>A system may also ask the hub to erase what it holds of one of its customers (a shop's {@code
 * customers/redact}, under the privacy law that binds the shop): the record is withdrawn as above,
 * and with it goes what the hub kept of it elsewhere (the connector's document and rejections, the
 * import rows that carried it); as the member's earlier versions, events and dead letters may hold
 * its values, they lose their content, as they do when a whole member is erased. The merge log
 * keeps ids and the request only ({@link MergeAction#RECORD_ERASED}).
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
    return remove(source, sourceRecordId, cause, actor, false);
  }

  /**
   * Erases {@code source}'s record {@code sourceRecordId} at that system's request.
   *
   * @param request the request in words (the system's and its id), for the merge log
   * @return the member the record belonged to; empty when the hub holds no such record
   */
  @Transactional
  public Optional<UUID> erase(String source, String sourceRecordId, String request, String actor) {
    return remove(source, sourceRecordId, request, actor, true);
  }

  private Optional<UUID> remove(
      String source, String sourceRecordId, String cause, String actor, boolean erase) {
    Optional<SourceRecordEntity> found =
        records.findBySourceAndSourceRecordId(source, sourceRecordId);
    if (found.isEmpty()) {
      if (erase) {
        // withdrawn already (a shop deletes a customer before it asks to erase them): what the
        // hub kept of the record is still to go, and the merge log says it went
        List<UUID> scrubbed = forgetEverywhere(source, sourceRecordId, List.of());
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("request", cause);
        evidence.put("outcome", "record withdrawn before; its traces erased");
        mergeLog.append(
            MergeAction.RECORD_ERASED,
            scrubbed,
            List.of(source + ":" + sourceRecordId),
            actor,
            RecordJson.write(evidence),
            clock.instant());
      }
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
    if (erase) {
      List<UUID> holders = new java.util.ArrayList<>();
      holders.add(live);
      members.findByMergedInto(live).forEach(m -> holders.add(m.getId()));
      forgetEverywhere(source, sourceRecordId, holders);
    }
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
    if (erase && empty) {
      // the member's WITHDRAWN version and event just written still show the erased record's
      // values: they go too
      forgetEverywhere(source, sourceRecordId, List.of(live));
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put(erase ? "request" : "reason", cause);
    evidence.put("outcome", empty ? "member withdrawn" : "member kept");
    mergeLog.append(
        erase ? MergeAction.RECORD_ERASED : MergeAction.RECORD_WITHDRAWN,
        List.of(live),
        List.of(name),
        actor,
        RecordJson.write(evidence),
        now);
    return Optional.of(live);
  }

  /**
   * What the hub kept of an erased record outside the record itself, and the history of every
   * member that held it ({@code holders}, and those the merge log names with it), which may hold
   * its values.
   */
  private List<UUID> forgetEverywhere(String source, String id, List<UUID> holders) {
    jdbc.update(
        "delete from connector_rejection where connector_id = ? and source_record_id = ?",
        source,
        id);
    jdbc.update(
        "delete from connector_document where connector_id = ? and source_key = ?", source, id);
    jdbc.update(
        "delete from connector_data_request where connector_id = ? and source_key = ?", source, id);
    jdbc.update(
        "delete from connector_handover where connector_id = ? and source_key = ?", source, id);
    jdbc.update(
        """
        update import_row r set raw = '{}'::jsonb, record = null, warnings = null
          from import_job j
         where r.import_id = j.id and j.source = ? and r.source_record_id = ?""",
        source,
        id);
    java.util.Set<UUID> ids = new java.util.LinkedHashSet<>(holders);
    ids.addAll(
        jdbc.queryForList(
            "select distinct unnest(member_ids) from merge_log where ? = any(source_records)",
            UUID.class,
            source + ":" + id));
    UUID[] memberIds = ids.toArray(UUID[]::new);
    ErasedHistory.forget(jdbc, memberIds);
    // members merged away or withdrawn keep their last golden record: it goes too (a live
    // holder's is survived again when the record leaves it)
    jdbc.update(
        "update member set golden = ?::jsonb where id = any(?) and (merged_into is not null"
            + " or withdrawn_at is not null)",
        ErasedHistory.STUB,
        memberIds);
    return List.copyOf(ids);
  }
}
