package com.onemember.mdm.stewardship;

import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.ingest.MemberChange;
import com.onemember.mdm.ingest.MemberMerges;
import com.onemember.mdm.ingest.MemberSeparations;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Splits source records off a member into a new one, for a steward who found a wrong merge. Both
 * members are re-survived, and the split is remembered as a separation, so that no later import,
 * rule or bridging record merges them again (a steward can still decide otherwise explicitly).
 */
@Service
public class Unmerges {

  private final MemberRepository members;
  private final SourceRecordRepository records;
  private final MemberMerges merges;
  private final MemberSeparations separations;
  private final MergeLog mergeLog;
  private final EntityManager entityManager;
  private final Clock clock;

  public Unmerges(
      MemberRepository members,
      SourceRecordRepository records,
      MemberMerges merges,
      MemberSeparations separations,
      MergeLog mergeLog,
      EntityManager entityManager,
      Clock clock) {
    this.members = members;
    this.records = records;
    this.merges = merges;
    this.separations = separations;
    this.mergeLog = mergeLog;
    this.entityManager = entityManager;
    this.clock = clock;
  }

  /** The two members after a split. */
  public record Split(UUID remaining, UUID splitOff) {}

  /**
   * @param splitOff source records as {@code source:sourceRecordId}, all of the member, not all of
   *     its records
   * @throws StewardshipRefused naming what does not fit
   */
  @Transactional
  public Split unmerge(UUID memberId, List<String> splitOff, String reason, String actor) {
    MemberEntity found =
        members
            .findById(memberId)
            .orElseThrow(
                () ->
                    new StewardshipRefused(
                        true, "会员 " + memberId + " 不存在 / member " + memberId + " does not exist"));
    UUID live = found.liveId();
    MemberEntity member = members.lockAll(List.of(live)).get(0);
    List<SourceRecordEntity> all = records.findByMemberIdOrderByIdAsc(live);
    Set<String> wanted = new LinkedHashSet<>(splitOff);
    List<SourceRecordEntity> moving = new ArrayList<>();
    for (SourceRecordEntity r : all) {
      if (wanted.remove(r.getSource() + ":" + r.getSourceRecordId())) {
        moving.add(r);
      }
    }
    if (!wanted.isEmpty()) {
      throw new StewardshipRefused(
          false,
          "这些源记录不属于该会员：" + wanted + " / these source records are not the member's: " + wanted);
    }
    if (moving.isEmpty() || moving.size() == all.size()) {
      throw new StewardshipRefused(
          false,
          "请选择该会员的部分源记录（不能为空，也不能是全部）/ name some of the member's source records,"
              + " not none and not all of them");
    }
    Instant now = clock.instant();
    MemberChange change =
        MemberChange.byPerson(
            GoldenChange.UNMERGED, "unmerged by " + actor + ": " + reason + " / 拆分");
    MemberEntity created =
        merges.create(
            moving.stream().map(r -> RecordJson.clean(r.getClean())).toList(), now, change);
    for (SourceRecordEntity r : moving) {
      r.linkTo(created.getId());
    }
    merges.resurvive(member, now, change);
    separations.separate(live, created.getId(), reason, actor, now);
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("reason", reason);
    evidence.put("splitOff", splitOff);
    mergeLog.append(
        MergeAction.UNMERGE,
        List.of(live, created.getId()),
        moving.stream().map(r -> r.getSource() + ":" + r.getSourceRecordId()).toList(),
        actor,
        RecordJson.write(evidence),
        now);
    return new Split(live, created.getId());
  }
}
