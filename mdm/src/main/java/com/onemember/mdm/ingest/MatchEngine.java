package com.onemember.mdm.ingest;

import com.onemember.mdm.blocking.TrainingPairs;
import com.onemember.mdm.matching.MatchThresholds;
import com.onemember.mdm.matching.MemberMatcher;
import com.onemember.mdm.scoring.Comparison;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchModelText;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.scoring.ModelTrainer;
import com.onemember.mdm.store.RecordJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The hub's matcher: the model and thresholds of {@code onemember.match}. At start-up a hub with
 * enough stored records trains its own model on them (EM, no labels), since its sources' habits are
 * what the weights should reflect; a young hub uses the shipped model, trained the same way on a
 * generated Chinese population. An operator's overrides apply to either.
 */
@Component
public class MatchEngine {

  private static final Logger log = LoggerFactory.getLogger(MatchEngine.class);

  private final MatchSettings settings;
  private final MemberMatcher matcher;
  private final String origin;

  public MatchEngine(MatchSettings settings, JdbcTemplate jdbc) {
    this.settings = settings;
    MatchThresholds thresholds =
        new MatchThresholds(settings.mergeProbability(), settings.reviewProbability());
    long stored = jdbc.queryForObject("select count(*) from source_record", Long.class);
    MatchModel model;
    if (stored >= settings.trainMinRecords()) {
      model = trainOnStoredRecords(jdbc);
      origin = "trained on " + Math.min(stored, settings.trainMaxRecords()) + " stored records";
    } else {
      model = load(settings.model());
      origin = "shipped model " + settings.model();
    }
    model = model.withOverrides(overrides(settings));
    this.matcher = new MemberMatcher(model, thresholds, version(model, thresholds));
    log.info(
        "Matching with model version {}: the {} (merge ≥ {}, review ≥ {}, {} level overrides)",
        matcher.version(),
        origin,
        thresholds.merge(),
        thresholds.review(),
        settings.overrides().values().stream().mapToInt(Map::size).sum());
  }

  public MemberMatcher matcher() {
    return matcher;
  }

  public MatchSettings settings() {
    return settings;
  }

  /**
   * The version that names a model and its thresholds: the first 12 hex digits of the SHA-256 of
   * the model's text (every weight, the prior and the term frequencies, overrides applied) and the
   * thresholds. The same weights and thresholds always give the same version, on any hub; any
   * change of them gives another.
   */
  static String version(MatchModel model, MatchThresholds thresholds) {
    String text =
        MatchModelText.write(model)
            + "merge\t"
            + thresholds.merge()
            + "\nreview\t"
            + thresholds.review()
            + "\n";
    return RecordJson.sha256(text).substring(0, 12);
  }

  /** Where the model came from, for logs and operators. */
  public String origin() {
    return origin;
  }

  private MatchModel trainOnStoredRecords(JdbcTemplate jdbc) {
    List<MatchRecord> records = new ArrayList<>();
    jdbc.query(
        "select clean::text from source_record order by id desc limit ?",
        rs -> {
          records.add(MatchRecords.of(RecordJson.clean(rs.getString(1))));
        },
        settings.trainMaxRecords());
    return ModelTrainer.defaults().train(records, TrainingPairs.defaults().sessions(records));
  }

  static MatchModel load(String location) {
    Resource resource = new DefaultResourceLoader().getResource(location);
    try (InputStream in = resource.getInputStream()) {
      return MatchModelText.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the match model at " + location, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the match model at " + location + " does not fit this version: " + e.getMessage(), e);
    }
  }

  /** The operator's overrides by comparison and level index; unknown names fail start-up. */
  static Map<Comparison, Map<Integer, double[]>> overrides(MatchSettings settings) {
    Map<Comparison, Map<Integer, double[]>> out = new EnumMap<>(Comparison.class);
    settings
        .overrides()
        .forEach(
            (name, levels) -> {
              Comparison c;
              try {
                c = Comparison.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
              } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                    "onemember.match.overrides: unknown comparison "
                        + name
                        + "; known: "
                        + List.of(Comparison.values()));
              }
              levels.forEach(
                  (levelName, mu) -> {
                    int level = c.levels().indexOf(levelName);
                    if (level < 0) {
                      throw new IllegalStateException(
                          "onemember.match.overrides."
                              + name
                              + ": unknown level \""
                              + levelName
                              + "\"; known: "
                              + c.levels());
                    }
                    if (!(mu.m() > 0 && mu.m() < 1 && mu.u() > 0 && mu.u() < 1)) {
                      throw new IllegalStateException(
                          "onemember.match.overrides."
                              + name
                              + "."
                              + levelName
                              + ": m and u must be probabilities strictly between 0 and 1");
                    }
                    out.computeIfAbsent(c, k -> new HashMap<>())
                        .put(level, new double[] {mu.m(), mu.u()});
                  });
            });
    return out;
  }
}
