package com.onemember.mdm.stewardship;

import com.onemember.canonical.Gender;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.ingest.MemberChange;
import com.onemember.mdm.ingest.MemberMerges;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.ErasedHistory;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erases a member's personal data on the person's request (PIPL art. 47), in one transaction: every
 * source record becomes a tombstone (source, id and content hash kept, so the same record re-sent
 * stays erased), its blocking keys, revisions, reviews and hand-given tags go, the member's golden
 * record and every earlier version lose their content, and so do the outbox events and dead letters
 * already written about it. Consumers get an ERASED event naming their records. The merge log keeps
 * its entries, which hold ids, scores and reasons rather than personal data, and the erasure
 * itself: an auditor can still see what was merged and that it was erased, and the chain still
 * verifies.
 */
@Service
public class Erasures {

  private final MemberRepository members;
  private final SourceRecordRepository records;
  private final MemberMerges merges;
  private final MergeLog mergeLog;
  private final JdbcTemplate jdbc;
  private final Clock clock;

  public Erasures(
      MemberRepository members,
      SourceRecordRepository records,
      MemberMerges merges,
      MergeLog mergeLog,
      JdbcTemplate jdbc,
      Clock clock) {
    this.members = members;
    this.records = records;
    this.merges = merges;
    this.mergeLog = mergeLog;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** What was erased: the member and the source records (source:id) concerned. */
  public record Erased(UUID memberId, Instant at, List<String> sourceRecords) {}

  @Transactional
  public Erased erase(UUID id, String actor, String reason) {
    MemberEntity found =
        members
            .findById(id)
            .orElseThrow(() -> new StewardshipRefused(true, "没有这个会员 / there is no member " + id));
    MemberEntity member = members.lockAll(List.of(found.liveId())).get(0);
    if (member.getErasedAt() != null) {
      throw new StewardshipRefused(
          false,
          "该会员的个人信息已于 %s 删除 / this member's personal data was erased at %s"
              .formatted(member.getErasedAt(), member.getErasedAt()));
    }
    Instant now = clock.instant();
    List<UUID> ids = new ArrayList<>();
    ids.add(member.getId());
    members.findByMergedInto(member.getId()).forEach(m -> ids.add(m.getId()));
    UUID[] memberIds = ids.toArray(UUID[]::new);

    List<SourceRecordEntity> held = records.findByMemberIdOrderByIdAsc(member.getId());
    List<String> names = new ArrayList<>();
    Long[] pks = held.stream().map(SourceRecordEntity::getId).toArray(Long[]::new);
    for (SourceRecordEntity r : held) {
      names.add(r.getSource() + ":" + r.getSourceRecordId());
      StandardizedRecord clean = RecordJson.clean(r.getClean());
      r.setContent(
          RecordJson.write(
              new SourceRecord(
                  r.getSource(),
                  r.getSourceRecordId(),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  Map.of())),
          RecordJson.write(
              new StandardizedRecord(
                  r.getSource(),
                  r.getSourceRecordId(),
                  clean.receivedAt(),
                  null,
                  null,
                  null,
                  Gender.UNKNOWN,
                  null,
                  List.of(),
                  List.of(),
                  List.of(),
                  List.of(),
                  List.of(),
                  null,
                  List.of())),
          r.getContentHash(), // unchanged: the same record re-sent is "unchanged", stays erased
          null,
          Set.of(),
          now);
    }
    records.flush();
    jdbc.update("delete from source_record_revision where source_record_pk = any(?)", (Object) pks);
    jdbc.update(
        """
        update import_row r set raw = '{}'::jsonb, record = null, warnings = null
          from import_job j, source_record s
         where r.import_id = j.id and s.id = any(?)
           and s.source = j.source and s.source_record_id = r.source_record_id""",
        (Object) pks);
    // what a connector read of these records and could not use quotes them too
    jdbc.update(
        """
        delete from connector_rejection c using source_record s
         where s.id = any(?) and c.connector_id = s.source
           and c.source_record_id = s.source_record_id""",
        (Object) pks);
    // and what a pushing system told of them, kept to complete its next partial push
    jdbc.update(
        """
        delete from connector_document d using source_record s
         where s.id = any(?) and d.connector_id = s.source and d.source_key = s.source_record_id""",
        (Object) pks);
    // and the data requests that name them
    jdbc.update(
        """
        delete from connector_data_request q using source_record s
         where s.id = any(?) and q.connector_id = s.source and q.source_key = s.source_record_id""",
        (Object) pks);
    jdbc.update(
        "delete from match_review where source_record_pk = any(?) or record_member_id = any(?)"
            + " or candidate_member_id = any(?)",
        pks,
        memberIds,
        memberIds);
    jdbc.update("delete from member_tag where member_id = any(?)", (Object) memberIds);
    jdbc.update(
        "update member set golden = ?::jsonb where id = any(?) and id <> ?",
        ErasedHistory.STUB,
        memberIds,
        member.getId());
    ErasedHistory.forget(jdbc, memberIds);

    String because = "erased on request by " + actor + ": " + reason + " / 按要求删除个人信息";
    member.erase(because, now);
    merges.resurvive(member, now, MemberChange.byPerson(GoldenChange.ERASED, because));
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("reason", reason);
    evidence.put("sourceRecords", names.size());
    mergeLog.append(MergeAction.ERASURE, ids, names, actor, RecordJson.write(evidence), now);
    return new Erased(member.getId(), now, names);
  }
}
