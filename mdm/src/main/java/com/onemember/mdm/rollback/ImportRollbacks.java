package com.onemember.mdm.rollback;

import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.ingest.IncomingRecord;
import com.onemember.mdm.ingest.MemberChange;
import com.onemember.mdm.ingest.MemberMerges;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.stewardship.StewardshipRefused;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rolls back one import in one transaction, from what ingest marked with the import's id: the
 * records it brought ({@code source_record.import_id}), the earlier content of the records it
 * changed ({@code source_record_revision}), the member versions it wrote and the member merges it
 * caused ({@code member_merge}). Merges are undone newest first, so a member that one row absorbed
 * and a later row of the same import moved on returns to where it was.
 */
@Service
public class ImportRollbacks {

  private final JdbcTemplate jdbc;
  private final EntityManager entityManager;
  private final MemberRepository members;
  private final SourceRecordRepository records;
  private final MemberMerges merges;
  private final MergeLog mergeLog;
  private final Clock clock;

  public ImportRollbacks(
      JdbcTemplate jdbc,
      EntityManager entityManager,
      MemberRepository members,
      SourceRecordRepository records,
      MemberMerges merges,
      MergeLog mergeLog,
      Clock clock) {
    this.jdbc = jdbc;
    this.entityManager = entityManager;
    this.members = members;
    this.records = records;
    this.merges = merges;
    this.mergeLog = mergeLog;
    this.clock = clock;
  }

  /**
   * What a rollback did.
   *
   * @param restored members that stand again as they were before the import
   * @param withdrawn members the import created, now without records
   * @param recordsKept records the import brought that a later import read again: they stay, as
   *     that import's
   */
  public record Result(
      UUID importId,
      Instant rolledBackAt,
      List<UUID> restored,
      List<UUID> withdrawn,
      int recordsRemoved,
      int recordsRestored,
      int mergesUndone,
      int reviewsWithdrawn,
      int recordsKept) {}

  private record Created(long pk, String name, UUID memberId) {}

  private record Revision(
      long pk, String raw, String clean, String contentHash, Instant sourceUpdatedAt) {}

  private record Merge(UUID survivor, UUID absorbed, List<Long> moved, List<UUID> repointed) {}

  /** Everything one touched member went through, for its merge-log entry. */
  private static final class Effect {
    final List<String> removed = new ArrayList<>();
    final List<String> restored = new ArrayList<>();
    final List<UUID> splitOff = new ArrayList<>();
  }

  /**
   * Rolls back import {@code importId} on behalf of {@code actor}.
   *
   * @throws StewardshipRefused when there is no such import, it is still running or already rolled
   *     back, or the members or records it changed have changed again since
   */
  @Transactional
  public Result rollback(UUID importId, String actor, String reason) {
    Map<String, Object> job = lockJob(importId);
    Instant now = clock.instant();
    String label = importId + " (" + job.get("file_name") + ")";

    // a record this import brought that a later import (not rolled back) read again belongs to
    // that one now: rolling this back must not remove what the other still lists
    int kept =
        jdbc.update(
            """
            update source_record s set import_id = later.import_id
              from (select distinct on (s2.id) s2.id, r.import_id
                      from source_record s2
                      join import_row r
                        on r.source_record_id = s2.source_record_id and r.import_id <> s2.import_id
                      join import_job j
                        on j.id = r.import_id and j.source = s2.source and j.rolled_back_at is null
                     where s2.import_id = ?
                       and r.outcome in ('created', 'merged', 'updated', 'unchanged')
                     order by s2.id, j.created_at desc) later
             where s.id = later.id""",
            importId);
    List<Created> created =
        jdbc.query(
            "select id, source || ':' || source_record_id, member_id from source_record"
                + " where import_id = ? order by id",
            (rs, i) -> new Created(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class)),
            importId);
    List<Revision> revisions =
        jdbc.query(
            "select distinct on (source_record_pk) source_record_pk, raw::text, clean::text,"
                + " content_hash, source_updated_at from source_record_revision"
                + " where replaced_by_import = ? order by source_record_pk, id",
            (rs, i) ->
                new Revision(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    instant(rs.getTimestamp(5))),
            importId);
    List<Merge> undo =
        jdbc.query(
            "select survivor_id, absorbed_id, moved_records, repointed_members from member_merge"
                + " where import_id = ? order by id desc",
            (rs, i) ->
                new Merge(
                    rs.getObject(1, UUID.class),
                    rs.getObject(2, UUID.class),
                    longs(rs.getArray(3)),
                    uuids(rs.getArray(4))),
            importId);
    Set<UUID> touched =
        new TreeSet<>(
            jdbc.queryForList(
                "select distinct member_id from member_version where import_id = ?",
                UUID.class,
                importId));
    undo.forEach(
        m -> {
          touched.add(m.survivor());
          touched.add(m.absorbed());
        });
    created.forEach(c -> touched.add(c.memberId()));

    if (!touched.isEmpty()) {
      members.lockAll(touched);
    }
    refuseIfChangedSince(importId, touched, created, revisions, job);

    Map<UUID, Effect> effects = new LinkedHashMap<>();
    touched.forEach(m -> effects.put(m, new Effect()));
    Set<UUID> revived = new TreeSet<>();
    for (Merge m : undo) {
      MemberEntity absorbed = members.findById(m.absorbed()).orElseThrow();
      revived.add(absorbed.getId());
      absorbed.revive(now);
      for (SourceRecordEntity r : records.findAllById(m.moved())) {
        r.linkTo(absorbed.getId());
      }
      for (MemberEntity pointing : members.findAllById(m.repointed())) {
        pointing.repoint(absorbed.getId());
      }
      effects.get(m.survivor()).splitOff.add(absorbed.getId());
    }
    for (Revision rev : revisions) {
      SourceRecordEntity r = records.findById(rev.pk()).orElseThrow();
      r.setContent(
          rev.raw(),
          rev.clean(),
          rev.contentHash(),
          rev.sourceUpdatedAt(),
          Set.copyOf(IncomingRecord.keysOf(RecordJson.clean(rev.clean()))),
          now);
      effects
          .computeIfAbsent(r.getMemberId(), k -> new Effect())
          .restored
          .add(r.getSource() + ":" + r.getSourceRecordId());
    }
    jdbc.update("delete from source_record_revision where replaced_by_import = ?", importId);

    Long[] createdPks = created.stream().map(Created::pk).toArray(Long[]::new);
    int reviews =
        jdbc.update(
            "delete from match_review where source_record_pk = any(?)", (Object) createdPks);
    for (Created c : created) {
      SourceRecordEntity r = records.findById(c.pk()).orElseThrow();
      effects.get(r.getMemberId()).removed.add(c.name());
      records.delete(r);
    }
    entityManager.flush();

    List<UUID> restored = new ArrayList<>();
    List<UUID> withdrawn = new ArrayList<>();
    String cause = "导入 " + label + " 已回滚 / import " + label + " rolled back by " + actor;
    for (Map.Entry<UUID, Effect> e : effects.entrySet()) {
      MemberEntity member = members.findById(e.getKey()).orElseThrow();
      if (member.getMergedInto() != null) {
        continue; // absorbed before this import and still so: nothing of it changed
      }
      boolean empty = records.findByMemberIdOrderByIdAsc(member.getId()).isEmpty();
      // a member the import had absorbed stands on its own again: to consumers, an unmerge
      GoldenChange type =
          revived.contains(member.getId()) ? GoldenChange.UNMERGED : GoldenChange.UPDATED;
      if (empty) {
        merges.withdraw(
            member, now, MemberChange.byPerson(GoldenChange.WITHDRAWN, cause + ": " + reason));
        withdrawn.add(member.getId());
      } else {
        merges.resurvive(member, now, MemberChange.byPerson(type, cause + ": " + reason));
        restored.add(member.getId());
      }
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("rollbackOfImport", importId.toString());
      evidence.put("file", job.get("file_name"));
      evidence.put("reason", reason);
      evidence.put("outcome", empty ? "withdrawn" : "restored");
      evidence.put("recordsRemoved", e.getValue().removed);
      evidence.put("recordsRestored", e.getValue().restored);
      evidence.put("membersSplitOff", e.getValue().splitOff);
      List<UUID> involved = new ArrayList<>();
      involved.add(member.getId());
      involved.addAll(e.getValue().splitOff);
      List<String> recordNames = new ArrayList<>(e.getValue().removed);
      recordNames.addAll(e.getValue().restored);
      mergeLog.append(
          MergeAction.ROLLBACK, involved, recordNames, actor, RecordJson.write(evidence), now);
    }
    if (!withdrawn.isEmpty()) {
      reviews +=
          jdbc.update(
              "delete from match_review where status = 'OPEN'"
                  + " and (record_member_id = any(?) or candidate_member_id = any(?))",
              withdrawn.toArray(UUID[]::new),
              withdrawn.toArray(UUID[]::new));
    }
    jdbc.update(
        "update import_job set rolled_back_at = ?, rolled_back_by = ?, rollback_reason = ?"
            + " where id = ?",
        Timestamp.from(now),
        actor,
        reason,
        importId);
    return new Result(
        importId,
        now,
        restored,
        withdrawn,
        created.size(),
        revisions.size(),
        undo.size(),
        reviews,
        kept);
  }

  private Map<String, Object> lockJob(UUID importId) {
    List<Map<String, Object>> jobs =
        jdbc.queryForList(
            "select file_name, source, created_at, rolled_back_at, rolled_back_by, state"
                + " from import_job where id = ? for update",
            importId);
    if (jobs.isEmpty()) {
      throw new StewardshipRefused(
          true, "没有这个导入：" + importId + " / there is no import " + importId);
    }
    Map<String, Object> job = jobs.get(0);
    if (job.get("rolled_back_at") != null) {
      throw new StewardshipRefused(
          false,
          "该导入已于 %s 由 %s 回滚 / this import was already rolled back at %s by %s"
              .formatted(
                  job.get("rolled_back_at"),
                  job.get("rolled_back_by"),
                  job.get("rolled_back_at"),
                  job.get("rolled_back_by")));
    }
    if ("reading".equals(job.get("state"))) {
      // its rows are still being stored and none is queued: a rollback now would be overtaken
      throw new StewardshipRefused(
          false,
          "该导入的文件仍在读取中，完成后才能回滚 / this import's file is still being read; roll it back"
              + " once it has completed");
    }
    Integer pending =
        jdbc.queryForObject(
            "select count(*) from import_row where import_id = ? and outcome = 'pending'",
            Integer.class,
            importId);
    if (pending != null && pending > 0) {
      throw new StewardshipRefused(
          false,
          "该导入仍在处理中（还有 %d 行），完成后才能回滚 / this import is still running (%d rows to go);"
                  .formatted(pending, pending)
              + " roll it back once it has completed");
    }
    return job;
  }

  /**
   * Refuses when anything changed the import's members or records after it: a rollback would
   * otherwise throw that change away without anyone deciding so. Tag changes do not count: tags are
   * derived again from the records and the hand-given tags, which a rollback keeps.
   */
  private void refuseIfChangedSince(
      UUID importId,
      Set<UUID> touched,
      List<Created> created,
      List<Revision> revisions,
      Map<String, Object> job) {
    List<String> later = new ArrayList<>();
    UUID[] ids = touched.toArray(UUID[]::new);
    jdbc.query(
        """
        select v.member_id, v.version, v.cause, v.changed_at
          from member_version v
          join (select member_id, min(version) as first
                  from member_version where import_id = ? group by member_id) x
            on x.member_id = v.member_id
         where v.version > x.first and v.import_id is distinct from ?
           and v.change_type is distinct from 'TAGS_CHANGED'
         order by v.changed_at limit 5""",
        rs -> {
          later.add(
              "会员 %s 第 %d 版（%s）/ member %s version %d (%s)"
                  .formatted(
                      rs.getObject(1),
                      rs.getLong(2),
                      rs.getString(3),
                      rs.getObject(1),
                      rs.getLong(2),
                      rs.getString(3)));
        },
        importId,
        importId);
    jdbc.query(
        """
        select survivor_id, absorbed_id, merged_at from member_merge
         where (survivor_id = any(?) or absorbed_id = any(?))
           and import_id is distinct from ?
           and merged_at >= (select coalesce(min(changed_at), 'infinity') from member_version
                              where import_id = ?)
         order by id limit 5""",
        rs -> {
          later.add(
              "会员 %s 并入了 %s（%s）/ member %s was merged into %s (%s)"
                  .formatted(
                      rs.getObject(2),
                      rs.getObject(1),
                      rs.getTimestamp(3).toInstant(),
                      rs.getObject(2),
                      rs.getObject(1),
                      rs.getTimestamp(3).toInstant()));
        },
        ids,
        ids,
        importId,
        importId);
    Long[] pks =
        java.util.stream.Stream.concat(
                created.stream().map(Created::pk), revisions.stream().map(Revision::pk))
            .toArray(Long[]::new);
    jdbc.query(
        """
        select r.source || ':' || r.source_record_id, v.replaced_at
          from source_record_revision v join source_record r on r.id = v.source_record_pk
         where v.source_record_pk = any(?) and v.replaced_by_import is distinct from ?
           and v.replaced_at >= ?
         order by v.id limit 5""",
        rs -> {
          later.add(
              "源记录 %s 于 %s 又有更新 / source record %s changed again at %s"
                  .formatted(
                      rs.getString(1),
                      rs.getTimestamp(2).toInstant(),
                      rs.getString(1),
                      rs.getTimestamp(2).toInstant()));
        },
        pks,
        importId,
        job.get("created_at"));
    String[] createdIds =
        created.stream()
            .map(c -> c.name().substring(c.name().indexOf(':') + 1))
            .toArray(String[]::new);
    jdbc.query(
        """
        select distinct j.id, j.file_name
          from import_row r join import_job j on j.id = r.import_id
         where j.id <> ? and j.source = ? and j.rolled_back_at is null
           and j.created_at > ? and r.source_record_id = any(?)
         limit 5""",
        rs -> {
          later.add(
              "之后的导入 %s（%s）又送来了本次导入新增的记录 / the later import %s (%s) sent records this"
                      .formatted(rs.getObject(1), rs.getString(2), rs.getObject(1), rs.getString(2))
                  + " import brought");
        },
        importId,
        job.get("source"),
        job.get("created_at"),
        createdIds);
    if (!later.isEmpty()) {
      throw new StewardshipRefused(
          false,
          "本次导入之后，相关会员或记录又有变化，回滚会丢掉这些变化；请先撤销它们（或先回滚之后的导入）/ after this"
              + " import its members or records changed again, and a rollback would lose those"
              + " changes; undo them first (or roll back the later import first): "
              + String.join("; ", later));
    }
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static List<Long> longs(Array array) throws SQLException {
    return Arrays.asList((Long[]) array.getArray());
  }

  private static List<UUID> uuids(Array array) throws SQLException {
    return Arrays.asList((UUID[]) array.getArray());
  }
}
