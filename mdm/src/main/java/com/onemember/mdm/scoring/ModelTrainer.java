package com.onemember.mdm.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Estimates a {@link MatchModel} from unlabelled records, the way Splink does: u from random pairs
 * (almost all of which are different people), then m and the prior by expectation–maximisation over
 * the candidate pairs that blocking produced, with u held fixed.
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
    return new ModelTrainer(500_000, 40, 42);
  }

  /**
   * @param records all records
   * @param candidatePairs blocked pairs, as index pairs into {@code records}
   */
  public MatchModel train(List<MatchRecord> records, List<int[]> candidatePairs) {
    Map<Comparison, double[]> randomU = estimateU(records);
    Map<Comparison, double[]> u = new EnumMap<>(randomU);
    Map<List<Integer>, Integer> patterns = new HashMap<>();
    for (int[] pair : candidatePairs) {
      patterns.merge(pattern(records.get(pair[0]), records.get(pair[1])), 1, Integer::sum);
    }
    Map<Comparison, double[]> m = initialM();
    double prior = 0.1;
    for (int it = 0; it < maxIterations; it++) {
      Map<Comparison, double[]> mSum = zeros();
      Map<Comparison, double[]> uSum = zeros();
      double matchMass = 0;
      double total = 0;
      for (Map.Entry<List<Integer>, Integer> e : patterns.entrySet()) {
        List<Integer> levels = e.getKey();
        double lm = Math.log(prior);
        double lu = Math.log(1 - prior);
        Comparison[] cs = Comparison.values();
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
            uSum.get(cs[i])[level] += (1 - p) * n;
          }
        }
      }
      double newPrior = total == 0 ? prior : matchMass / total;
      double change = Math.abs(newPrior - prior);
      for (Comparison c : Comparison.values()) {
        change = Math.max(change, update(m, mSum, c));
        change = Math.max(change, update(u, uSum, c));
      }
      prior = Math.min(0.999, Math.max(1e-6, newPrior));
      if (change < 1e-5) {
        break;
      }
    }
    Map<Comparison, Double> averageExact = new EnumMap<>(Comparison.class);
    randomU.forEach((c, p) -> averageExact.put(c, p[0]));
    return new MatchModel(m, u, prior, TermFrequencies.of(records), averageExact);
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

  private Map<Comparison, double[]> estimateU(List<MatchRecord> records) {
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
    Map<Comparison, double[]> u = new EnumMap<>(Comparison.class);
    for (Comparison c : Comparison.values()) {
      double[] cnt = counts.get(c);
      double sum = Arrays.stream(cnt).sum();
      double[] p = new double[cnt.length];
      for (int l = 0; l < cnt.length; l++) {
        // add-one smoothing: a level never seen among random pairs is rare, not impossible
        p[l] = (cnt[l] + 1) / (sum + cnt.length);
      }
      u.put(c, p);
    }
    return u;
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

  static List<Integer> pattern(MatchRecord a, MatchRecord b) {
    List<Integer> levels = new ArrayList<>(Comparison.values().length);
    for (Comparison c : Comparison.values()) {
      levels.add(c.level(a, b));
    }
    return levels;
  }
}
