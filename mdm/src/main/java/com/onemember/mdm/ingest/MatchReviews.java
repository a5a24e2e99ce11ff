package com.onemember.mdm.ingest;

import com.onemember.mdm.matching.Assessment;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.scoring.EvidencePattern;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SetWise;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Stores the pairs the matcher leaves to a data steward: the incoming record, the member it went to
 * and the candidate member it also fitted, with the full assessment as explanation.
 */
@Component
public class MatchReviews {

  private final JdbcTemplate jdbc;

  public MatchReviews(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A pair a decision left to a steward: the incoming record (its row), the member it went to, the
   * candidate member it also fitted with the assessment, and the model version that decided.
   */
  public record Pending(
      long sourceRecordPk, UUID recordMember, Assessment assessment, String model, Instant at) {}

  /**
   * The pairs {@code decision} about row {@code sourceRecordPk}, now in {@code recordMember},
   * leaves.
   */
  public static List<Pending> pending(
      long sourceRecordPk, UUID recordMember, MemberDecision decision, Instant now) {
    List<Pending> out = new ArrayList<>();
    for (Assessment a : decision.reviews()) {
      if (!a.memberId().equals(recordMember)) {
        out.add(new Pending(sourceRecordPk, recordMember, a, decision.model(), now));
      }
    }
    return out;
  }

  /**
   * Opens a review per pair, in one statement, each naming the model version that left it; a pair
   * already under review is left as it is.
   */
  public void openAll(List<Pending> pairs) {
    if (pairs.isEmpty()) {
      return;
    }
    List<Long> rows = new ArrayList<>();
    List<UUID> recordMembers = new ArrayList<>();
    List<UUID> candidates = new ArrayList<>();
    List<Double> probabilities = new ArrayList<>();
    List<String> verdicts = new ArrayList<>();
    List<String> assessments = new ArrayList<>();
    List<Timestamp> at = new ArrayList<>();
    List<String> models = new ArrayList<>();
    List<String> patterns = new ArrayList<>();
    for (Pending r : pairs) {
      rows.add(r.sourceRecordPk());
      recordMembers.add(r.recordMember());
      candidates.add(r.assessment().memberId());
      probabilities.add(r.assessment().probability());
      verdicts.add(r.assessment().verdict().name());
      assessments.add(RecordJson.write(r.assessment()));
      at.add(Timestamp.from(r.at()));
      models.add(r.model());
      patterns.add(pattern(r.assessment()));
    }
    SetWise.update(
        jdbc,
        "insert into match_review (source_record_pk, record_member_id, candidate_member_id,"
            + " probability, verdict, assessment, status, created_at, model_version, pattern)"
            + " select r, rm, cm, p, v, a, 'OPEN', c, mv, pt"
            + " from unnest(?::bigint[], ?::uuid[], ?::uuid[], ?::float8[], ?::text[], "
            + SetWise.JSONB_ARRAY
            + ", ?::timestamptz[], ?::text[], ?::text[])"
            + " with ordinality as u(r, rm, cm, p, v, a, c, mv, pt, n)"
            + " order by n"
            + " on conflict (source_record_pk, candidate_member_id) do nothing",
        SetWise.array("bigint", rows),
        SetWise.array("uuid", recordMembers),
        SetWise.array("uuid", candidates),
        SetWise.array("float8", probabilities),
        SetWise.array("text", verdicts),
        SetWise.jsonDocuments(assessments),
        SetWise.array("timestamptz", at),
        SetWise.array("text", models),
        SetWise.array("text", patterns));
  }

  /**
   * The pair's evidence pattern as the review queue groups it: the verdict, then the level of every
   * attribute both sides hold ({@link EvidencePattern}).
   */
  public static String pattern(Assessment a) {
    return a.verdict().name() + ": " + EvidencePattern.of(a.breakdown());
  }
}
