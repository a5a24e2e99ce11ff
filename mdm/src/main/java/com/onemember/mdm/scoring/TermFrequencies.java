package com.onemember.mdm.scoring;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * How often each name occurs among the records, so that agreeing on a common name (王伟, 李娜, smith)
 * is weaker evidence than agreeing on a rare one.
 */
public final class TermFrequencies {

  private final Map<Comparison, Map<String, Double>> frequencies = new EnumMap<>(Comparison.class);

  /** Counts the adjusted attributes' values over {@code records}. */
  public static TermFrequencies of(Iterable<MatchRecord> records) {
    TermFrequencies tf = new TermFrequencies();
    Map<Comparison, Map<String, Integer>> counts = new EnumMap<>(Comparison.class);
    Map<Comparison, Integer> totals = new EnumMap<>(Comparison.class);
    for (MatchRecord r : records) {
      if (!r.nameOrderKnown()) {
        continue; // which word is the surname is a guess
      }
      for (Comparison c : Comparison.values()) {
        if (!c.termFrequencyAdjusted()) {
          continue;
        }
        String v = c.termValue(r);
        if (v != null && !v.isEmpty()) {
          counts.computeIfAbsent(c, k -> new HashMap<>()).merge(v, 1, Integer::sum);
          totals.merge(c, 1, Integer::sum);
        }
      }
    }
    counts.forEach(
        (c, byValue) -> {
          double total = totals.get(c);
          Map<String, Double> f = new HashMap<>();
          byValue.forEach((v, n) -> f.put(v, n / total));
          tf.frequencies.put(c, f);
        });
    return tf;
  }

  /** Frequencies as counted elsewhere (a saved model, the hub's database). */
  public static TermFrequencies of(Map<Comparison, Map<String, Double>> shares) {
    TermFrequencies tf = new TermFrequencies();
    shares.forEach((c, f) -> tf.frequencies.put(c, new HashMap<>(f)));
    return tf;
  }

  /** Every counted value's share, by comparison; a copy. */
  public Map<Comparison, Map<String, Double>> shares() {
    Map<Comparison, Map<String, Double>> copy = new EnumMap<>(Comparison.class);
    frequencies.forEach((c, f) -> copy.put(c, Map.copyOf(f)));
    return copy;
  }

  /** The share of records holding {@code value}; 0 when unknown. */
  public double frequency(Comparison c, String value) {
    Map<String, Double> f = frequencies.get(c);
    return f == null || value == null ? 0 : f.getOrDefault(value, 0.0);
  }
}
