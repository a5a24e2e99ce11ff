package com.onemember.mdm.ingest;

import com.onemember.canonical.Member;
import com.onemember.mdm.golden.GoldenRecords;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
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

  public MemberMerges(
      SourceRecordRepository records,
      MemberRepository members,
      org.springframework.jdbc.core.JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.records = records;
    this.members = members;
  }

  /**
   * Merges {@code involved} (locked, live members) into one: the oldest survives, so golden ids
   * that systems already hold stay stable; the others point at it and their records move to it.
   * Returns the survivor, not yet re-survived.
   */
  public MemberEntity merge(List<MemberEntity> involved, Instant now) {
    List<MemberEntity> ordered =
        involved.stream()
            .sorted(
                Comparator.comparing(MemberEntity::getCreatedAt).thenComparing(MemberEntity::getId))
            .toList();
    MemberEntity survivor = ordered.get(0);
    for (MemberEntity absorbed : ordered.subList(1, ordered.size())) {
      for (SourceRecordEntity moving : records.findByMemberIdOrderByIdAsc(absorbed.getId())) {
        moving.linkTo(survivor.getId(), moving.getMatchEvidence());
      }
      members.repointMerged(absorbed.getId(), survivor.getId());
      absorbed.mergeInto(survivor.getId(), now);
    }
    return survivor;
  }

  /**
   * Writes a new golden version of {@code member} from all its records, and keeps it in the
   * member's history with {@code cause} (e.g. "pos-store-12:card:8810101 joined").
   */
  public void resurvive(MemberEntity member, Instant now, String cause) {
    records.flush();
    List<StandardizedRecord> clean =
        records.findByMemberIdOrderByIdAsc(member.getId()).stream()
            .map(e -> RecordJson.clean(e.getClean()))
            .toList();
    Member golden =
        GoldenRecords.survive(
            member.getId(), member.getVersion() + 1, member.getCreatedAt(), now, clean);
    member.newVersion(RecordJson.write(golden), now);
    history(member, now, cause);
  }

  /** Keeps the member's current version in its history. */
  public void history(MemberEntity member, Instant now, String cause) {
    jdbc.update(
        "insert into member_version (member_id, version, golden, changed_at, cause)"
            + " values (?, ?, ?::jsonb, ?, ?)",
        member.getId(),
        member.getVersion(),
        member.getGolden(),
        java.sql.Timestamp.from(now),
        cause);
  }
}
