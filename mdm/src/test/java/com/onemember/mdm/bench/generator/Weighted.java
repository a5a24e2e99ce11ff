package com.onemember.mdm.bench.generator;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws items with given relative weights. Real populations are skewed (a handful of surnames and
 * given names cover most people), so every choice in the generator is a weighted one.
 */
final class Weighted<T> {

  private final List<T> items;
  private final double[] cumulative;

  Weighted(List<T> items, double[] weights) {
    if (items.isEmpty() || items.size() != weights.length) {
      throw new IllegalArgumentException("one positive weight per item is needed");
    }
    this.items = List.copyOf(items);
    this.cumulative = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] < 0) {
        throw new IllegalArgumentException("negative weight for " + items.get(i));
      }
      sum += weights[i];
      cumulative[i] = sum;
    }
    if (sum <= 0) {
      throw new IllegalArgumentException("weights sum to zero");
    }
  }

  T pick(SplittableRandom rng) {
    double x = rng.nextDouble() * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, x);
    i = i < 0 ? -i - 1 : i + 1;
    return items.get(Math.min(i, items.size() - 1));
  }
}
