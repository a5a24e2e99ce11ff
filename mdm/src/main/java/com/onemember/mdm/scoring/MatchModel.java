package com.onemember.mdm.scoring;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A trained Fellegi–Sunter model: for every comparison and level the probability m of seeing it for
 * a true match and u for a non-match, the prior probability that a compared pair matches, and term
 * frequencies for exact name agreement. Immutable and thread-safe.
 */
public final class MatchModel {

  private static final double FLOOR = 1e-6;

  /** The weight a hard rule stands for: a probability indistinguishable from 0 or 1. */
  static final double RULE_WEIGHT = 1000;

  private final Map<Comparison, double[]> m;
  private final Map<Comparison, double[]> u;
  private final double prior;
  private final TermFrequencies termFrequencies;

  /**
   * @param m probability of each level among true matches
   * @param u probability of each level among non-matches of the compared (blocked) pairs
   * @param prior probability that a compared pair is a match
   * @param termFrequencies how common each name is; an exact agreement on a name of frequency f
   *     gets the extra weight log2(u_avg / f), where u_avg is the chance that two random records
   *     agree exactly on that attribute ({@code averageExactAgreement})
   */
  public MatchModel(
      Map<Comparison, double[]> m,
      Map<Comparison, double[]> u,
      double prior,
      TermFrequencies termFrequencies,
      Map<Comparison, Double> averageExactAgreement) {
    this.m = new EnumMap<>(m);
    this.u = new EnumMap<>(u);
    this.prior = prior;
    this.termFrequencies = termFrequencies;
    this.averageExactAgreement = new EnumMap<>(averageExactAgreement);
    this.weights = new double[COMPARISONS.length][];
    for (Comparison c : COMPARISONS) {
      double[] w = new double[c.levels().size()];
      for (int l = 0; l < w.length; l++) {
        w[l] = log2(clamp(this.m.get(c)[l]) / clamp(this.u.get(c)[l]));
      }
      weights[c.ordinal()] = w;
    }
    this.priorLogOdds = log2(prior / (1 - prior));
  }

  private static final Comparison[] COMPARISONS = Comparison.values();

  /** log2(m/u) per comparison (by ordinal) and level, computed once. */
  private final double[][] weights;

  private final double priorLogOdds;

  private final Map<Comparison, Double> averageExactAgreement;

  /** The prior as log-odds in bits: the weight of a pair about which nothing is known. */
  public double priorLogOdds() {
    return priorLogOdds;
  }

  public double prior() {
    return prior;
  }

  public double m(Comparison c, int level) {
    return m.get(c)[level];
  }

  public double u(Comparison c, int level) {
    return u.get(c)[level];
  }

  /** The weight of a level without term-frequency adjustment: log2(m/u). */
  public double weight(Comparison c, int level) {
    return weights[c.ordinal()][level];
  }

  /** Scores a pair; the breakdown explains every attribute. */
  public PairScore score(MatchRecord a, MatchRecord b) {
    HardRule rule = HardRule.between(a, b);
    double total = priorLogOdds;
    List<AttributeEvidence> breakdown = new ArrayList<>(COMPARISONS.length);
    int mobile = Comparison.MOBILE.level(a, b);
    int address = Comparison.ADDRESS.level(a, b);
    Comparison shared = sharedContact(mobile, address);
    for (Comparison c : COMPARISONS) {
      int level =
          c == Comparison.MOBILE ? mobile : c == Comparison.ADDRESS ? address : c.level(a, b);
      if (level == Comparison.MISSING) {
        breakdown.add(new AttributeEvidence(c, "missing", 0));
        continue;
      }
      double w = levelWeight(c, level, a, b, shared);
      total += w;
      breakdown.add(new AttributeEvidence(c, c.levels().get(level), w));
    }
    if (rule != null) {
      double settled = rule.same() ? RULE_WEIGHT : -RULE_WEIGHT;
      return new PairScore(settled, PairScore.probability(settled), breakdown, rule);
    }
    return new PairScore(total, PairScore.probability(total), breakdown, null);
  }

  /**
   * Only the total weight, without building the explanation: the hot path of matching many
   * candidates.
   */
  public double weight(MatchRecord a, MatchRecord b) {
    HardRule rule = HardRule.between(a, b);
    if (rule != null) {
      return rule.same() ? RULE_WEIGHT : -RULE_WEIGHT;
    }
    double total = priorLogOdds;
    int mobile = Comparison.MOBILE.level(a, b);
    int address = Comparison.ADDRESS.level(a, b);
    Comparison shared = sharedContact(mobile, address);
    for (Comparison c : COMPARISONS) {
      int level =
          c == Comparison.MOBILE ? mobile : c == Comparison.ADDRESS ? address : c.level(a, b);
      if (level != Comparison.MISSING) {
        total += levelWeight(c, level, a, b, shared);
      }
    }
    return total;
  }

  /**
   * The weight of one attribute's level, with the term-frequency adjustment on exact agreement.
   *
   * <p>Once two records share a phone (or, failing that, an address), agreeing on what a family
   * shares no longer tells one person from their household: a family shares the phone, the flat,
   * the city and mostly the father's surname. The flat and the city then add nothing, and the
   * surname weighs log2(m / {@value #HOUSEHOLD_SHARE}), the odds that one person rather than two of
   * a household agree, never more than it would alone; otherwise a shared phone and flat would
   * outweigh different names, genders and birthdays.
   *
   * @param shared the contact the pair shares ({@code MOBILE} or {@code ADDRESS}), or {@code null}
   */
  private double levelWeight(
      Comparison c, int level, MatchRecord a, MatchRecord b, Comparison shared) {
    double w = weights[c.ordinal()][level];
    if (shared != null && c != shared && householdShared(c) && w > 0) {
      return c == Comparison.SURNAME
          ? Math.max(0, Math.min(w, log2(m.get(c)[level] / HOUSEHOLD_SHARE)))
          : 0;
    }
    if (level != 0) {
      return w;
    }
    double adjusted = w + termFrequencyAdjustment(c, a, b);
    // agreeing exactly on a common name written in characters (王伟) is weak evidence, but never
    // weaker than agreeing on its sound only (王伟 and 王玮): else a homophone would outscore it
    return c.termFrequencyAdjusted() && c.inCharacters(a) && c.inCharacters(b)
        ? Math.max(adjusted, Math.min(w, weights[c.ordinal()][1]))
        : adjusted;
  }

  /**
   * The household contact a pair shares: a phone (in full, masked or one typo apart), else an
   * address; {@code null} when neither agrees.
   */
  private static Comparison sharedContact(int mobile, int address) {
    if (mobile >= 0 && mobile <= 2) {
      return Comparison.MOBILE;
    }
    return address == 0 || address == 1 ? Comparison.ADDRESS : null;
  }

  /** How often two members of one household agree on an attribute they share as a family. */
  static final double HOUSEHOLD_SHARE = 0.5;

  private static boolean householdShared(Comparison c) {
    return c == Comparison.SURNAME || c == Comparison.ADDRESS || c == Comparison.CITY;
  }

  /**
   * Extra weight for agreeing on a rare value, negative for a common one: log2(u_avg / f). Zero for
   * attributes without term frequencies.
   */
  private double termFrequencyAdjustment(Comparison c, MatchRecord a, MatchRecord b) {
    if (!c.termFrequencyAdjusted()) {
      return 0;
    }
    double tf = termFrequencies.frequency(c, c.termValue(a, b));
    Double average = averageExactAgreement.get(c);
    if (tf <= 0 || average == null) {
      return 0;
    }
    return log2(average / Math.max(tf, FLOOR));
  }

  /**
   * The chance that two random records agree exactly on {@code c}, the base of the term-frequency
   * adjustment; {@code null} if not estimated.
   */
  public Double averageExactAgreement(Comparison c) {
    return averageExactAgreement.get(c);
  }

  public TermFrequencies termFrequencies() {
    return termFrequencies;
  }

  /** The same model with other term frequencies, e.g. those of the hub's stored records. */
  public MatchModel withTermFrequencies(TermFrequencies frequencies) {
    return new MatchModel(m, u, prior, frequencies, averageExactAgreement);
  }

  /**
   * The same model with some levels' m and u replaced, as an operator's match.yaml says. Each
   * override is {@code {m, u}} for one level; the other levels keep their estimates.
   */
  public MatchModel withOverrides(Map<Comparison, Map<Integer, double[]>> overrides) {
    Map<Comparison, double[]> m2 = new EnumMap<>(Comparison.class);
    Map<Comparison, double[]> u2 = new EnumMap<>(Comparison.class);
    for (Comparison c : COMPARISONS) {
      double[] mc = m.get(c).clone();
      double[] uc = u.get(c).clone();
      overrides
          .getOrDefault(c, Map.of())
          .forEach(
              (level, mu) -> {
                mc[level] = mu[0];
                uc[level] = mu[1];
              });
      m2.put(c, mc);
      u2.put(c, uc);
    }
    return new MatchModel(m2, u2, prior, termFrequencies, averageExactAgreement);
  }

  /** A readable table of the model, for logs and the bench. */
  public String describe() {
    StringBuilder sb = new StringBuilder(String.format("prior %.5f%n", prior));
    for (Comparison c : Comparison.values()) {
      for (int l = 0; l < c.levels().size(); l++) {
        sb.append(
            String.format(
                "  %-10s %-40s m=%.4f u=%.6f w=%+.2f%n",
                c, c.levels().get(l), m.get(c)[l], u.get(c)[l], weight(c, l)));
      }
    }
    return sb.toString();
  }

  private static double clamp(double p) {
    return Math.min(1 - FLOOR, Math.max(FLOOR, p));
  }

  static double log2(double x) {
    return Math.log(x) * INV_LN2;
  }

  private static final double INV_LN2 = 1 / Math.log(2);
}
