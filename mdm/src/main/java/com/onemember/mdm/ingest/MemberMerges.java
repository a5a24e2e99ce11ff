package com.onemember.mdm.ingest;

import com.onemember.canonical.Member;
import com.onemember.mdm.golden.Survivorship;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.outbox.GoldenEvents;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every change of a golden member goes through here: merging members, re-computing a golden record,
 * creating and withdrawing one; shared by the matcher's ingest, a steward's decisions and a
 * rollback. Each change is kept in the member's history and written to the outbox in the caller's
 * transaction. Callers hold the members' row locks ({@link MemberRepository#lockAll}).
 */
@Component
public class MemberMerges {

  private final SourceRecordRepository records;
  private final MemberRepository members;

  private final JdbcTemplate jdbc;
  private final Survivorship survivorship;
  private final EntityManager entityManager;
  private final GoldenEvents events;
  private final MemberTags tags;

  public MemberMerges(
      SourceRecordRepository records,
      MemberRepository members,
      JdbcTemplate jdbc,
      Survivorship survivorship,
      EntityManager entityManager,
      GoldenEvents events,
      MemberTags tags) {
    this.events = events;
    this.tags = tags;
    this.jdbc = jdbc;
    this.survivorship = survivorship;
    this.entityManager = entityManager;
    this.records = records;
    this.members = members;
  }

  /**
   * Merges {@code involved} (locked, live members) into one: the oldest survives, so golden ids
   * that systems already hold stay stable; the others point at it and their records move to it.
   * Returns the survivor, not yet re-survived. Each absorbed member's records and the members that
   * pointed at it are kept in {@code member_merge}, so that the merge can be undone exactly, and a
   * {@link GoldenChange#MERGED} event tells consumers where its id went.
   */
  public MemberEntity merge(List<MemberEntity> involved, Instant now, MemberChange change) {
    List<MemberEntity> ordered =
        involved.stream()
            .sorted(
                Comparator.comparing(MemberEntity::getCreatedAt).thenComparing(MemberEntity::getId))
            .toList();
    MemberEntity survivor = ordered.get(0);
    for (MemberEntity absorbed : ordered.subList(1, ordered.size())) {
      List<Long> moved = new ArrayList<>();
      for (SourceRecordEntity moving : records.findByMemberIdOrderByIdAsc(absorbed.getId())) {
        moving.linkTo(survivor.getId());
        moved.add(moving.getId());
      }
      List<UUID> repointed =
          members.findByMergedInto(absorbed.getId()).stream().map(MemberEntity::getId).toList();
      members.repointMerged(absorbed.getId(), survivor.getId());
      absorbed.mergeInto(survivor.getId(), now);
      keep(
          List.of(
              new KeptMerge(
                  survivor.getId(), absorbed.getId(), moved, repointed, change.importId(), now)));
      events.record(
          absorbed,
          GoldenChange.MERGED,
          change.cause(),
          change.originSource(),
          survivor.getId(),
          List.of(),
          now);
    }
    return survivor;
  }

  /**
   * One merge as {@code member_merge} keeps it, so that it can be undone exactly.
   *
   * @param moved the records that moved from the absorbed member to the survivor
   * @param repointed the members that pointed at the absorbed member and now point at the survivor
   * @param importId the import whose row caused it, or null
   */
  public record KeptMerge(
      UUID survivor,
      UUID absorbed,
      List<Long> moved,
      List<UUID> repointed,
      UUID importId,
      Instant at) {}

  /** Keeps {@code merges} in {@code member_merge}, in order, sent as one batch. */
  public void keep(List<KeptMerge> merges) {
    jdbc.batchUpdate(
        "insert into member_merge (survivor_id, absorbed_id, moved_records, repointed_members,"
            + " import_id, merged_at) values (?, ?, ?, ?, ?, ?)",
        merges,
        500,
        (ps, m) -> {
          ps.setObject(1, m.survivor());
          ps.setObject(2, m.absorbed());
          ps.setArray(3, ps.getConnection().createArrayOf("bigint", m.moved().toArray()));
          ps.setArray(4, ps.getConnection().createArrayOf("uuid", m.repointed().toArray()));
          ps.setObject(5, m.importId());
          ps.setTimestamp(6, Timestamp.from(m.at()));
        });
  }

  /**
   * Writes a new golden version of {@code member} from all its records, keeps it in the member's
   * history and tells consumers (the outbox).
   */
  public void resurvive(MemberEntity member, Instant now, MemberChange change) {
    records.flush();
    List<StandardizedRecord> clean =
        records.findByMemberIdOrderByIdAsc(member.getId()).stream()
            .map(e -> RecordJson.clean(e.getClean()))
            .toList();
    Member golden =
        tags.tag(
            survivorship.survive(
                member.getId(), member.getVersion() + 1, member.getCreatedAt(), now, clean),
            now);
    member.newVersion(RecordJson.write(golden), now);
    changed(member, clean, now, change);
  }

  /**
   * A new member over {@code clean}, its first version written, kept in its history and told to
   * consumers. The caller links the records to it.
   */
  public MemberEntity create(List<StandardizedRecord> clean, Instant now, MemberChange change) {
    MemberEntity created = new MemberEntity(UUID.randomUUID(), now);
    created.newVersion(
        RecordJson.write(tags.tag(survivorship.survive(created.getId(), 1, now, now, clean), now)),
        now);
    entityManager.persist(created);
    entityManager.flush();
    changed(created, clean, now, change);
    return created;
  }

  /**
   * Withdraws a member left without records (its import was rolled back) and tells consumers; its
   * last golden version stays in its history.
   */
  public void withdraw(MemberEntity member, Instant now, MemberChange change) {
    member.withdraw(change.cause(), now);
    events.record(
        member,
        GoldenChange.WITHDRAWN,
        change.cause(),
        change.originSource(),
        null,
        List.of(),
        now);
  }

  /** Keeps the member's current version in its history and in the outbox. */
  private void changed(
      MemberEntity member, List<StandardizedRecord> clean, Instant now, MemberChange change) {
    jdbc.update(
        "insert into member_version (member_id, version, golden, changed_at, cause, import_id,"
            + " change_type) values (?, ?, ?::jsonb, ?, ?, ?, ?)",
        member.getId(),
        member.getVersion(),
        member.getGolden(),
        Timestamp.from(now),
        change.cause(),
        change.importId(),
        change.type().name());
    events.record(
        member,
        change.type(),
        change.cause(),
        change.originSource(),
        null,
        clean.stream()
            .map(r -> new GoldenEvents.SourceRecordRef(r.source(), r.sourceRecordId()))
            .sorted(
                Comparator.comparing(GoldenEvents.SourceRecordRef::source)
                    .thenComparing(GoldenEvents.SourceRecordRef::sourceRecordId))
            .toList(),
        now);
  }
}
