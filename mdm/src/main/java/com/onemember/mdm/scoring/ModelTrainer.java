package com.onemember.mdm.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Estimates a {@link MatchModel} from unlabelled records, the way Splink does:
 *
 * <ol>
 *   <li>u from random pairs, almost all of which are different people; the few matches among them
 *       (as many as share a phone by chance) are taken out once m and the prior are known, and m
 *       estimated again;
 *   <li>m by expectation–maximisation in several sessions, each over pairs that share one key (a
 *       phone, a name, a birthday) and each leaving out the attributes its pairs agree on by
 *       construction, with u held fixed; an attribute's m is the mean of the sessions that
 *       estimated it;
 *   <li>the prior, the probability that two random records match, from how many matches each
 *       session found divided by how often a match shares that session's key (its recall, read from
 *       the estimated m).
 * </ol>
 *
 * Re-estimating u on blocked pairs instead, or training on all blocked pairs at once, lets EM
 * settle on "pairs sharing a common given name" as its match class on Chinese data; sessions do
 * not.
 */
public final class ModelTrainer {

  /** Random pairs sampled to estimate u. */
  private final int randomPairs;

  private final int maxIterations;
  private final long seed;

  public ModelTrainer(int randomPairs, int maxIterations, long seed) {
    this.randomPairs = randomPairs;
    this.maxIterations = maxIterations;
    this.seed = seed;
  }

  public static ModelTrainer defaults() {
    return new ModelTrainer(500_000, 60, 42);
  }

  /** What one session estimated. */
  private record SessionResult(
      TrainingSession session, Map<Comparison, double[]> m, double matchShare) {}

  public MatchModel train(List<MatchRecord> records, List<TrainingSession> sessions) {
    RandomPairCounts counts = countRandomPairs(records);
    Map<Comparison, double[]> u = counts.u(null, 0);
    Estimate estimate = estimate(records, sessions, u);
    // Random pairs hold a few true matches, about as many as agree on a phone by chance: left in,
    // they make agreeing on an identifier look common. Take out the matches the first estimate
    // expects there and estimate again.
    for (int round = 0; round < CORRECTION_ROUNDS; round++) {
      u = counts.u(estimate.m(), estimate.prior());
      estimate = estimate(records, sessions, u);
    }
    Map<Comparison, Double> averageExact = new EnumMap<>(Comparison.class);
    u.forEach((c, p) -> averageExact.put(c, p[0]));
    return new MatchModel(
        estimate.m(), u, estimate.prior(), TermFrequencies.of(records), averageExact);
  }

  private static final int CORRECTION_ROUNDS = 2;

  /** The least m of any level, so that one disagreement cannot outweigh everything else. */
  private static final double M_FLOOR = 0.002;

  private record Estimate(Map<Comparison, double[]> m, double prior) {}

  private Estimate estimate(
      List<MatchRecord> records, List<TrainingSession> sessions, Map<Comparison, double[]> u) {
    List<SessionResult> results = new ArrayList<>();
    for (TrainingSession session : sessions) {
      if (!session.pairs().isEmpty()) {
        results.add(runSession(records, session, u));
      }
    }
    Map<Comparison, double[]> m = initialM();
    for (Comparison c : Comparison.values()) {
      double[] sum = new double[c.levels().size()];
      int n = 0;
      for (SessionResult r : results) {
        double[] estimate = r.m().get(c);
        if (estimate != null) {
          for (int l = 0; l < sum.length; l++) {
            sum[l] += estimate[l];
          }
          n++;
        }
      }
      if (n > 0) {
        double total = 0;
        for (int l = 0; l < sum.length; l++) {
          // No level is impossible for a true match: a generated or well-kept source may never
          // show a moved member's other city, but the hub will meet one.
          sum[l] = Math.max(M_FLOOR, sum[l] / n);
          total += sum[l];
        }
        for (int l = 0; l < sum.length; l++) {
          sum[l] /= total;
        }
        m.put(c, sum);
      }
    }
    return new Estimate(m, estimatePrior(records, results, m));
  }

  private SessionResult runSession(
      List<MatchRecord> records, TrainingSession session, Map<Comparison, double[]> u) {
    Comparison[] cs =
        Arrays.stream(Comparison.values())
            .filter(c -> !session.blockedOn().contains(c))
            .toArray(Comparison[]::new);
    Map<List<Integer>, Integer> patterns = new HashMap<>();
    for (int[] pair : session.pairs()) {
      MatchRecord a = records.get(pair[0]);
      MatchRecord b = records.get(pair[1]);
      if (HardRule.between(a, b) != null) {
        continue; // settled by a rule: no evidence about the attributes' m
      }
      List<Integer> levels = new ArrayList<>(cs.length);
      for (Comparison c : cs) {
        levels.add(c.level(a, b));
      }
      patterns.merge(levels, 1, Integer::sum);
    }
    Map<Comparison, double[]> m = initialM();
    double prior = 0.5;
    for (int it = 0; it < maxIterations; it++) {
      Map<Comparison, double[]> mSum = zeros();
      double matchMass = 0;
      double total = 0;
      for (Map.Entry<List<Integer>, Integer> e : patterns.entrySet()) {
        List<Integer> levels = e.getKey();
        double lm = Math.log(prior);
        double lu = Math.log(1 - prior);
        for (int i = 0; i < cs.length; i++) {
          int level = levels.get(i);
          if (level != Comparison.MISSING) {
            lm += Math.log(Math.max(1e-9, m.get(cs[i])[level]));
            lu += Math.log(Math.max(1e-9, u.get(cs[i])[level]));
          }
        }
        double p = 1.0 / (1.0 + Math.exp(lu - lm));
        int n = e.getValue();
        matchMass += p * n;
        total += n;
        for (int i = 0; i < cs.length; i++) {
          int level = levels.get(i);
          if (level != Comparison.MISSING) {
            mSum.get(cs[i])[level] += p * n;
          }
        }
      }
      double newPrior = total == 0 ? prior : matchMass / total;
      double change = Math.abs(newPrior - prior);
      for (Comparison c : cs) {
        change = Math.max(change, update(m, mSum, c));
      }
      prior = Math.min(0.999, Math.max(1e-6, newPrior));
      if (change < 1e-5) {
        break;
      }
    }
    Map<Comparison, double[]> estimated = new EnumMap<>(Comparison.class);
    for (Comparison c : cs) {
      estimated.put(c, m.get(c));
    }
    return new SessionResult(session, estimated, prior);
  }

  /**
   * Matches found by a session, divided by its recall, estimate all matching pairs; over all pairs,
   * the prior. A session's recall is the chance that a true match agrees on the session's
   * attributes: their presence on both sides (from the data) times their agreement levels' m. The
   * median over sessions resists one session's bias.
   */
  private static double estimatePrior(
      List<MatchRecord> records, List<SessionResult> results, Map<Comparison, double[]> m) {
    double n = records.size();
    double allPairs = n * (n - 1) / 2;
    List<Double> estimates = new ArrayList<>();
    for (SessionResult r : results) {
      double recall = 1;
      for (Comparison c : r.session().blockedOn()) {
        double present = presence(records, c);
        recall *= present * present * agreement(c, m.get(c));
      }
      double matches = r.matchShare() * r.session().pairs().size();
      if (recall > 1e-3 && matches > 0) {
        estimates.add(Math.min(0.5, matches / recall / allPairs));
      }
    }
    if (estimates.isEmpty()) {
      return 1e-4;
    }
    estimates.sort(Double::compare);
    return estimates.get(estimates.size() / 2);
  }

  /** The m of the levels a session's key implies: for names, exact or the same pinyin. */
  private static double agreement(Comparison c, double[] m) {
    return c == Comparison.SURNAME || c == Comparison.GIVEN_NAME ? m[0] + m[1] : m[0];
  }

  /** Share of records that have the attribute (a record compared with itself is not missing). */
  private static double presence(List<MatchRecord> records, Comparison c) {
    int step = Math.max(1, records.size() / 20_000);
    int present = 0;
    int seen = 0;
    for (int i = 0; i < records.size(); i += step) {
      MatchRecord r = records.get(i);
      if (c.level(r, r) != Comparison.MISSING) {
        present++;
      }
      seen++;
    }
    return seen == 0 ? 0 : (double) present / seen;
  }

  /** Replaces the estimate of {@code c} by the normalised sums; returns the largest change. */
  private static double update(
      Map<Comparison, double[]> estimate, Map<Comparison, double[]> sums, Comparison c) {
    double[] s = sums.get(c);
    double sum = Arrays.stream(s).sum();
    if (sum <= 0) {
      return 0;
    }
    double change = 0;
    double[] next = new double[s.length];
    for (int l = 0; l < s.length; l++) {
      next[l] = (s[l] + 1e-3) / (sum + 1e-3 * s.length);
      change = Math.max(change, Math.abs(next[l] - estimate.get(c)[l]));
    }
    estimate.put(c, next);
    return change;
  }

  /** Level counts over random pairs, per comparison, for the pairs where both sides have it. */
  private record RandomPairCounts(Map<Comparison, double[]> counts) {

    /**
     * u with the matches expected among the random pairs taken out: {@code prior} of the pairs are
     * matches, spread over the levels by {@code m}. Add-one smoothing keeps a level never seen
     * between two different people rare rather than impossible.
     */
    Map<Comparison, double[]> u(Map<Comparison, double[]> m, double prior) {
      Map<Comparison, double[]> u = new EnumMap<>(Comparison.class);
      for (Comparison c : Comparison.values()) {
        double[] cnt = counts.get(c);
        double sum = Arrays.stream(cnt).sum();
        double[] p = new double[cnt.length];
        double total = 0;
        for (int l = 0; l < cnt.length; l++) {
          double matches = m == null ? 0 : prior * sum * m.get(c)[l];
          p[l] = Math.max(0, cnt[l] - matches) + 1;
          total += p[l];
        }
        for (int l = 0; l < cnt.length; l++) {
          p[l] /= total;
        }
        u.put(c, p);
      }
      return u;
    }
  }

  private RandomPairCounts countRandomPairs(List<MatchRecord> records) {
    Map<Comparison, double[]> counts = zeros();
    Random random = new Random(seed);
    int n = records.size();
    for (int k = 0; k < randomPairs && n > 1; k++) {
      int i = random.nextInt(n);
      int j = random.nextInt(n - 1);
      if (j >= i) {
        j++;
      }
      MatchRecord a = records.get(i);
      MatchRecord b = records.get(j);
      for (Comparison c : Comparison.values()) {
        int level = c.level(a, b);
        if (level != Comparison.MISSING) {
          counts.get(c)[level]++;
        }
      }
    }
    return new RandomPairCounts(counts);
  }

  /** Starting m: agreement likely for a match, each weaker level less so. */
  private static Map<Comparison, double[]> initialM() {
    Map<Comparison, double[]> m = new EnumMap<>(Comparison.class);
    for (Comparison c : Comparison.values()) {
      int levels = c.levels().size();
      double[] p = new double[levels];
      p[0] = 0.8;
      for (int l = 1; l < levels; l++) {
        p[l] = 0.2 / (levels - 1);
      }
      m.put(c, p);
    }
    return m;
  }

  private static Map<Comparison, double[]> zeros() {
    Map<Comparison, double[]> z = new EnumMap<>(Comparison.class);
    for (Comparison c : Comparison.values()) {
      z.put(c, new double[c.levels().size()]);
    }
    return z;
  }
}
