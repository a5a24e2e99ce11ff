package com.onemember.hub.reviews;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.Review;
import com.onemember.api.client.model.ReviewDecision;
import com.onemember.api.client.model.ReviewDecisionRequest;
import com.onemember.api.client.model.ReviewPage;
import com.onemember.api.client.model.ReviewSettleRequest;
import com.onemember.api.client.model.ReviewSettlement;
import com.onemember.api.client.model.ReviewStatus;
import com.onemember.api.client.model.ReviewVerdict;
import com.onemember.hub.support.HubIT;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pairs the matcher cannot settle reach the steward's list with both sides and the breakdown. */
class ReviewsIT extends HubIT {

  @org.springframework.beans.factory.annotation.Autowired
  com.onemember.mdm.matchmodels.MatchEngine engine;

  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.jdbc.core.JdbcTemplate jdbc;

  @Test
  void aPairInTheReviewBandIsListedWithBothMembersAndTheBreakdown() throws Exception {
    importAndWait(
        "pos-store-61",
        "pos.csv",
        aSheet("姓名", "手机号", "性别", "生日").row("蒋芳", "13806110001", "女", "1979-03-02").gbkCsv());
    // a WeChat member with only the phone it authorised, no name: partial evidence
    importAndWait(
        "wechat-mp-61",
        "members.csv",
        aSheet("openid", "昵称", "手机号", "性别")
            .row("oW3x_61abcdef", "🌸花花", "138 0611 0001", "2")
            .utf8Csv());

    Review review =
        openReviews().stream()
            .filter(r -> "wechat-mp-61".equals(r.getSource()))
            .findFirst()
            .orElseThrow();
    assertThat(review.getVerdict()).isEqualTo(ReviewVerdict.REVIEW);
    assertThat(review.getProbability()).isBetween(0.5, 0.95);
    assertThat(review.getStatus()).isEqualTo(ReviewStatus.OPEN);
    assertThat(review.getCandidateMember().getName()).isEqualTo("蒋芳");
    assertThat(review.getRecordMember().getId()).isNotEqualTo(review.getCandidateMember().getId());
    assertThat(review.getRecordMember().getSourceRecords())
        .singleElement()
        .satisfies(r -> assertThat(r.getSource()).isEqualTo("wechat-mp-61"));
    assertThat(review.getComparedWith()).startsWith("pos-store-61:");
    assertThat(review.getBreakdown())
        .anySatisfy(
            a -> {
              assertThat(a.getAttribute()).isEqualTo("MOBILE");
              assertThat(a.getLevel()).isEqualTo("a number in common");
              assertThat(a.getWeight()).isPositive();
            })
        .anySatisfy(
            a -> {
              assertThat(a.getAttribute()).isEqualTo("SURNAME");
              assertThat(a.getLevel()).isEqualTo("missing");
            });
    // nothing was merged behind the steward's back
    assertThat(members().findMembers("13806110001").getItems()).hasSize(2);
  }

  /**
   * An auditor can tell which weights stand behind a decision: the review item and the merge log's
   * entry for the record both name the version of the model and thresholds the hub runs with.
   */
  @Test
  void theReviewItemAndTheMergeLogNameTheModelVersionThatDecided() throws Exception {
    importAndWait(
        "pos-store-63",
        "pos.csv",
        aSheet("姓名", "手机号", "性别", "生日").row("韩梅", "13806130001", "女", "1981-09-12").gbkCsv());
    importAndWait(
        "wechat-mp-63",
        "members.csv",
        aSheet("openid", "昵称", "手机号", "性别")
            .row("oW3x_63abcdef", "梅子", "138 0613 0001", "2")
            .utf8Csv());
    String version = engine.matcher().version();
    assertThat(version).matches("[0-9a-f]{12}");

    Review review =
        openReviews().stream()
            .filter(r -> "wechat-mp-63".equals(r.getSource()))
            .findFirst()
            .orElseThrow();
    assertThat(review.getModelVersion()).isEqualTo(version);
    List<com.onemember.api.client.model.MergeLogEntry> entries =
        new com.onemember.api.client.AuditApi(apiClient())
            .listMergeLog(
                null,
                "wechat-mp-63:" + review.getSourceRecordId(),
                null,
                null,
                null,
                null,
                null,
                10)
            .getItems();
    assertThat(entries)
        .singleElement()
        .satisfies(e -> assertThat(e.getEvidence()).contains("\"model\":\"" + version + "\""));
  }

  @Test
  void reviewsPageMostLikelyFirstAndRefuseABadLimit() throws Exception {
    String[] names = {"李雪梅", "王晓东", "陈静怡"};
    for (int i = 0; i < 3; i++) {
      String phone = "1380612000" + i;
      importAndWait(
          "pos-store-62", "pos-" + i + ".csv", aSheet("姓名", "手机号").row(names[i], phone).gbkCsv());
      importAndWait(
          "wechat-mp-62",
          "wx-" + i + ".csv",
          aSheet("openid", "昵称", "手机号").row("oW3x_62abc" + i, "微信用户", phone).utf8Csv());
    }
    List<Review> all = openReviews();
    List<Review> paged = new ArrayList<>();
    Long after = null;
    do {
      ReviewPage page = reviews().listReviews(ReviewStatus.OPEN, null, null, null, null, after, 1);
      assertThat(page.getItems()).hasSizeLessThanOrEqualTo(1);
      paged.addAll(page.getItems());
      after = page.getNext();
    } while (after != null);
    assertThat(paged).extracting(Review::getId).isEqualTo(all.stream().map(Review::getId).toList());
    assertThat(all.stream().filter(r -> "wechat-mp-62".equals(r.getSource()))).hasSize(3);

    assertThatThrownBy(
            () -> reviews().listReviews(ReviewStatus.OPEN, null, null, null, null, null, 0))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }

  @Test
  void aRecordLinkingTwoMembersMergesThemUnlessAStewardSeparatedThem(
      @org.springframework.beans.factory.annotation.Autowired
          org.springframework.jdbc.core.JdbcTemplate jdbc)
      throws Exception {
    importAndWait("pos-store-63", "pos.csv", aSheet("姓名", "手机号").row("孙悦", "13806130001").gbkCsv());
    importAndWait(
        "web-shop-63", "web.csv", aSheet("姓名", "邮箱").row("孙悦", "sunyue63@126.com").utf8Csv());
    UUID byPhone = members().findMembers("13806130001").getItems().get(0).getId();
    UUID byEmail =
        jdbc.queryForObject(
            "select member_id from source_record where source = 'web-shop-63'", UUID.class);
    assertThat(byEmail).isNotEqualTo(byPhone);
    jdbc.update(
        "insert into member_separation (member_a, member_b, reason, actor, created_at)"
            + " values (least(?::uuid, ?::uuid), greatest(?::uuid, ?::uuid), ?, ?, now())",
        byPhone,
        byEmail,
        byPhone,
        byEmail,
        "两位不同的孙悦 / two different people",
        "steward:it");

    importAndWait(
        "wechat-mp-63",
        "wx.csv",
        aSheet("姓名", "手机号", "邮箱").row("孙悦", "13806130001", "sunyue63@126.com").utf8Csv());

    // both members still stand, and the pair the record could have bridged is for a steward
    assertThat(members().getMember(byPhone).getId()).isEqualTo(byPhone);
    assertThat(members().getMember(byEmail).getId()).isEqualTo(byEmail);
    assertThat(openReviews())
        .filteredOn(r -> "wechat-mp-63".equals(r.getSource()))
        .singleElement()
        .satisfies(r -> assertThat(r.getVerdict()).isEqualTo(ReviewVerdict.ALSO_FITS));
  }

  @Test
  void aStewardSettlesPairsAndEveryDecisionIsInTheMergeLog() throws Exception {
    String[] names = {"韩梅梅", "李雷"};
    for (int i = 0; i < 2; i++) {
      String phone = "1380614000" + i;
      importAndWait(
          "pos-store-64", "pos-" + i + ".csv", aSheet("姓名", "手机号").row(names[i], phone).gbkCsv());
      importAndWait(
          "wechat-mp-64",
          "wx-" + i + ".csv",
          aSheet("openid", "昵称", "手机号").row("oW3x_64abc" + i, "微信用户", phone).utf8Csv());
    }
    List<Review> pending =
        openReviews().stream().filter(r -> "wechat-mp-64".equals(r.getSource())).toList();
    assertThat(pending).hasSize(2);
    Review same = pending.get(0);
    Review different = pending.get(1);

    Review decided =
        reviews()
            .decideReview(
                same.getId(),
                new ReviewDecisionRequest()
                    .decision(ReviewDecision.SAME)
                    .note("回访确认是同一人 / called the customer: same person"));
    assertThat(decided.getStatus()).isEqualTo(ReviewStatus.DECIDED);
    assertThat(decided.getDecision()).isEqualTo(ReviewDecision.SAME);
    assertThat(decided.getDecidedBy()).isNotBlank();
    assertThat(decided.getRecordMember().getId()).isEqualTo(decided.getCandidateMember().getId());
    assertThat(decided.getRecordMember().getSourceRecords()).hasSize(2);
    assertThat(members().findMembers("13806140000").getItems()).hasSize(1);

    reviews()
        .decideReview(
            different.getId(),
            new ReviewDecisionRequest()
                .decision(ReviewDecision.DIFFERENT)
                .note("手机是父亲的 / the phone is her father's"));
    assertThat(members().findMembers("13806140001").getItems()).hasSize(2);
    assertThat(openReviews())
        .extracting(Review::getId)
        .doesNotContain(same.getId(), different.getId());

    var log =
        new com.onemember.api.client.AuditApi(apiClient())
            .listMergeLog(
                null,
                null,
                null,
                null,
                null,
                com.onemember.api.client.model.MergeAction.REVIEW_DECISION,
                null,
                1000)
            .getItems();
    assertThat(log)
        .anySatisfy(e -> assertThat(e.getEvidence()).contains("\"SAME\"").contains("same person"))
        .anySatisfy(e -> assertThat(e.getEvidence()).contains("\"DIFFERENT\"").contains("father"));

    assertThatThrownBy(
            () ->
                reviews()
                    .decideReview(
                        same.getId(),
                        new ReviewDecisionRequest().decision(ReviewDecision.DIFFERENT).note("x")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThatThrownBy(
            () ->
                reviews()
                    .decideReview(
                        999_999L,
                        new ReviewDecisionRequest().decision(ReviewDecision.SAME).note("x")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(
            () ->
                reviews()
                    .decideReview(
                        different.getId(),
                        new ReviewDecisionRequest().decision(ReviewDecision.SAME).note("  ")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isIn(400, 409));
  }

  /**
   * A steward sees what the queue is made of, pattern by pattern, most likely first, and settles a
   * whole pattern with one note; every pair still gets its own merge-log entry.
   */
  @Test
  void aStewardSettlesAWholeEvidencePatternWithOneNote() throws Exception {
    String[] names = {"周慧敏", "吴倩莲", "郭蔼明"};
    for (int i = 0; i < 3; i++) {
      String phone = "1380678000" + i;
      importAndWait(
          "pos-store-78",
          "pos-" + i + ".csv",
          aSheet("姓名", "手机号", "性别", "城市").row(names[i], phone, "女", "杭州").gbkCsv());
      importAndWait(
          "wechat-mp-78",
          "wx-" + i + ".csv",
          aSheet("openid", "昵称", "手机号", "性别", "城市")
              .row("oW3x_78abc" + i, "小" + i, phone, "2", "杭州市")
              .utf8Csv());
    }
    List<Review> mine =
        openReviews().stream().filter(r -> "wechat-mp-78".equals(r.getSource())).toList();
    assertThat(mine).hasSize(3);
    String pattern = mine.get(0).getPattern();
    assertThat(pattern).startsWith("REVIEW: ").contains("CITY=").contains("MOBILE=");
    assertThat(mine).allSatisfy(r -> assertThat(r.getPattern()).isEqualTo(pattern));

    ReviewPage all = reviews().listReviews(ReviewStatus.OPEN, null, null, null, null, null, 200);
    assertThat(all.getTotal()).isGreaterThanOrEqualTo(3);
    assertThat(all.getItems())
        .extracting(Review::getProbability)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(all.getPatterns())
        .anySatisfy(
            c -> {
              assertThat(c.getPattern()).isEqualTo(pattern);
              assertThat(c.getCount()).isGreaterThanOrEqualTo(3);
            });
    ReviewPage ofPattern =
        reviews().listReviews(ReviewStatus.OPEN, pattern, null, null, null, null, 200);
    long count = ofPattern.getTotal();
    assertThat(ofPattern.getItems()).hasSize((int) count);

    // a count that is no longer true settles nothing
    assertThatThrownBy(
            () ->
                reviews()
                    .settleReviews(
                        new ReviewSettleRequest()
                            .pattern(pattern)
                            .decision(ReviewDecision.SAME)
                            .note("同一手机号同城 / same phone, same city")
                            .expectedCount(count + 1)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody()).contains("nothing was settled");
            });
    // nor does one without a note
    assertThatThrownBy(
            () ->
                reviews()
                    .settleReviews(
                        new ReviewSettleRequest()
                            .pattern(pattern)
                            .decision(ReviewDecision.SAME)
                            .note(" ")
                            .expectedCount(count)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    assertThat(
            reviews()
                .listReviews(ReviewStatus.OPEN, pattern, null, null, null, null, 200)
                .getTotal())
        .isEqualTo(count);

    ReviewSettlement settled =
        reviews()
            .settleReviews(
                new ReviewSettleRequest()
                    .pattern(pattern)
                    .decision(ReviewDecision.SAME)
                    .note("同一手机号同城，已电话确认 / same phone and city, confirmed by phone")
                    .expectedCount(count));

    assertThat(settled.getRefused()).isEmpty();
    assertThat(settled.getSettled())
        .hasSize((int) count)
        .containsAll(mine.stream().map(Review::getId).toList());
    assertThat(
            reviews()
                .listReviews(ReviewStatus.OPEN, pattern, null, null, null, null, 200)
                .getTotal())
        .isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(members().findMembers("1380678000" + i).getItems()).hasSize(1);
    }
    for (Review r : mine) {
      assertThat(
              new com.onemember.api.client.AuditApi(apiClient())
                  .listMergeLog(
                      null,
                      "wechat-mp-78:" + r.getSourceRecordId(),
                      null,
                      null,
                      null,
                      com.onemember.api.client.model.MergeAction.REVIEW_DECISION,
                      null,
                      10)
                  .getItems())
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getEvidence())
                      .contains("\"review\":" + r.getId())
                      .contains("已电话确认")
                      .contains("settledWithPattern"));
    }
  }

  /**
   * V23 gave the reviews stored before it their pattern in SQL; the hub computes it in Java
   * (EvidencePattern). Both must name a pair alike, or a steward's pattern would miss old items.
   */
  @Test
  void theMigrationsPatternSqlAgreesWithTheHubsPatterns() throws Exception {
    importAndWait(
        "pos-store-76",
        "pos.csv",
        aSheet("姓名", "手机号", "性别").row("卢巧音", "13806760001", "女").gbkCsv());
    importAndWait(
        "wechat-mp-76",
        "wx.csv",
        aSheet("openid", "昵称", "手机号").row("oW3x_76abc", "音音", "13806760001").utf8Csv());
    List<String[]> rows =
        jdbc.query(
            """
            select v.pattern, v.verdict || ': ' || coalesce(
                   (select string_agg((e.value ->> 'comparison') || '=' || (e.value ->> 'level'),
                                      '; ' order by e.ordinality)
                      from jsonb_array_elements(v.assessment -> 'breakdown')
                           with ordinality as e(value, ordinality)
                     where e.value ->> 'level' <> 'missing'),
                   'nothing compared')
              from match_review v""",
            (rs, i) -> new String[] {rs.getString(1), rs.getString(2)});
    assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r[1]).isEqualTo(r[0]));
  }

  private List<Review> openReviews() throws ApiException {
    return reviews().listReviews(ReviewStatus.OPEN, null, null, null, null, null, 200).getItems();
  }
}
