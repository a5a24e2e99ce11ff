package com.onemember.mdm.ingest;

import com.onemember.mdm.matching.Assessment;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.scoring.EvidencePattern;
import com.onemember.mdm.store.RecordJson;
import java.sql.Timestamp;
import java.time.Instant;
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
   * Opens one review per pair the decision left to a steward, naming the model version that left
   * it; a pair already under review is left as it is.
   */
  public void open(long sourceRecordPk, UUID recordMember, MemberDecision decision, Instant now) {
    for (Assessment a : decision.reviews()) {
      if (a.memberId().equals(recordMember)) {
        continue;
      }
      jdbc.update(
          """
          insert into match_review (source_record_pk, record_member_id, candidate_member_id,
                                    probability, verdict, assessment, status, created_at,
                                    model_version, pattern)
          values (?, ?, ?, ?, ?, ?::jsonb, 'OPEN', ?, ?, ?)
          on conflict (source_record_pk, candidate_member_id) do nothing""",
          sourceRecordPk,
          recordMember,
          a.memberId(),
          a.probability(),
          a.verdict().name(),
          RecordJson.write(a),
          Timestamp.from(now),
          decision.model(),
          pattern(a));
    }
  }

  /**
   * The pair's evidence pattern as the review queue groups it: the verdict, then the level of every
   * attribute both sides hold ({@link EvidencePattern}).
   */
  public static String pattern(Assessment a) {
    return a.verdict().name() + ": " + EvidencePattern.of(a.breakdown());
  }
}
