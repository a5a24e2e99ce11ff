package com.onemember.mdm.ingest;

import com.onemember.canonical.Member;
import com.onemember.mdm.golden.Survivorship;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Merging golden members and re-computing a golden record, shared by the matcher's ingest and a
 * steward's decisions. Callers hold the members' row locks ({@link MemberRepository#lockAll}).
 */
@Component
public class MemberMerges {

  private final SourceRecordRepository records;
  private final MemberRepository members;

  private final org.springframework.jdbc.core.JdbcTemplate jdbc;
  private final Survivorship survivorship;
  private final jakarta.persistence.EntityManager entityManager;

  public MemberMerges(
      SourceRecordRepository records,
      MemberRepository members,
      org.springframework.jdbc.core.JdbcTemplate jdbc,
      Survivorship survivorship,
      jakarta.persistence.EntityManager entityManager) {
    this.jdbc = jdbc;
    this.survivorship = survivorship;
    this.entityManager = entityManager;
    this.records = records;
    this.members = members;
  }

  /**
   * Merges {@code involved} (locked, live members) into one: the oldest survives, so golden ids
   * that systems already hold stay stable; the others point at it and their records move to it.
   * Returns the survivor, not yet re-survived.
   */
  public MemberEntity merge(List<MemberEntity> involved, Instant now) {
    return merge(involved, now, null);
  }

  /**
   * As {@link #merge(List, Instant)}, on behalf of import {@code importId} ({@code null} when not
   * from an import). Each absorbed member's records and the members that pointed at it are kept in
   * {@code member_merge}, so that the merge can be undone exactly.
   */
  public MemberEntity merge(List<MemberEntity> involved, Instant now, UUID importId) {
    List<MemberEntity> ordered =
        involved.stream()
            .sorted(
                Comparator.comparing(MemberEntity::getCreatedAt).thenComparing(MemberEntity::getId))
            .toList();
    MemberEntity survivor = ordered.get(0);
    for (MemberEntity absorbed : ordered.subList(1, ordered.size())) {
      List<Long> moved = new java.util.ArrayList<>();
      for (SourceRecordEntity moving : records.findByMemberIdOrderByIdAsc(absorbed.getId())) {
        moving.linkTo(survivor.getId(), moving.getMatchEvidence());
        moved.add(moving.getId());
      }
      List<UUID> repointed =
          members.findByMergedInto(absorbed.getId()).stream().map(MemberEntity::getId).toList();
      members.repointMerged(absorbed.getId(), survivor.getId());
      absorbed.mergeInto(survivor.getId(), now);
      jdbc.update(
          "insert into member_merge (survivor_id, absorbed_id, moved_records, repointed_members,"
              + " import_id, merged_at) values (?, ?, ?, ?, ?, ?)",
          survivor.getId(),
          absorbed.getId(),
          moved.toArray(Long[]::new),
          repointed.toArray(UUID[]::new),
          importId,
          java.sql.Timestamp.from(now));
    }
    return survivor;
  }

  /**
   * Writes a new golden version of {@code member} from all its records, and keeps it in the
   * member's history with {@code cause} (e.g. "pos-store-12:card:8810101 joined").
   */
  public void resurvive(MemberEntity member, Instant now, String cause) {
    resurvive(member, now, cause, null);
  }

  /** As {@link #resurvive(MemberEntity, Instant, String)}, on behalf of import {@code importId}. */
  public void resurvive(MemberEntity member, Instant now, String cause, UUID importId) {
    records.flush();
    List<StandardizedRecord> clean =
        records.findByMemberIdOrderByIdAsc(member.getId()).stream()
            .map(e -> RecordJson.clean(e.getClean()))
            .toList();
    Member golden =
        survivorship.survive(
            member.getId(), member.getVersion() + 1, member.getCreatedAt(), now, clean);
    member.newVersion(RecordJson.write(golden), now);
    history(member, now, cause, importId);
  }

  /**
   * A new member over {@code clean}, its first version written and kept in its history with {@code
   * cause}, on behalf of import {@code importId} ({@code null} when not from one). The caller links
   * the records to it.
   */
  public MemberEntity create(
      List<StandardizedRecord> clean, Instant now, String cause, UUID importId) {
    MemberEntity created = new MemberEntity(java.util.UUID.randomUUID(), now);
    created.newVersion(
        RecordJson.write(survivorship.survive(created.getId(), 1, now, now, clean)), now);
    entityManager.persist(created);
    entityManager.flush();
    history(created, now, cause, importId);
    return created;
  }

  /** Keeps the member's current version in its history, with the import that caused it. */
  private void history(MemberEntity member, Instant now, String cause, UUID importId) {
    jdbc.update(
        "insert into member_version (member_id, version, golden, changed_at, cause, import_id)"
            + " values (?, ?, ?::jsonb, ?, ?, ?)",
        member.getId(),
        member.getVersion(),
        member.getGolden(),
        java.sql.Timestamp.from(now),
        cause,
        importId);
  }
}
