package com.onemember.mdm.matching;

import com.onemember.mdm.scoring.AttributeEvidence;
import com.onemember.mdm.scoring.Comparison;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.PairScore;
import java.util.List;

/**
 * The two rules that keep {@link MemberMatcher} from chaining: a record joins a member only if it
 * fits the member as a whole, and two members a record fits are merged only if nothing in one
 * speaks against the other.
 */
final class MemberRules {

  /** Hard rules count like very strong evidence, without drowning all other records. */
  static final double EVIDENCE_CAP = 50;

  /**
   * Bits of disagreement two records of bridged members may show: about one weak disagreement (a
   * differently spelt city), not a different given name, gender or birthday.
   */
  static final double MAX_CONTRADICTION = 10;

  /** Members larger than this (in cross pairs) are not bridged automatically: a steward decides. */
  static final int MAX_BRIDGED_PAIRS = 400;

  private MemberRules() {}

  /**
   * What tells the record apart from some record of the member as another person, or {@code null}:
   * a given name written in characters that shares no sound with theirs ({@link
   * Comparison#givenNamesTellApart}). A phone or a flat that a household shares does not outweigh
   * it, however strong it is as evidence, or one record that lacks a given name (王女士 and the
   * household's phone) would chain the household together. Contact details (another phone, another
   * e-mail) do not tell people apart: one person has several; nor do a birthday or a stated gender,
   * which clerks mistype often enough (FEBRL's and Splink's sets show it) to be only evidence.
   */
  static String tellsApart(MatchRecord record, List<MatchRecord> members) {
    for (MatchRecord other : members) {
      if (Comparison.givenNamesTellApart(record, other)) {
        return "another given name than " + other.id() + " / 与该会员记录的名字不同";
      }
    }
    return null;
  }

  /**
   * Whether a record fits a member as a whole, given its weights against every record of the
   * member: the mean of its evidence (weight less the prior, in bits, capped at ±50) is not
   * negative. A record with little in common with some records of the member is neutral to them;
   * one that contradicts them (another given name, another birthday) pulls the mean down, so it
   * cannot join through one similar record.
   */
  public static boolean fitsWhole(double[] weights, int count, double priorLogOdds) {
    return meanEvidence(weights, count, priorLogOdds) >= 0;
  }

  /**
   * The mean evidence in bits (weight less the prior, each capped at ±50) of a record against the
   * {@code count} records of a member whose pair weights are given; 0 for a member without records.
   */
  public static double meanEvidence(double[] weights, int count, double priorLogOdds) {
    if (count == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += Math.max(-EVIDENCE_CAP, Math.min(EVIDENCE_CAP, weights[i] - priorLogOdds));
    }
    return sum / count;
  }

  /**
   * Whether two members that one new record fits both are one person: the record bridges them
   * (their first records lacked what the new one shares with each), so they merge unless some
   * record of one speaks against some record of the other: a weight below the prior, a hard rule,
   * or a clear disagreement on any attribute (another given name, gender or birthday) even if a
   * shared phone outweighs it, as in a household. Large members are left apart.
   */
  public static boolean belongTogether(MatchModel model, List<MatchRecord> x, List<MatchRecord> y) {
    if ((long) x.size() * y.size() > MAX_BRIDGED_PAIRS) {
      return false;
    }
    for (MatchRecord a : x) {
      if (tellsApart(a, y) != null) {
        return false;
      }
      for (MatchRecord b : y) {
        PairScore score = model.score(a, b);
        if (score.weight() < model.priorLogOdds()) {
          return false;
        }
        if (score.rule() != null && !score.rule().same()) {
          return false;
        }
        double against = 0;
        for (AttributeEvidence e : score.breakdown()) {
          against += Math.min(0, e.weight());
        }
        if (against < -MAX_CONTRADICTION) {
          return false;
        }
      }
    }
    return true;
  }
}
