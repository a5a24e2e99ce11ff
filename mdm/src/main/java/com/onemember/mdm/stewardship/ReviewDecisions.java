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
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Settles review pairs as a data steward decides them. */
@Service
public class ReviewDecisions {

  /** A steward's answer to "are these the same person?". */
  public enum Decision {
    SAME,
    DIFFERENT
  }

  private final JdbcTemplate jdbc;
  private final MemberRepository members;
  private final MemberMerges merges;
  private final MemberSeparations separations;
  private final MergeLog mergeLog;
  private final Clock clock;

  public ReviewDecisions(
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

  private record Pair(
      long sourceRecordPk,
      String record,
      UUID recordMember,
      UUID candidate,
      String status,
      double probability,
      String verdict) {}

  /**
   * Decides review {@code reviewId}. SAME merges the record's member and the candidate (the older
   * survives); DIFFERENT stores their separation. Both sides are taken as they are now: a member
   * merged since is represented by its survivor.
   *
   * @return the member the record belongs to afterwards
   * @throws StewardshipRefused when the review does not exist or was decided already
   */
  @Transactional
  public UUID decide(long reviewId, Decision decision, String note, String actor) {
    return decide(reviewId, decision, note, actor, null);
  }

  /**
   * As above, as part of settling every open review of one evidence pattern at once: the merge-log
   * entry names the pattern, so an auditor can tell a bulk decision from one taken pair by pair.
   */
  @Transactional
  public UUID decide(
      long reviewId, Decision decision, String note, String actor, String settledPattern) {
    Instant now = clock.instant();
    List<Pair> found =
        jdbc.query(
            """
            select v.source_record_pk, r.source || ':' || r.source_record_id, r.member_id,
                   v.candidate_member_id, v.status, v.probability, v.verdict
              from match_review v join source_record r on r.id = v.source_record_pk
             where v.id = ? for update of v""",
            (rs, i) ->
                new Pair(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getObject(3, UUID.class),
                    rs.getObject(4, UUID.class),
                    rs.getString(5),
                    rs.getDouble(6),
                    rs.getString(7)),
            reviewId);
    if (found.isEmpty()) {
      throw new StewardshipRefused(
          true, "复核 " + reviewId + " 不存在 / review " + reviewId + " does not exist");
    }
    Pair pair = found.get(0);
    if (!"OPEN".equals(pair.status())) {
      throw new StewardshipRefused(
          false, "复核 " + reviewId + " 已经处理过 / review " + reviewId + " was decided already");
    }
    UUID a = members.findById(pair.recordMember()).orElseThrow().liveId();
    UUID b = members.findById(pair.candidate()).orElseThrow().liveId();
    List<MemberEntity> locked = members.lockAll(a.equals(b) ? List.of(a) : List.of(a, b));
    UUID result = a;
    List<UUID> concerned;
    if (decision == Decision.SAME) {
      separations.lift(a, b);
      MemberChange change =
          MemberChange.byPerson(
              GoldenChange.UPDATED,
              "review " + reviewId + ": same person, decided by " + actor + " / 复核判定为同一人");
      MemberEntity survivor = merges.merge(locked, now, change);
      merges.resurvive(survivor, now, change);
      result = survivor.getId();
      concerned = new java.util.ArrayList<>();
      concerned.add(survivor.getId());
      locked.stream()
          .map(MemberEntity::getId)
          .filter(id -> !id.equals(survivor.getId()))
          .forEach(concerned::add);
    } else {
      if (!a.equals(b)) {
        separations.separate(a, b, note, actor, now);
      }
      concerned = a.equals(b) ? List.of(a) : List.of(a, b);
    }
    jdbc.update(
        """
        update match_review
           set status = 'DECIDED', decision = ?, note = ?, decided_by = ?, decided_at = ?
         where id = ?""",
        decision.name(),
        note,
        actor,
        Timestamp.from(now),
        reviewId);
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("review", reviewId);
    evidence.put("decision", decision.name());
    evidence.put("note", note);
    evidence.put("matcherProbability", pair.probability());
    evidence.put("matcherVerdict", pair.verdict());
    if (settledPattern != null) {
      evidence.put("settledWithPattern", settledPattern);
    }
    mergeLog.append(
        MergeAction.REVIEW_DECISION,
        concerned,
        List.of(pair.record()),
        actor,
        RecordJson.write(evidence),
        now);
    return result;
  }
}
