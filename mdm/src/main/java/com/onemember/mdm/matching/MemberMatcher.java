package com.onemember.mdm.matching;

import com.onemember.canonical.Identifier;
import com.onemember.mdm.scoring.HardRule;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.PairScore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Decides which golden member an incoming record belongs to, comparing it with every record of
 * every candidate member (those that share a blocking key with it).
 *
 * <p>In order: a steward's "different people" and the hard rules (different WeChat unionids,
 * different verified id numbers) rule a member out whatever the score; a member card, openid or
 * external id the record shares with a member (same scope) joins it; otherwise the Fellegi–Sunter
 * score decides. A record joins a member only if its best pair reaches the merge threshold
 * <em>and</em> it does not contradict the member's records as a whole, so one similar record cannot
 * chain two people together. A record that fits several members goes to the best; another member it
 * fits is merged in too when no record of either speaks against the other and no steward separated
 * them (the record bridges what their first records lacked), otherwise the pair goes to a steward.
 */
public final class MemberMatcher {

  private final MatchModel model;
  private final MatchThresholds thresholds;
  private final String version;

  /**
   * @param version names the model and thresholds: every decision carries it into the match
   *     evidence, the merge log and the review items
   */
  public MemberMatcher(MatchModel model, MatchThresholds thresholds, String version) {
    this.model = model;
    this.thresholds = thresholds;
    this.version = java.util.Objects.requireNonNull(version, "version");
  }

  /** The version of the model and thresholds this matcher decides with. */
  public String version() {
    return version;
  }

  public MatchModel model() {
    return model;
  }

  public MatchThresholds thresholds() {
    return thresholds;
  }

  /**
   * @param forbidden members a steward declared different from this record (or its member)
   * @param skippedKeys blocking keys not followed because their blocks were too large
   */
  public MemberDecision decide(
      MatchRecord incoming,
      List<CandidateMember> candidates,
      Set<UUID> forbidden,
      List<String> skippedKeys) {
    return decide(incoming, candidates, forbidden, skippedKeys, (a, b) -> false);
  }

  /**
   * As above; {@code separated} tells which two members a steward declared different people: a
   * record that fits both never merges them, whatever their records say.
   */
  public MemberDecision decide(
      MatchRecord incoming,
      List<CandidateMember> candidates,
      Set<UUID> forbidden,
      List<String> skippedKeys,
      BiPredicate<UUID, UUID> separated) {
    // the members' records by id: bridging compares the chosen member's with another's
    Map<UUID, List<MatchRecord>> stored = new HashMap<>();
    List<Assessment> assessed = new ArrayList<>();
    for (CandidateMember candidate : candidates) {
      stored.put(candidate.id(), candidate.records());
      assessed.add(assess(incoming, candidate, forbidden.contains(candidate.id())));
    }
    Assessment chosen =
        assessed.stream()
            .filter(a -> a.verdict() == Assessment.Verdict.MERGED)
            .min(
                Comparator.comparing((Assessment a) -> a.rule() == null)
                    .thenComparing(Assessment::weight, Comparator.reverseOrder())
                    .thenComparing(a -> createdAt(candidates, a.memberId()))
                    .thenComparing(Assessment::memberId))
            .orElse(null);
    List<Assessment> out = new ArrayList<>(assessed.size());
    List<UUID> absorbed = new ArrayList<>();
    for (Assessment a : assessed) {
      if (a.verdict() == Assessment.Verdict.MERGED && a != chosen) {
        if (!separated.test(chosen.memberId(), a.memberId())
            && MemberRules.belongTogether(
                model, stored.get(chosen.memberId()), stored.get(a.memberId()))) {
          absorbed.add(a.memberId());
          out.add(withVerdict(a, Assessment.Verdict.BRIDGED));
        } else {
          out.add(withVerdict(a, Assessment.Verdict.ALSO_FITS));
        }
      } else {
        out.add(a);
      }
    }
    // A record that fits two members who are told apart (two people of one household sharing the
    // phone it carries) and holds nothing that says which of them it is (no given name, no
    // birthday: 李女士 and the family's phone) joins neither: a steward decides. Joining the better
    // scored one would be a guess on a household's shared details.
    boolean undecidedBetween =
        chosen != null
            && chosen.rule() == null
            && incoming.givenName() == null
            && incoming.birthday() == null
            && out.stream().anyMatch(a -> a.verdict() == Assessment.Verdict.ALSO_FITS);
    if (undecidedBetween) {
      Assessment best = chosen;
      out.replaceAll(a -> a == best ? withVerdict(a, Assessment.Verdict.ALSO_FITS) : a);
      absorbed.clear();
      chosen = null;
    }
    out.sort(Comparator.comparing(Assessment::weight, Comparator.reverseOrder()));
    out = withoutDistantBreakdowns(out);
    if (chosen == null) {
      String reason =
          candidates.isEmpty()
              ? "no stored member shares a blocking key / 无候选会员"
              : undecidedBetween
                  ? "fits several members told apart from each other (a household?) and nothing"
                      + " says which: left to a steward / 同时符合多位可区分的会员（可能是同一家庭），交由数据管理员判断"
                  : String.format(
                      Locale.ROOT,
                      "no candidate reached merge %.2f as a whole / 无候选会员达到合并阈值",
                      thresholds.merge());
      return new MemberDecision(version, null, List.of(), reason, out, skippedKeys);
    }
    String reason =
        chosen.rule() != null
            ? chosen.rule()
            : String.format(
                Locale.ROOT,
                "score %.4f ≥ merge %.2f against %s",
                chosen.probability(),
                thresholds.merge(),
                chosen.bestRecord());
    if (!absorbed.isEmpty()) {
      reason += "; it links " + absorbed.size() + " more member(s) with no record against: merged";
    }
    return new MemberDecision(version, chosen.memberId(), absorbed, reason, out, skippedKeys);
  }

  private Assessment assess(MatchRecord features, CandidateMember candidate, boolean forbidden) {
    List<MatchRecord> records = candidate.records();
    // weights only, for every record; the explanation is built for the best pair alone
    String ruledDifferent = null;
    double[] weights = new double[records.size()];
    int n = 0;
    int bestIndex = -1;
    for (MatchRecord stored : records) {
      HardRule rule = HardRule.between(features, stored);
      if (rule != null && !rule.same()) {
        ruledDifferent = rule.description();
      }
      weights[n] = model.weight(features, stored);
      if (bestIndex < 0 || weights[n] > weights[bestIndex]) {
        bestIndex = n;
      }
      n++;
    }
    double mean = MemberRules.meanEvidence(weights, n, model.priorLogOdds());
    if (bestIndex < 0) {
      return new Assessment(
          candidate.id(), null, 0, 0, 0, List.of(), null, Assessment.Verdict.BELOW_REVIEW);
    }
    PairScore best = model.score(features, records.get(bestIndex));
    String bestRecord = records.get(bestIndex).id();
    String sharedKey = sharedSourceKey(features, records);
    Assessment.Verdict verdict;
    String rule = null;
    if (forbidden) {
      verdict = Assessment.Verdict.RULED_DIFFERENT;
      rule = "a data steward decided these are different people / 数据管理员已判定为不同的人";
    } else if (ruledDifferent != null) {
      verdict = Assessment.Verdict.RULED_DIFFERENT;
      rule = ruledDifferent;
    } else if (sharedKey != null) {
      verdict = Assessment.Verdict.MERGED;
      rule = "same " + sharedKey;
    } else if (best.rule() != null && best.rule().same()) {
      verdict = Assessment.Verdict.MERGED;
      rule = best.rule().description();
    } else if (best.probability() >= thresholds.merge()) {
      String against = MemberRules.tellsApart(features, records);
      if (against != null) {
        verdict = Assessment.Verdict.CONTRADICTS_MEMBER;
        rule = against;
      } else if (MemberRules.fitsWhole(weights, n, model.priorLogOdds())) {
        verdict = Assessment.Verdict.MERGED;
      } else {
        verdict = Assessment.Verdict.CONTRADICTS_MEMBER;
        rule = "contradicts other records of this member / 与该会员的其他记录矛盾";
      }
    } else if (best.probability() >= thresholds.review()) {
      verdict = Assessment.Verdict.REVIEW;
    } else {
      verdict = Assessment.Verdict.BELOW_REVIEW;
    }
    return new Assessment(
        candidate.id(),
        bestRecord,
        best.probability(),
        best.weight(),
        mean,
        best.breakdown(),
        rule,
        verdict);
  }

  /**
   * A member card, openid or external id (with its scope) that the record shares with a member's
   * records, as {@code MEMBER_CARD pos-store-12:8800123}; {@code null} when none.
   */
  private static String sharedSourceKey(MatchRecord incoming, List<MatchRecord> records) {
    for (Identifier id : incoming.sourceIds()) {
      for (MatchRecord r : records) {
        if (r.sourceIds().contains(id)) {
          return id.type() + " " + (id.scope() == null ? "" : id.scope() + ":") + id.value();
        }
      }
    }
    return null;
  }

  /** Below-review candidates listed with their per-attribute breakdown, the nearest first. */
  static final int EXPLAINED_BELOW_REVIEW = 3;

  /**
   * The assessments (best first) with the breakdown dropped from below-review candidates past the
   * {@value #EXPLAINED_BELOW_REVIEW} nearest: a record in a common name's block has fifty
   * candidates, and fifty breakdowns made its evidence about 25 KB of JSON, written with the record
   * and into the merge log for every row of an import. Those candidates keep their best record,
   * probability and weight, which say why they were let go.
   */
  private static List<Assessment> withoutDistantBreakdowns(List<Assessment> sorted) {
    List<Assessment> out = new ArrayList<>(sorted.size());
    int explained = 0;
    for (Assessment a : sorted) {
      if (a.verdict() == Assessment.Verdict.BELOW_REVIEW
          && !a.breakdown().isEmpty()
          && explained++ >= EXPLAINED_BELOW_REVIEW) {
        out.add(
            new Assessment(
                a.memberId(),
                a.bestRecord(),
                a.probability(),
                a.weight(),
                a.meanEvidence(),
                List.of(),
                a.rule(),
                a.verdict()));
      } else {
        out.add(a);
      }
    }
    return out;
  }

  private static Assessment withVerdict(Assessment a, Assessment.Verdict verdict) {
    return new Assessment(
        a.memberId(),
        a.bestRecord(),
        a.probability(),
        a.weight(),
        a.meanEvidence(),
        a.breakdown(),
        a.rule(),
        verdict);
  }

  private static java.time.Instant createdAt(List<CandidateMember> candidates, UUID id) {
    return candidates.stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .map(CandidateMember::createdAt)
        .orElse(java.time.Instant.MAX);
  }
}
