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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Two members merged by a person who knows they are one. */
@Service
public class ManualMerges {

  private final JdbcTemplate jdbc;
  private final MemberRepository members;
  private final MemberMerges merges;
  private final MemberSeparations separations;
  private final MergeLog mergeLog;
  private final Clock clock;

  public ManualMerges(
      JdbcTemplate jdbc,
      MemberRepository members,
      MemberMerges merges,
      MemberSeparations separations,
      MergeLog mergeLog,
      Clock clock) {
    this.separations = separations;
    this.jdbc = jdbc;
    this.members = members;
    this.merges = merges;
    this.mergeLog = mergeLog;
    this.clock = clock;
  }

  /**
   * Merges the two members (each taken as it is now: a merged-away id stands for its survivor) and
   * returns the survivor's id.
   *
   * @throws StewardshipRefused when either is unknown, or a steward separated them
   */
  @Transactional
  public UUID merge(UUID first, UUID second, String reason, String actor) {
    UUID a = live(first);
    UUID b = live(second);
    if (a.equals(b)) {
      return a;
    }
    List<MemberEntity> locked = members.lockAll(List.of(a, b));
    if (separations.separated(a, b)) {
      throw new StewardshipRefused(
          false,
          "这两位会员已被判定为不同的人，不能合并 / these members were declared different people and"
              + " cannot be merged");
    }
    Instant now = clock.instant();
    MemberChange change =
        MemberChange.byPerson(
            GoldenChange.UPDATED,
            "merged by hand with " + a + " and " + b + " by " + actor + " / 手工合并");
    MemberEntity survivor = merges.merge(locked, now, change);
    merges.resurvive(survivor, now, change);
    List<UUID> concerned = new ArrayList<>();
    concerned.add(survivor.getId());
    concerned.add(survivor.getId().equals(a) ? b : a);
    List<String> records =
        jdbc.queryForList(
            "select source || ':' || source_record_id from source_record where member_id = ?"
                + " order by id",
            String.class,
            survivor.getId());
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("reason", reason);
    mergeLog.append(
        MergeAction.MANUAL_MERGE, concerned, records, actor, RecordJson.write(evidence), now);
    return survivor.getId();
  }

  private UUID live(UUID id) {
    return members
        .findById(id)
        .orElseThrow(
            () ->
                new StewardshipRefused(
                    true, "会员 " + id + " 不存在 / member " + id + " does not exist"))
        .liveId();
  }
}
