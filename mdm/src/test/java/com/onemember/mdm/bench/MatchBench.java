package com.onemember.mdm.bench;

import com.onemember.mdm.blocking.BlockingKeys;
import com.onemember.mdm.blocking.CandidateIndex;
import com.onemember.mdm.blocking.TrainingPairs;
import com.onemember.mdm.clustering.IncrementalClusterer;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.ModelTrainer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints match quality and speed for each benchmark dataset: precision, recall and pairwise F1,
 * blocking's share of all pairs and its recall of true pairs, the largest cluster against the true
 * largest, records/s of the clustering pass (one thread) and peak heap. One configuration and one
 * set of thresholds for every dataset; the model is trained on each dataset without its labels.
 *
 * <p>Run: {@code ./mvnw -q -pl mdm -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.onemember.mdm.bench.MatchBench -Dexec.args=../shared/benchmarks}
 */
public final class MatchBench {

  static final double MERGE = Double.parseDouble(System.getProperty("bench.merge", "0.95"));
  static final double REVIEW = 0.50;
  static final int BLOCK_CAP = 200;
  static final int MAX_TRAINING_PAIRS = 2_000_000;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/benchmarks");
    if (!Files.isDirectory(dir)) {
      System.out.println("benchmark data not found at " + dir.toAbsolutePath());
      return;
    }
    System.out.printf(
        "%-16s %7s %9s %9s %9s %9s %10s %9s %9s %8s %10s %9s %s%n",
        "dataset",
        "records",
        "precision",
        "recall",
        "F1",
        "pairs%",
        "blockRecall",
        "largest",
        "trueLarg",
        "reviews",
        "records/s",
        "peakHeapMB",
        "householdFalseMerges");
    String only = System.getProperty("bench.only", "");
    if (only.isEmpty() || only.contains("febrl3")) {
      run("febrl3", Datasets.febrl(dir.resolve("febrl/dataset3.csv")));
    }
    if (only.isEmpty() || only.contains("febrl4")) {
      run(
          "febrl4",
          Datasets.febrl(dir.resolve("febrl/dataset4a.csv"), dir.resolve("febrl/dataset4b.csv")));
    }
    if (only.isEmpty() || only.contains("historical")) {
      run(
          "historical_50k",
          Datasets.historical(dir.resolve("splink/historical_figures_with_errors_50k.csv")));
    }
    if (only.isEmpty() || only.contains("chinese")) {
      runChinese(Integer.getInteger("bench.chinese", 100_000));
    }
  }

  /** Entry for the Chinese set alone, which needs no files. */
  static void runChinese(int records) {
    run("chinese_" + records / 1000 + "k", Datasets.chinese(records, 7));
  }

  static void run(String name, List<LabelledRecord> data) {
    resetPeaks();
    List<MatchRecord> records = data.stream().map(LabelledRecord::record).toList();

    CandidateIndex trainingIndex = new CandidateIndex(BLOCK_CAP);
    List<int[]> pairs = new ArrayList<>();
    long truePairsBlocked = 0;
    for (int i = 0; i < records.size(); i++) {
      for (int c : trainingIndex.addAndFindCandidates(i, BlockingKeys.of(records.get(i)))) {
        if (pairs.size() < MAX_TRAINING_PAIRS) {
          pairs.add(new int[] {i, c});
        }
        if (data.get(i).entity().equals(data.get(c).entity())) {
          truePairsBlocked++;
        }
      }
    }
    if (System.getProperty("bench.missed") != null) {
      printMissedPairs(data, pairs);
    }
    MatchModel model =
        ModelTrainer.defaults().train(records, TrainingPairs.defaults().sessions(records));
    if (System.getProperty("bench.model") != null) {
      System.out.println(model.describe());
    }

    long start = System.nanoTime();
    CandidateIndex index = new CandidateIndex(BLOCK_CAP);
    IncrementalClusterer clusterer = new IncrementalClusterer(model, MERGE, REVIEW);
    for (int i = 0; i < records.size(); i++) {
      clusterer.add(records.get(i), index.addAndFindCandidates(i, BlockingKeys.of(records.get(i))));
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    long truePairs = pairsWithin(groupSizes(data, i -> data.get(i).entity()));
    long predictedPairs = pairsWithin(groupSizes(data, i -> "c" + clusterer.clusterOf(i)));
    long truePositive =
        pairsWithin(groupSizes(data, i -> data.get(i).entity() + "|" + clusterer.clusterOf(i)));
    double precision = predictedPairs == 0 ? 1 : (double) truePositive / predictedPairs;
    double recall = truePairs == 0 ? 1 : (double) truePositive / truePairs;
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    double allPairs = (double) records.size() * (records.size() - 1) / 2.0;
    int largest = clusterer.clusters().stream().mapToInt(List::size).max().orElse(0);
    int trueLargest =
        groupSizes(data, i -> data.get(i).entity()).values().stream()
            .mapToInt(Integer::intValue)
            .max()
            .orElse(0);
    long householdFalseMerges =
        pairsWithin(
                groupSizes(
                    data,
                    i ->
                        data.get(i).household() == null
                            ? "solo" + i
                            : data.get(i).household() + "|" + clusterer.clusterOf(i)))
            - pairsWithin(
                groupSizes(
                    data,
                    i ->
                        data.get(i).household() == null
                            ? "solo" + i
                            : data.get(i).household()
                                + "|"
                                + data.get(i).entity()
                                + "|"
                                + clusterer.clusterOf(i)));
    System.out.printf(
        "%-16s %7d %9.4f %9.4f %9.4f %8.3f%% %10.4f %9d %9d %8d %10.0f %9d %9s%n",
        name,
        records.size(),
        precision,
        recall,
        f1,
        100.0 * index.comparisons() / allPairs,
        truePairs == 0 ? 1 : (double) truePairsBlocked / truePairs,
        largest,
        trueLargest,
        clusterer.reviews(),
        records.size() / seconds,
        peakHeapMegabytes(),
        data.stream().anyMatch(r -> r.household() != null) ? householdFalseMerges : "-");
    if (System.getProperty("bench.errors") != null) {
      printErrors(data, clusterer, model, Integer.getInteger("bench.errors", 10));
    }
    if (index.oversizedBlocks() > 0) {
      System.out.printf(
          "%-16s %d blocks reached the cap of %d%n", "", index.oversizedBlocks(), BLOCK_CAP);
    }
  }

  /** Sample false merges and missed matches with their score breakdown, to see what to fix. */
  private static void printErrors(
      List<LabelledRecord> data, IncrementalClusterer clusterer, MatchModel model, int limit) {
    Map<Integer, List<Integer>> byCluster = new HashMap<>();
    Map<String, List<Integer>> byEntity = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      byCluster.computeIfAbsent(clusterer.clusterOf(i), k -> new ArrayList<>()).add(i);
      byEntity.computeIfAbsent(data.get(i).entity(), k -> new ArrayList<>()).add(i);
    }
    int shown = 0;
    for (List<Integer> ids : byCluster.values()) {
      for (int x = 1; x < ids.size() && shown < limit; x++) {
        LabelledRecord a = data.get(ids.get(0));
        LabelledRecord b = data.get(ids.get(x));
        if (!a.entity().equals(b.entity())) {
          System.out.println("FALSE MERGE " + describe(model, a, b));
          shown++;
        }
      }
    }
    shown = 0;
    for (List<Integer> ids : byEntity.values()) {
      for (int x = 1; x < ids.size() && shown < limit; x++) {
        int i = ids.get(0);
        int j = ids.get(x);
        if (clusterer.clusterOf(i) != clusterer.clusterOf(j)) {
          System.out.println("MISSED " + describe(model, data.get(i), data.get(j)));
          shown++;
        }
      }
    }
  }

  private static String describe(MatchModel model, LabelledRecord a, LabelledRecord b) {
    var score = model.score(a.record(), b.record());
    StringBuilder sb =
        new StringBuilder(String.format("p=%.4f w=%.2f%n", score.probability(), score.weight()));
    sb.append("   ").append(a.record()).append('\n');
    sb.append("   ").append(b.record()).append('\n');
    for (var e : score.breakdown()) {
      if (!e.level().equals("missing")) {
        sb.append(String.format("   %s %s %+.2f%n", e.comparison(), e.level(), e.weight()));
      }
    }
    return sb.toString();
  }

  /** A sample of true pairs that blocking never offered, to see which key is missing. */
  private static void printMissedPairs(List<LabelledRecord> data, List<int[]> pairs) {
    java.util.Set<Long> offered = new java.util.HashSet<>();
    for (int[] p : pairs) {
      offered.add(((long) Math.min(p[0], p[1]) << 32) | Math.max(p[0], p[1]));
    }
    Map<String, List<Integer>> byEntity = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      byEntity.computeIfAbsent(data.get(i).entity(), k -> new ArrayList<>()).add(i);
    }
    int shown = 0;
    for (List<Integer> ids : byEntity.values()) {
      for (int x = 0; x < ids.size() && shown < 25; x++) {
        for (int y = x + 1; y < ids.size() && shown < 25; y++) {
          if (!offered.contains(((long) ids.get(x) << 32) | ids.get(y))) {
            System.out.println("missed: " + data.get(ids.get(x)).record());
            System.out.println("    vs: " + data.get(ids.get(y)).record());
            shown++;
          }
        }
      }
    }
  }

  private interface Key {
    String of(int i);
  }

  private static Map<String, Integer> groupSizes(List<LabelledRecord> data, Key key) {
    Map<String, Integer> sizes = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      sizes.merge(key.of(i), 1, Integer::sum);
    }
    return sizes;
  }

  private static long pairsWithin(Map<String, Integer> sizes) {
    long pairs = 0;
    for (int n : sizes.values()) {
      pairs += (long) n * (n - 1) / 2;
    }
    return pairs;
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeapMegabytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1024 * 1024);
  }
}
