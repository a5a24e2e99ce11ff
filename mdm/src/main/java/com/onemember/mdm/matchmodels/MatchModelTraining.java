package com.onemember.mdm.matchmodels;

import com.onemember.mdm.blocking.TrainingPairs;
import com.onemember.mdm.matching.MatchThresholds;
import com.onemember.mdm.scoring.EvidencePattern;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.ModelTrainer;
import com.onemember.mdm.scoring.PairScore;
import com.onemember.mdm.scoring.TrainingSession;
import com.onemember.mdm.stewardship.StewardshipRefused;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Makes candidate models, as an explicit action: weights estimated on the hub's own stored records
 * (EM, no labels, {@link ModelTrainer}), or the active weights under other thresholds. The result
 * is stored under its version and decides nothing until a person activates it.
 */
@Service
public class MatchModelTraining {

  private static final Logger log = LoggerFactory.getLogger(MatchModelTraining.class);

  /** Training pairs scored for the calibration table at most: enough for every common pattern. */
  static final int CALIBRATION_PAIRS = 200_000;

  /** Evidence patterns kept in the calibration table, most frequent first. */
  static final int CALIBRATION_PATTERNS = 40;

  private final JdbcTemplate jdbc;
  private final MatchModelStore store;
  private final MatchEngine engine;
  private final Clock clock;

  public MatchModelTraining(
      JdbcTemplate jdbc, MatchModelStore store, MatchEngine engine, Clock clock) {
    this.jdbc = jdbc;
    this.store = store;
    this.engine = engine;
    this.clock = clock;
  }

  /**
   * Estimates weights on the most recent {@code train-max-records} stored records, applies
   * match.yaml's overrides and stores the model with {@code thresholds} (the active ones when
   * {@code null}).
   *
   * @throws StewardshipRefused when the hub holds fewer than {@code train-min-records} records
   */
  public StoredMatchModel train(MatchThresholds thresholds, String actor) {
    MatchSettings settings = engine.settings();
    StoredRecords stored = StoredRecords.latest(jdbc, settings.trainMaxRecords());
    int n = stored.records().size();
    if (n < settings.trainMinRecords()) {
      throw new StewardshipRefused(
          false,
          "库中只有 "
              + n
              + " 条来源记录，至少需要 "
              + settings.trainMinRecords()
              + " 条才能训练 / the hub holds "
              + n
              + " source records; training needs at least "
              + settings.trainMinRecords()
              + " (onemember.match.train-min-records) for estimates worth using");
    }
    long started = System.nanoTime();
    List<TrainingSession> sessions = TrainingPairs.defaults().sessions(stored.records());
    MatchModel model =
        ModelTrainer.defaults()
            .train(stored.records(), sessions)
            .withOverrides(MatchEngine.overrides(settings));
    List<int[]> pairs = distinctPairs(sessions);
    StoredMatchModel made =
        store.save(
            StoredMatchModel.of(
                model,
                thresholds == null ? engine.matcher().thresholds() : thresholds,
                "trained on " + n + " stored records",
                n,
                pairs.size(),
                calibration(stored, pairs, model, engine.matcher().model()),
                clock.instant(),
                actor));
    log.info(
        "Trained match model {} on {} records and {} pairs in {} ms, for {}",
        made.version(),
        n,
        pairs.size(),
        (System.nanoTime() - started) / 1_000_000,
        actor);
    return made;
  }

  /** The active weights under other thresholds: a threshold change is a model version too. */
  public StoredMatchModel withThresholds(MatchThresholds thresholds, String actor) {
    String active = engine.matcher().version();
    StoredMatchModel current = store.find(active).orElseThrow();
    return store.save(
        StoredMatchModel.of(
            current.model(),
            thresholds,
            "the weights of " + active + " with other thresholds",
            current.trainedRecords(),
            current.trainingPairs(),
            current.calibration(),
            clock.instant(),
            actor));
  }

  private static List<int[]> distinctPairs(List<TrainingSession> sessions) {
    Set<Long> seen = new HashSet<>();
    List<int[]> out = new ArrayList<>();
    for (TrainingSession s : sessions) {
      for (int[] p : s.pairs()) {
        long key = ((long) Math.min(p[0], p[1]) << 32) | Math.max(p[0], p[1]);
        if (seen.add(key)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /**
   * The training pairs (an even sample of at most {@value #CALIBRATION_PAIRS}) grouped by evidence
   * pattern under the new weights: the most frequent patterns with the mean probability each model
   * gives them.
   */
  static List<CalibrationRow> calibration(
      StoredRecords stored, List<int[]> pairs, MatchModel model, MatchModel active) {
    int step = Math.max(1, pairs.size() / CALIBRATION_PAIRS);
    Map<String, double[]> groups = new HashMap<>();
    for (int i = 0; i < pairs.size(); i += step) {
      int[] p = pairs.get(i);
      PairScore score = model.score(stored.records().get(p[0]), stored.records().get(p[1]));
      if (score.rule() != null) {
        continue;
      }
      double before =
          active.score(stored.records().get(p[0]), stored.records().get(p[1])).probability();
      double[] g =
          groups.computeIfAbsent(EvidencePattern.of(score.breakdown()), k -> new double[3]);
      g[0]++;
      g[1] += score.probability();
      g[2] += before;
    }
    return groups.entrySet().stream()
        .sorted(
            (a, b) ->
                a.getValue()[0] == b.getValue()[0]
                    ? a.getKey().compareTo(b.getKey())
                    : Double.compare(b.getValue()[0], a.getValue()[0]))
        .limit(CALIBRATION_PATTERNS)
        .map(
            e ->
                new CalibrationRow(
                    e.getKey(),
                    (int) e.getValue()[0],
                    e.getValue()[1] / e.getValue()[0],
                    e.getValue()[2] / e.getValue()[0]))
        .toList();
  }
}
