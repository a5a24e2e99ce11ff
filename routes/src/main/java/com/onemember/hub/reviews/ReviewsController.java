package com.onemember.hub.reviews;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onemember.api.model.AttributeScore;
import com.onemember.api.model.Review;
import com.onemember.api.model.ReviewDecision;
import com.onemember.api.model.ReviewDecisionRequest;
import com.onemember.api.model.ReviewPage;
import com.onemember.api.model.ReviewPatternCount;
import com.onemember.api.model.ReviewRefusal;
import com.onemember.api.model.ReviewSettleRequest;
import com.onemember.api.model.ReviewSettlement;
import com.onemember.api.model.ReviewStatus;
import com.onemember.api.model.ReviewVerdict;
import com.onemember.api.server.ReviewsApi;
import com.onemember.hub.api.ApiProblem;
import com.onemember.hub.members.MemberViews;
import com.onemember.mdm.stewardship.ReviewDecisions;
import com.onemember.mdm.stewardship.StewardshipRefused;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/reviews}: list most likely first with counts by evidence pattern, decide one, or
 * settle a whole pattern, as the OpenAPI contract defines it.
 */
@RestController
class ReviewsController implements ReviewsApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;
  private final MemberRepository members;
  private final MemberViews views;

  private final ReviewDecisions decisions;

  ReviewsController(
      JdbcTemplate jdbc, MemberRepository members, MemberViews views, ReviewDecisions decisions) {
    this.decisions = decisions;
    this.jdbc = jdbc;
    this.members = members;
    this.views = views;
  }

  private record Row(
      long id,
      String status,
      String verdict,
      double probability,
      String assessment,
      String source,
      String sourceRecordId,
      UUID recordMember,
      UUID candidateMember,
      java.time.Instant createdAt,
      String decision,
      String note,
      String decidedBy,
      java.time.Instant decidedAt,
      String modelVersion,
      String pattern) {}

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<ReviewPage> listReviews(
      ReviewStatus status,
      String pattern,
      String source,
      Double minScore,
      Double maxScore,
      Long after,
      Integer limit) {
    int pageSize = limit == null ? 50 : limit;
    String state = (status == null ? ReviewStatus.OPEN : status).getValue();
    List<Object> args = new ArrayList<>(List.of(state));
    StringBuilder where = new StringBuilder("v.status = ?");
    if (pattern != null) {
      where.append(" and v.pattern = ?");
      args.add(pattern);
    }
    if (source != null) {
      where.append(
          " and exists (select 1 from source_record s where s.id = v.source_record_pk"
              + " and s.source = ?)");
      args.add(source.strip());
    }
    if (minScore != null) {
      where.append(" and v.probability >= ?");
      args.add(minScore);
    }
    if (maxScore != null) {
      where.append(" and v.probability <= ?");
      args.add(maxScore);
    }
    long total =
        jdbc.queryForObject(
            "select count(*) from match_review v where " + where, Long.class, args.toArray());
    // most likely first: after the review `after`, in (probability desc, id) order
    StringBuilder page = new StringBuilder(where);
    if (after != null) {
      Integer exists =
          jdbc.queryForObject(
              "select count(*) from match_review where id = ?", Integer.class, after);
      if (exists == null || exists == 0) {
        throw new ApiProblem(
            HttpStatus.BAD_REQUEST,
            "after-gone",
            "复核 "
                + after
                + " 已不存在，请从第一页重新开始 / review "
                + after
                + " no longer exists (its record was withdrawn or rolled back): list again without"
                + " after");
      }
      page.append(
          " and (v.probability, -v.id) < (select probability, -id from match_review where id = ?)");
      args.add(after);
    }
    args.add(pageSize + 1);
    List<Row> rows =
        jdbc.query(
            "select "
                + COLUMNS
                + " from match_review v join source_record r on r.id = v.source_record_pk where "
                + page
                + " order by v.probability desc, v.id limit ?",
            ReviewsController::row,
            args.toArray());
    List<Review> items = new ArrayList<>();
    for (Row row : rows.subList(0, Math.min(pageSize, rows.size()))) {
      items.add(view(row));
    }
    ReviewPage out = new ReviewPage().items(items).total(total);
    jdbc.query(
        """
        select pattern, count(*) from match_review where status = ?
         group by pattern order by count(*) desc, pattern limit 100""",
        rs -> {
          out.addPatternsItem(
              new ReviewPatternCount().pattern(rs.getString(1)).count(rs.getLong(2)));
        },
        state);
    if (rows.size() > pageSize) {
      out.next(items.get(items.size() - 1).getId());
    }
    return ResponseEntity.ok(out);
  }

  /**
   * Settles every open review of one pattern, each in a transaction of its own as {@link
   * #decideReview} would: one that was decided meanwhile is reported, the others still settled.
   */
  @Override
  public ResponseEntity<ReviewSettlement> settleReviews(ReviewSettleRequest request) {
    String note = requireNote(request.getNote());
    String actor = SecurityContextHolder.getContext().getAuthentication().getName();
    List<Long> ids =
        jdbc.queryForList(
            "select id from match_review where status = 'OPEN' and pattern = ?"
                + " order by probability desc, id",
            Long.class,
            request.getPattern());
    if (request.getExpectedCount() != null && request.getExpectedCount() != ids.size()) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "count-changed",
          "该模式现有 "
              + ids.size()
              + " 条待复核，而不是 "
              + request.getExpectedCount()
              + " 条，未做任何处理 / the queue holds "
              + ids.size()
              + " open reviews of this pattern, not "
              + request.getExpectedCount()
              + ": nothing was settled; look again and repeat with the new count");
    }
    ReviewDecisions.Decision decision =
        ReviewDecisions.Decision.valueOf(request.getDecision().getValue());
    ReviewSettlement out =
        new ReviewSettlement().pattern(request.getPattern()).decision(request.getDecision());
    for (long id : ids) {
      try {
        decisions.decide(id, decision, note, actor, request.getPattern());
        out.addSettledItem(id);
      } catch (StewardshipRefused e) {
        out.addRefusedItem(new ReviewRefusal().id(id).reason(e.getMessage()));
      } catch (RuntimeException e) {
        // one review the database could not settle (a lock timeout, say) does not stop the rest
        out.addRefusedItem(
            new ReviewRefusal()
                .id(id)
                .reason(
                    "处理失败，可重试 / could not be settled, try again: " + e.getClass().getSimpleName()));
      }
    }
    return ResponseEntity.ok(out);
  }

  private static final String COLUMNS =
      """
      v.id, v.status, v.verdict, v.probability, v.assessment::text, r.source,
      r.source_record_id, r.member_id, v.candidate_member_id, v.created_at, v.decision, v.note,
      v.decided_by, v.decided_at, v.model_version, v.pattern""";

  private static Row row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    java.sql.Timestamp decidedAt = rs.getTimestamp(14);
    return new Row(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getDouble(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getObject(8, UUID.class),
        rs.getObject(9, UUID.class),
        rs.getTimestamp(10).toInstant(),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        decidedAt == null ? null : decidedAt.toInstant(),
        rs.getString(15),
        rs.getString(16));
  }

  @Override
  @Transactional
  public ResponseEntity<Review> decideReview(Long id, ReviewDecisionRequest request) {
    String note = requireNote(request.getNote());
    String actor = SecurityContextHolder.getContext().getAuthentication().getName();
    try {
      decisions.decide(
          id, ReviewDecisions.Decision.valueOf(request.getDecision().getValue()), note, actor);
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "already-decided");
    }
    return ResponseEntity.ok(one(id));
  }

  private static String requireNote(String given) {
    String note = given == null ? "" : given.trim();
    if (note.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "note-required",
          "请写明判断依据 / a note saying why is required, for the auditors.");
    }
    return note;
  }

  private Review one(long id) {
    return view(
        jdbc.queryForObject(
            "select "
                + COLUMNS
                + " from match_review v join source_record r on r.id = v.source_record_pk"
                + " where v.id = ?",
            ReviewsController::row,
            id));
  }

  private Review view(Row row) {
    JsonNode assessment = read(row.assessment());
    List<AttributeScore> breakdown = new ArrayList<>();
    for (JsonNode e : assessment.path("breakdown")) {
      breakdown.add(
          new AttributeScore()
              .attribute(e.path("comparison").asText())
              .level(e.path("level").asText())
              .weight(e.path("weight").asDouble()));
    }
    Review review =
        new Review()
            .id(row.id())
            .status(ReviewStatus.fromValue(row.status()))
            .verdict(ReviewVerdict.fromValue(row.verdict()))
            .probability(row.probability())
            .source(row.source())
            .sourceRecordId(row.sourceRecordId())
            .comparedWith(text(assessment, "bestRecord"))
            .rule(text(assessment, "rule"))
            .modelVersion(row.modelVersion())
            .pattern(row.pattern())
            .recordMember(views.view(live(row.recordMember())))
            .candidateMember(views.view(live(row.candidateMember())))
            .breakdown(breakdown)
            .createdAt(row.createdAt().atOffset(ZoneOffset.UTC))
            .note(row.note())
            .decidedBy(row.decidedBy());
    if (row.decision() != null) {
      review.decision(ReviewDecision.fromValue(row.decision()));
      review.decidedAt(row.decidedAt().atOffset(ZoneOffset.UTC));
    }
    return review;
  }

  /** The member as it is now: a member merged away since is shown as its survivor. */
  private MemberEntity live(UUID id) {
    return members.findById(members.findById(id).orElseThrow().liveId()).orElseThrow();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored review assessment is not JSON", e);
    }
  }
}
