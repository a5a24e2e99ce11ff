package com.onemember.mdm.model;

import com.onemember.mdm.bench.generator.ChineseMemberGenerator;
import com.onemember.mdm.bench.generator.GeneratedRecord;
import com.onemember.mdm.blocking.TrainingPairs;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchModelText;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.scoring.ModelTrainer;
import com.onemember.mdm.scoring.TermFrequencies;
import com.onemember.mdm.standardize.RecordStandardizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the shipped default model: EM without labels (the generator's ground truth is not read) on
 * 100,000 generated records of a seed other than the benchmark's, so the benchmark does not test on
 * its training data. Term frequencies rarer than 1 in 10,000 are left out: the hub treats an
 * unlisted name as unadjusted.
 *
 * <p>Run: {@code ./mvnw -q -pl mdm exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.onemember.mdm.model.DefaultModelExport
 * -Dexec.args=mdm/src/main/resources/mdm/match-model.tsv}
 */
public final class DefaultModelExport {

  static final long SEED = 2026;
  static final int RECORDS = 100_000;
  private static final double MIN_SHARE = 1e-4;

  private DefaultModelExport() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "mdm/src/main/resources/mdm/match-model.tsv");
    MatchModel model = train(RECORDS, SEED);
    Files.writeString(out, MatchModelText.write(model), StandardCharsets.UTF_8);
    System.out.println("wrote " + out.toAbsolutePath());
    System.out.println(model.describe());
  }

  static MatchModel train(int size, long seed) {
    RecordStandardizer standardizer = new RecordStandardizer();
    Instant now = Instant.parse("2026-11-01T00:00:00Z");
    List<MatchRecord> records = new ArrayList<>(size);
    for (GeneratedRecord g : new ChineseMemberGenerator(seed).generate(size)) {
      if (standardizer.standardize(g.record(), now) instanceof RecordStandardizer.Accepted a) {
        records.add(MatchRecords.of(a.record()));
      }
    }
    MatchModel model =
        ModelTrainer.defaults().train(records, TrainingPairs.defaults().sessions(records));
    Map<com.onemember.mdm.scoring.Comparison, Map<String, Double>> common =
        new EnumMap<>(com.onemember.mdm.scoring.Comparison.class);
    model
        .termFrequencies()
        .shares()
        .forEach(
            (c, shares) -> {
              Map<String, Double> kept = new HashMap<>();
              shares.forEach(
                  (v, share) -> {
                    if (share >= MIN_SHARE) {
                      kept.put(v, share);
                    }
                  });
              common.put(c, kept);
            });
    return model.withTermFrequencies(TermFrequencies.of(common));
  }
}
