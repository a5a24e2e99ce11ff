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
  private final double mergeProbability;
  private final double reviewProbability;
  private final List<MatchRecord> records = new ArrayList<>();
  private final List<Integer> clusterOf = new ArrayList<>();
  private final List<List<Integer>> members = new ArrayList<>();
  private int reviews;

  public IncrementalClusterer(MatchModel model, double mergeProbability, double reviewProbability) {
    this.model = model;
    this.mergeProbability = mergeProbability;
    this.reviewProbability = reviewProbability;
  }

  /**
   * Adds the next record (its index is the number of records added before) with the indices of
   * earlier records that blocking offered, and returns its cluster.
   */
  public int add(MatchRecord record, int[] candidates) {
    int id = records.size();
    records.add(record);
    Map<Integer, Double> bestPair = new HashMap<>();
    Map<Integer, Double> scored = new HashMap<>(candidates.length * 2);
    for (int other : candidates) {
      double p = probability(record, records.get(other));
      scored.put(other, p);
      if (p >= reviewProbability) {
        bestPair.merge(clusterOf.get(other), p, Math::max);
      }
    }
    int chosen = -1;
    double chosenScore = 0;
    boolean review = false;
    for (Map.Entry<Integer, Double> e : bestPair.entrySet()) {
      double best = e.getValue();
      double whole = wholeClusterProbability(record, e.getKey(), scored);
      if (best >= mergeProbability && whole >= reviewProbability && best > chosenScore) {
        chosen = e.getKey();
        chosenScore = best;
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
    return chosen;
  }

  /**
   * Mean match probability of {@code record} against every record of the cluster, reusing the pairs
   * blocking already had scored.
   */
  private double wholeClusterProbability(
      MatchRecord record, int cluster, Map<Integer, Double> scored) {
    double sum = 0;
    List<Integer> ids = members.get(cluster);
    for (int id : ids) {
      Double known = scored.get(id);
      sum += known != null ? known : probability(record, records.get(id));
    }
    return sum / ids.size();
  }

  private double probability(MatchRecord a, MatchRecord b) {
    return 1.0 / (1.0 + Math.exp(-model.weight(a, b) * LN2));
  }

  private static final double LN2 = Math.log(2);

  public int clusterOf(int record) {
    return clusterOf.get(record);
  }

  public List<List<Integer>> clusters() {
    return members;
  }

  /** Records that started a new cluster although some cluster was in the review band. */
  public int reviews() {
    return reviews;
  }
}
