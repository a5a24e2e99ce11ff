package com.onemember.mdm.clustering;

import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns records, one at a time, to clusters (golden members), as the hub does on ingest.
 * Thresholds are match probabilities.
 */
public final class IncrementalClusterer {

  private final MatchModel model;
  private final double mergeWeight;
  private final double reviewWeight;

  /**
   * For each earlier record, one more than the record that last scored it, and that weight: the
   * pairs blocking offered, reused when testing the whole cluster.
   */
  private int[] scoredBy = new int[1024];

  private double[] scoredWeight = new double[1024];
  private final List<MatchRecord> records = new ArrayList<>();
  private final List<Integer> clusterOf = new ArrayList<>();
  private final List<List<Integer>> members = new ArrayList<>();
  private int reviews;

  public IncrementalClusterer(MatchModel model, double mergeProbability, double reviewProbability) {
    this.model = model;
    this.mergeWeight = weightOf(mergeProbability);
    this.reviewWeight = weightOf(reviewProbability);
  }

  /**
   * Adds the next record (its index is the number of records added before) with the indices of
   * earlier records that blocking offered, and returns its cluster.
   */
  public int add(MatchRecord record, int[] candidates) {
    int id = records.size();
    records.add(record);
    if (id >= scoredBy.length) {
      int size = Math.max(id + 1, scoredBy.length * 2);
      scoredBy = java.util.Arrays.copyOf(scoredBy, size);
      scoredWeight = java.util.Arrays.copyOf(scoredWeight, size);
    }
    int stamp = id + 1;
    Map<Integer, Double> bestPair = new HashMap<>();
    for (int other : candidates) {
      double w = model.weight(record, records.get(other));
      scoredBy[other] = stamp;
      scoredWeight[other] = w;
      if (w >= reviewWeight) {
        bestPair.merge(clusterOf.get(other), w, Math::max);
      }
    }
    int chosen = -1;
    double chosenScore = Double.NEGATIVE_INFINITY;
    boolean review = false;
    List<Integer> fitting = new ArrayList<>(2);
    for (Map.Entry<Integer, Double> e : bestPair.entrySet()) {
      double best = e.getValue();
      if (best >= mergeWeight && fitsWhole(record, e.getKey(), stamp)) {
        fitting.add(e.getKey());
        if (best > chosenScore) {
          chosen = e.getKey();
          chosenScore = best;
        }
      } else {
        review = true;
      }
    }
    if (chosen < 0) {
      chosen = members.size();
      members.add(new ArrayList<>());
      if (review) {
        reviews++;
      }
    }
    members.get(chosen).add(id);
    clusterOf.add(chosen);
    for (int other : fitting) {
      if (other != chosen && belongTogether(chosen, other)) {
        absorb(chosen, other);
      }
    }
    return chosen;
  }

  private boolean belongTogether(int a, int b) {
    return MemberRules.belongTogether(model, recordsOf(a), recordsOf(b));
  }

  private List<MatchRecord> recordsOf(int cluster) {
    List<MatchRecord> out = new ArrayList<>(members.get(cluster).size());
    for (int id : members.get(cluster)) {
      out.add(records.get(id));
    }
    return out;
  }

  /** Moves every record of cluster {@code from} into {@code into}; {@code from} is left empty. */
  private void absorb(int into, int from) {
    for (int r : members.get(from)) {
      clusterOf.set(r, into);
    }
    members.get(into).addAll(members.get(from));
    members.set(from, new ArrayList<>());
  }

  /** {@link MemberRules#fitsWhole}, reusing the pairs blocking already scored. */
  private boolean fitsWhole(MatchRecord record, int cluster, int stamp) {
    List<Integer> ids = members.get(cluster);
    double[] weights = new double[ids.size()];
    for (int i = 0; i < weights.length; i++) {
      int id = ids.get(i);
      weights[i] = scoredBy[id] == stamp ? scoredWeight[id] : model.weight(record, records.get(id));
    }
    return MemberRules.fitsWhole(weights, weights.length, model.priorLogOdds());
  }

  /** A probability as log-odds in bits, the unit of {@link MatchModel#weight}. */
  private static double weightOf(double probability) {
    double p = Math.min(1 - 1e-15, Math.max(1e-15, probability));
    return Math.log(p / (1 - p)) / Math.log(2);
  }

  public int clusterOf(int record) {
    return clusterOf.get(record);
  }

  /**
   * The records of each cluster, by cluster number. A cluster merged into another when a record
   * bridged them stays in the list, empty, so that cluster numbers keep their meaning.
   */
  public List<List<Integer>> clusters() {
    return members;
  }

  /** Records that started a new cluster although some cluster was in the review band. */
  public int reviews() {
    return reviews;
  }
}
