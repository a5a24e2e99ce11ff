package com.onemember.mdm.bench;

import com.onemember.mdm.blocking.CandidateIndex;
import com.onemember.mdm.blocking.MatchKeys;
import com.onemember.mdm.blocking.TrainingPairs;
import com.onemember.mdm.clustering.MemberClustering;
import com.onemember.mdm.matching.MatchThresholds;
import com.onemember.mdm.matching.MemberMatcher;
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
 *
 * <p>Diagnostics: {@code -Dbench.errors=N} prints every household false merge and N false merges
 * and missed pairs with their breakdown ({@code -Dbench.skip=wechat} leaves out missed pairs with a
 * record whose id starts so); {@code -Dbench.missed=1} true pairs blocking never offered, with the
 * number a few candidate keys would catch; {@code -Dbench.ceiling=1} the recall reachable through
 * pairs that each reach the merge threshold, and the records no such pair reaches, by source and by
 * the attributes they carry; {@code -Dbench.model=1} the trained model; {@code
 * -Dbench.calibration=N} the N most common evidence patterns among blocked pairs, each with the
 * model's mean probability against the true share of matches; {@code -Dbench.bound=1} the recall no
 * matcher could pass on the dataset's data: true pairs joined through blocked pairs at all, the
 * true pairs blocking cannot join by what the two records share, and the recall left when no
 * household-ambiguous record may be merged on its phone.
 */
public final class MatchBench {

  static final double MERGE = Double.parseDouble(System.getProperty("bench.merge", "0.95"));
  static final double REVIEW = 0.50;

  /** As the hub's defaults in config/mdm/match.yaml (block-cap, max-candidates). */
  static final int BLOCK_CAP = 200;

  static final int MAX_CANDIDATES = Integer.getInteger("bench.candidates", 50);
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
    boolean missed =
        System.getProperty("bench.missed") != null
            || System.getProperty("bench.calibration") != null
            || System.getProperty("bench.bound") != null
            || name.startsWith("chinese");
    long truePairsBlocked = 0;
    for (int i = 0; i < records.size(); i++) {
      for (int c : trainingIndex.addAndFindCandidates(i, MatchKeys.of(records.get(i)))) {
        if (missed || pairs.size() < MAX_TRAINING_PAIRS) {
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
    long training = System.nanoTime();
    MatchModel model =
        ModelTrainer.defaults().train(records, TrainingPairs.defaults().sessions(records));
    System.out.printf(
        "%-16s trained on %d records in %.1f s (as POST /api/v1/match-models does)%n",
        name, records.size(), (System.nanoTime() - training) / 1e9);
    if (System.getProperty("bench.model") != null) {
      System.out.println(model.describe());
    }
    if (System.getProperty("bench.calibration") != null) {
      printCalibration(data, pairs, model);
    }
    // the bound the targets are stated against: always for the Chinese set
    double bound = Double.NaN;
    if (System.getProperty("bench.bound") != null || name.startsWith("chinese")) {
      bound = printHouseholdBound(data, pairs);
    }

    long start = System.nanoTime();
    MemberClustering clusterer =
        new MemberClustering(
            new MemberMatcher(model, new MatchThresholds(MERGE, REVIEW), "trained on " + name),
            BLOCK_CAP,
            MAX_CANDIDATES);
    for (MatchRecord record : records) {
      clusterer.add(record);
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    long truePairs = pairsWithin(groupSizes(data, i -> data.get(i).entity()));
    long predictedPairs = pairsWithin(groupSizes(data, i -> "c" + clusterer.memberOf(i)));
    long truePositive =
        pairsWithin(groupSizes(data, i -> data.get(i).entity() + "|" + clusterer.memberOf(i)));
    double precision = predictedPairs == 0 ? 1 : (double) truePositive / predictedPairs;
    double recall = truePairs == 0 ? 1 : (double) truePositive / truePairs;
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    double allPairs = (double) records.size() * (records.size() - 1) / 2.0;
    int largest = clusterer.members().stream().mapToInt(List::size).max().orElse(0);
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
                            : data.get(i).household() + "|" + clusterer.memberOf(i)))
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
                                + clusterer.memberOf(i)));
    System.out.printf(
        "%-16s %7d %9.4f %9.4f %9.4f %8.3f%% %10.4f %9d %9d %8d %10.0f %9d %9s%n",
        name,
        records.size(),
        precision,
        recall,
        f1,
        100.0 * clusterer.comparisons() / allPairs,
        truePairs == 0 ? 1 : (double) truePairsBlocked / truePairs,
        largest,
        trueLargest,
        clusterer.openReviewPairs(),
        records.size() / seconds,
        peakHeapMegabytes(),
        data.stream().anyMatch(r -> r.household() != null) ? householdFalseMerges : "-");
    System.out.printf(
        "%-16s review pairs %.2f%% of records; F1 / zero-household bound %s%n",
        name,
        100.0 * clusterer.openReviewPairs() / records.size(),
        Double.isNaN(bound) ? "-" : String.format("%.4f / %.4f = %.3f", f1, bound, f1 / bound));
    if (name.startsWith("chinese")) {
      printRecallBySourcePair(data, clusterer);
    }
    if (System.getProperty("bench.errors") != null) {
      printErrors(data, clusterer, model, Integer.getInteger("bench.errors", 10));
    }
    if (System.getProperty("bench.ceiling") != null) {
      printCeiling(data, model);
    }
    if (clusterer.skippedBlocks() > 0) {
      System.out.printf(
          "%-16s %d blocks grew past the cap of %d%n", "", clusterer.skippedBlocks(), BLOCK_CAP);
    }
  }

  /**
   * Whether the model's probabilities are calibrated: blocked pairs grouped by the levels they
   * reach, each group's mean model probability against the share of true matches in it. Groups
   * whose true share is far from the model's show where the independence assumption fails.
   */
  private static void printCalibration(
      List<LabelledRecord> data, List<int[]> pairs, MatchModel model) {
    Map<String, double[]> groups = new HashMap<>();
    for (int[] p : pairs) {
      var score = model.score(data.get(p[0]).record(), data.get(p[1]).record());
      double[] g =
          groups.computeIfAbsent(
              com.onemember.mdm.scoring.EvidencePattern.of(score.breakdown()), k -> new double[3]);
      g[0]++;
      g[1] += score.probability();
      g[2] += data.get(p[0]).entity().equals(data.get(p[1]).entity()) ? 1 : 0;
    }
    System.out.printf("%8s %8s %8s  %s%n", "pairs", "model p", "true", "levels");
    groups.entrySet().stream()
        .filter(e -> e.getValue()[2] >= 20)
        .sorted((a, b) -> Double.compare(b.getValue()[2], a.getValue()[2]))
        .limit(Integer.getInteger("bench.calibration", 60))
        .forEach(
            e ->
                System.out.printf(
                    "%8.0f %8.4f %8.4f  %s%n",
                    e.getValue()[0],
                    e.getValue()[1] / e.getValue()[0],
                    e.getValue()[2] / e.getValue()[0],
                    e.getKey()));
  }

  /**
   * The recall no matcher can pass without merging across a household, whatever its weights: true
   * pairs joined through blocked pairs in which neither record is household-ambiguous, or which
   * share a personal identifier (unionid, e-mail) that a family does not share. A record is
   * household-ambiguous when it carries its household's phone and nothing in it (name, explicit
   * gender, birthday) rules out another member of the household, judged by what that member's own
   * records show.
   */
  private static double printHouseholdBound(List<LabelledRecord> data, List<int[]> pairs) {
    Map<String, Map<String, List<MatchRecord>>> households = new HashMap<>();
    for (LabelledRecord r : data) {
      if (r.household() != null) {
        households
            .computeIfAbsent(r.household(), k -> new HashMap<>())
            .computeIfAbsent(r.entity(), k -> new ArrayList<>())
            .add(r.record());
      }
    }
    boolean[] ambiguous = new boolean[data.size()];
    int ambiguousRecords = 0;
    for (int i = 0; i < data.size(); i++) {
      LabelledRecord r = data.get(i);
      if (r.household() == null
          || (r.record().mobiles().isEmpty() && r.record().maskedMobiles().isEmpty())) {
        continue;
      }
      for (Map.Entry<String, List<MatchRecord>> other : households.get(r.household()).entrySet()) {
        if (!other.getKey().equals(r.entity()) && compatible(r.record(), other.getValue())) {
          ambiguous[i] = true;
          ambiguousRecords++;
          break;
        }
      }
    }
    int[] parent = new int[data.size()];
    int[] blocked = new int[data.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
      blocked[i] = i;
    }
    for (int[] p : pairs) {
      if (data.get(p[0]).entity().equals(data.get(p[1]).entity())) {
        blocked[find(blocked, p[0])] = find(blocked, p[1]);
      }
    }
    long throughBlocking =
        pairsWithin(groupSizes(data, i -> data.get(i).entity() + "|" + find(blocked, i)));
    Map<String, List<Integer>> byEntity = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      byEntity.computeIfAbsent(data.get(i).entity(), k -> new ArrayList<>()).add(i);
    }
    Map<String, Integer> unjoined = new java.util.TreeMap<>();
    for (List<Integer> ids : byEntity.values()) {
      for (int x = 0; x < ids.size(); x++) {
        for (int y = x + 1; y < ids.size(); y++) {
          if (find(blocked, ids.get(x)) != find(blocked, ids.get(y))) {
            unjoined.merge(
                shared(data.get(ids.get(x)).record(), data.get(ids.get(y)).record()),
                1,
                Integer::sum);
          }
        }
      }
    }
    unjoined.forEach(
        (k, v) -> System.out.printf("  true pairs blocking cannot join, sharing %-28s %d%n", k, v));
    for (int[] p : pairs) {
      LabelledRecord a = data.get(p[0]);
      LabelledRecord b = data.get(p[1]);
      if (!a.entity().equals(b.entity())) {
        continue;
      }
      boolean personal =
          a.record().unionids().stream().anyMatch(b.record().unionids()::contains)
              || a.record().emails().stream().anyMatch(b.record().emails()::contains);
      if (personal || (!ambiguous[p[0]] && !ambiguous[p[1]])) {
        parent[find(parent, p[0])] = find(parent, p[1]);
      }
    }
    long reachable =
        pairsWithin(groupSizes(data, i -> data.get(i).entity() + "|" + find(parent, i)));
    long all = pairsWithin(groupSizes(data, i -> data.get(i).entity()));
    System.out.printf(
        "household bound: blocked pairs join %d true pairs (recall %.4f); %d household-ambiguous"
            + " records; %d of %d true pairs reachable without them (recall %.4f, F1 at precision"
            + " 1: %.4f)%n",
        throughBlocking,
        (double) throughBlocking / pairsWithin(groupSizes(data, i -> data.get(i).entity())),
        ambiguousRecords,
        reachable,
        all,
        (double) reachable / all,
        2.0 * reachable / all / (1 + (double) reachable / all));
    return 2.0 * reachable / all / (1 + (double) reachable / all);
  }

  /** Recall of the true pairs between each pair of source kinds (till, web shop, WeChat, sheet). */
  private static void printRecallBySourcePair(
      List<LabelledRecord> data, MemberClustering clusterer) {
    Map<String, List<Integer>> byEntity = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      byEntity.computeIfAbsent(data.get(i).entity(), k -> new ArrayList<>()).add(i);
    }
    Map<String, long[]> counts = new java.util.TreeMap<>();
    for (List<Integer> ids : byEntity.values()) {
      for (int x = 0; x < ids.size(); x++) {
        for (int y = x + 1; y < ids.size(); y++) {
          String a = sourceKind(data.get(ids.get(x)).record());
          String b = sourceKind(data.get(ids.get(y)).record());
          long[] c =
              counts.computeIfAbsent(
                  a.compareTo(b) <= 0 ? a + "~" + b : b + "~" + a, k -> new long[2]);
          c[0]++;
          if (clusterer.memberOf(ids.get(x)) == clusterer.memberOf(ids.get(y))) {
            c[1]++;
          }
        }
      }
    }
    StringBuilder line = new StringBuilder("  recall by source pair:");
    counts.forEach(
        (k, c) -> line.append(String.format(" %s %.3f (%d)", k, (double) c[1] / c[0], c[0])));
    System.out.println(line);
  }

  /**
   * pos, web, wechat-mp, wechat-oa (followers) or sheet, from a generated record's id; {@code -}
   * for the public datasets, whose ids name no source.
   */
  private static String sourceKind(MatchRecord r) {
    String id = r.id();
    if (id.indexOf(':') < 0) {
      return "-";
    }
    if (id.startsWith("wechat")) {
      return id.contains(":oW") ? "wechat-mp" : "wechat-oa";
    }
    return id.startsWith("pos") ? "pos" : id.startsWith("web") ? "web" : "sheet";
  }

  /** What two records share that could tell a person: the strongest such attribute. */
  private static String shared(MatchRecord a, MatchRecord b) {
    if (a.mobiles().stream().anyMatch(b.mobiles()::contains)) {
      return "a phone";
    }
    if (a.unionids().stream().anyMatch(b.unionids()::contains)) {
      return "a unionid";
    }
    if (a.emails().stream().anyMatch(b.emails()::contains)) {
      return "an e-mail";
    }
    if (!a.maskedForms().isEmpty()
        && a.maskedForms().stream().anyMatch(b.maskedForms()::contains)) {
      return "a masked phone";
    }
    if (a.givenPinyin() != null && a.givenPinyin().equals(b.givenPinyin())) {
      return "a given name";
    }
    if (a.birthday() != null && b.birthday() != null && a.birthday().agreesWith(b.birthday())) {
      return "a birthday";
    }
    if (a.surnamePinyin() != null && a.surnamePinyin().equals(b.surnamePinyin())) {
      return "only a surname";
    }
    return "nothing that names a person";
  }

  /** Whether nothing in {@code r} rules out the person whose records are {@code theirs}. */
  private static boolean compatible(MatchRecord r, List<MatchRecord> theirs) {
    java.util.Set<String> names = new java.util.HashSet<>();
    java.util.Set<Object> genders = new java.util.HashSet<>();
    java.util.Set<String> birthdays = new java.util.HashSet<>();
    for (MatchRecord t : theirs) {
      if (t.surnamePinyin() != null) {
        names.add(t.surnamePinyin());
      }
      if (t.givenPinyin() != null) {
        names.add(t.givenPinyin());
      }
      if (t.gender() != null && !t.gender().name().equals("UNKNOWN")) {
        genders.add(t.gender());
      }
      if (t.birthday() != null) {
        birthdays.add(t.birthday().month() + "-" + t.birthday().day());
      }
    }
    for (String name : java.util.Arrays.asList(r.surnamePinyin(), r.givenPinyin())) {
      if (name != null && !names.isEmpty() && !names.contains(name)) {
        return false;
      }
    }
    if (r.gender() != null
        && !r.gender().name().equals("UNKNOWN")
        && !genders.isEmpty()
        && !genders.contains(r.gender())) {
      return false;
    }
    return r.birthday() == null
        || birthdays.isEmpty()
        || birthdays.contains(r.birthday().month() + "-" + r.birthday().day());
  }

  /** Sample false merges and missed matches with their score breakdown, to see what to fix. */
  private static void printErrors(
      List<LabelledRecord> data, MemberClustering clusterer, MatchModel model, int limit) {
    Map<Integer, List<Integer>> byCluster = new HashMap<>();
    Map<String, List<Integer>> byEntity = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      byCluster.computeIfAbsent(clusterer.memberOf(i), k -> new ArrayList<>()).add(i);
      byEntity.computeIfAbsent(data.get(i).entity(), k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> ids : byCluster.values()) {
      for (int x = 0; x < ids.size(); x++) {
        for (int y = x + 1; y < ids.size(); y++) {
          LabelledRecord a = data.get(ids.get(x));
          LabelledRecord b = data.get(ids.get(y));
          if (a.household() != null
              && a.household().equals(b.household())
              && !a.entity().equals(b.entity())) {
            System.out.println("HOUSEHOLD MERGE " + describe(model, a, b));
          }
        }
      }
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
        String skip = System.getProperty("bench.skip", "\u0000");
        if (clusterer.memberOf(i) != clusterer.memberOf(j)
            && !data.get(i).record().id().startsWith(skip)
            && !data.get(j).record().id().startsWith(skip)) {
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

  /**
   * The recall a perfect clusterer could reach with this model: true pairs joined by a chain of
   * pairs that each reach the merge threshold, and the records of a member that no such pair
   * reaches, by source and by the attributes they carry.
   */
  private static void printCeiling(List<LabelledRecord> data, MatchModel model) {
    Map<String, List<Integer>> byEntity = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      byEntity.computeIfAbsent(data.get(i).entity(), k -> new ArrayList<>()).add(i);
    }
    long reachable = 0;
    long all = 0;
    Map<String, Integer> lonely = new java.util.TreeMap<>();
    for (List<Integer> ids : byEntity.values()) {
      int n = ids.size();
      if (n < 2) {
        continue;
      }
      int[] parent = new int[n];
      for (int x = 0; x < n; x++) {
        parent[x] = x;
      }
      boolean[] linked = new boolean[n];
      for (int x = 0; x < n; x++) {
        for (int y = x + 1; y < n; y++) {
          if (model
                  .score(data.get(ids.get(x)).record(), data.get(ids.get(y)).record())
                  .probability()
              >= MERGE) {
            linked[x] = linked[y] = true;
            parent[find(parent, x)] = find(parent, y);
          }
        }
      }
      Map<Integer, Integer> sizes = new HashMap<>();
      for (int x = 0; x < n; x++) {
        sizes.merge(find(parent, x), 1, Integer::sum);
        if (!linked[x]) {
          MatchRecord r = data.get(ids.get(x)).record();
          String shape = sourceKind(r);
          String features =
              (r.surname() != null ? "S" : "-")
                  + (r.givenName() != null ? "G" : "-")
                  + (r.birthday() != null ? "B" : "-")
                  + (!r.mobiles().isEmpty() ? "M" : !r.maskedMobiles().isEmpty() ? "m" : "-")
                  + (r.addressLine() != null ? "A" : "-")
                  + (!r.emails().isEmpty() ? "E" : "-")
                  + (!r.unionids().isEmpty() ? "U" : "-");
          lonely.merge(shape + " " + features, 1, Integer::sum);
        }
      }
      for (int s : sizes.values()) {
        reachable += (long) s * (s - 1) / 2;
      }
      for (int x = 0; x < n; x++) {
        for (int y = x + 1; y < n; y++) {
          if (find(parent, x) != find(parent, y)) {
            String sa = sourceKind(data.get(ids.get(x)).record());
            String sb = sourceKind(data.get(ids.get(y)).record());
            lonely.merge(
                "pair " + (sa.compareTo(sb) < 0 ? sa + "~" + sb : sb + "~" + sa), 1, Integer::sum);
          }
        }
      }
      all += (long) n * (n - 1) / 2;
    }
    System.out.printf(
        "ceiling: %d of %d true pairs reachable by pairs with p >= %.2f (recall %.4f)%n",
        reachable, all, MERGE, (double) reachable / all);
    lonely.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(60)
        .forEach(e -> System.out.printf("  unreached %-32s %d%n", e.getKey(), e.getValue()));
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
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
    Map<String, Integer> wouldCatch = new java.util.TreeMap<>();
    int missed = 0;
    for (List<Integer> ids : byEntity.values()) {
      for (int x = 0; x < ids.size(); x++) {
        for (int y = x + 1; y < ids.size(); y++) {
          if (!offered.contains(((long) ids.get(x) << 32) | ids.get(y))) {
            missed++;
            Map<String, String> ka = candidateKeys(data.get(ids.get(x)).record());
            Map<String, String> kb = candidateKeys(data.get(ids.get(y)).record());
            ka.forEach(
                (family, v) -> {
                  if (v.equals(kb.get(family))) {
                    wouldCatch.merge(family, 1, Integer::sum);
                  }
                });
          }
        }
      }
    }
    System.out.println("missed pairs: " + missed);
    wouldCatch.forEach((k, v) -> System.out.printf("  would catch %-24s %d%n", k, v));
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

  private static Map<String, String> candidateKeys(MatchRecord r) {
    Map<String, String> k = new HashMap<>();
    String s = r.surname();
    String g = r.givenName();
    var b = r.birthday();
    if (s != null) {
      k.put("surname", s);
      if (s.length() >= 3) {
        k.put("surname3+given1", s.substring(0, 3) + (g == null ? "" : g.substring(0, 1)));
      }
    }
    if (g != null) {
      k.put("given", g);
    }
    if (b != null && b.hasYear()) {
      k.put("birthday", b.toString());
      k.put("year", "" + b.year());
      if (g != null) {
        k.put("given+year", g + b.year());
      }
      if (s != null) {
        k.put("surname+year", s + b.year());
      }
    }
    if (b != null && s != null) {
      k.put("surname+monthday", s + b.month() + "-" + b.day());
    }
    if (r.postcode() != null) {
      k.put("postcode", r.postcode());
      String out = r.postcode().split(" ")[0];
      if (g != null) {
        k.put("given+outward", g + out);
      }
      if (s != null) {
        k.put("surname+outward", s + out);
      }
    }
    if (r.city() != null) {
      k.put("city", r.city());
      if (g != null && s != null) {
        k.put("city+initials", r.city() + g.charAt(0) + s.charAt(0));
      }
    }
    if (g != null && s != null && g.length() >= 2 && s.length() >= 2) {
      k.put("given2+surname2", g.substring(0, 2) + s.substring(0, 2));
    }
    return k;
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
