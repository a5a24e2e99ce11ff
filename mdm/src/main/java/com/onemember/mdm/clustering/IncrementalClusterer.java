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
      if (best >= mergeProbability && best > chosenScore && fitsWhole(record, e.getKey(), scored)) {
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
   * Whether the record fits the cluster as a whole: the mean of its evidence (weight less the
   * prior, in bits) against every record of the cluster is not negative. A record with little in
   * common with some records of the member is neutral to them; one that contradicts them (another
   * given name, another birthday) pulls the mean down, so it cannot join through one similar
   * record. Reuses the pairs blocking already scored.
   */
  private boolean fitsWhole(MatchRecord record, int cluster, Map<Integer, Double> scored) {
    double sum = 0;
    List<Integer> ids = members.get(cluster);
    for (int id : ids) {
      Double p = scored.get(id);
      double weight = p != null ? weightOf(p) : model.weight(record, records.get(id));
      sum += Math.max(-RULE_CAP, Math.min(RULE_CAP, weight - model.priorLogOdds()));
    }
    return sum / ids.size() >= 0;
  }

  /** Hard rules count like very strong evidence, without drowning all other records. */
  private static final double RULE_CAP = 50;

  private static double weightOf(double probability) {
    double p = Math.min(1 - 1e-15, Math.max(1e-15, probability));
    return Math.log(p / (1 - p)) / LN2;
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
