package com.onemember.mdm.matchmodels;

import com.onemember.mdm.matching.MatchThresholds;
import com.onemember.mdm.matching.MemberMatcher;
import com.onemember.mdm.scoring.Comparison;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchModelText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hub's matcher: the active stored model ({@link MatchModelStore}) with its thresholds. The hub
 * does not train at start-up: weights change only when a person activates another stored model
 * ({@link MatchModelActivation}). On a hub's first start the shipped model (trained without labels
 * on a generated Chinese population) with {@code match.yaml}'s thresholds and overrides is stored
 * and activated by {@value #SYSTEM}. When {@code match.yaml} later asks for other thresholds or
 * overrides, they are stored as a proposed model and the hub goes on with the active one until a
 * person activates the proposal.
 */
@Component
public class MatchEngine {

  private static final Logger log = LoggerFactory.getLogger(MatchEngine.class);

  /** The actor of what the hub does by itself: the first activation. */
  public static final String SYSTEM = "system";

  private final MatchSettings settings;
  private final MatchModelStore store;
  private final Clock clock;
  private volatile MemberMatcher matcher;
  private final String proposed;

  /** The activation the matcher stands for, and when to look for a newer one next. */
  private volatile long activationId;

  private volatile Instant nextCheck = Instant.MIN;

  public MatchEngine(
      MatchSettings settings,
      MatchModelStore store,
      PlatformTransactionManager transactions,
      Clock clock) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    Map<Comparison, Map<Integer, double[]>> overrides = overrides(settings);
    MatchThresholds configured = thresholds(settings);
    StoredMatchModel active =
        new TransactionTemplate(transactions)
            .execute(status -> activeOrShipped(store, configured, overrides, clock.instant()));
    use(active, store.active().orElseThrow().id());
    // what match.yaml asks for now, on the active weights: stored as a proposal when it differs
    StoredMatchModel asked =
        StoredMatchModel.of(
            active.model().withOverrides(overrides),
            configured,
            "match.yaml's thresholds and overrides on " + active.version(),
            active.trainedRecords(),
            active.trainingPairs(),
            List.of(),
            clock.instant(),
            "match.yaml");
    if (asked.version().equals(active.version())) {
      proposed = null;
    } else {
      proposed = store.save(asked).version();
      log.warn(
          "match.yaml asks for other thresholds or weights than the active model {}: stored as model"
              + " {}, not used until a person activates it (GET /api/v1/match-models/{}/impact,"
              + " then POST /api/v1/match-models/{}/activation)",
          active.version(),
          proposed,
          proposed,
          proposed);
    }
  }

  /**
   * The active model; on a first start, or when the active one no longer fits this version of the
   * hub's comparisons, the shipped model is stored and activated by {@value #SYSTEM}.
   */
  private StoredMatchModel activeOrShipped(
      MatchModelStore store,
      MatchThresholds thresholds,
      Map<Comparison, Map<Integer, double[]>> overrides,
      Instant now) {
    store.lockActivations();
    Optional<Activation> active = store.active();
    String reason = "first start: the shipped model with match.yaml's thresholds / 首次启动：使用随附模型";
    if (active.isPresent()) {
      StoredMatchModel stored = store.find(active.get().version()).orElseThrow();
      try {
        stored.model();
        return stored;
      } catch (IllegalArgumentException e) {
        reason =
            "the active model "
                + stored.version()
                + " does not fit this version of the hub ("
                + e.getMessage()
                + "): the shipped model replaces it / 原模型与当前版本不兼容，改用随附模型";
        log.warn("{}", reason);
      }
    }
    StoredMatchModel shipped =
        store.save(
            StoredMatchModel.of(
                load(settings.model()).withOverrides(overrides),
                thresholds,
                "shipped model " + settings.model(),
                null,
                null,
                List.of(),
                now,
                SYSTEM));
    store.recordActivation(
        shipped, active.map(Activation::version).orElse(null), SYSTEM, reason, null, null, now);
    return shipped;
  }

  /** From now on, every record is decided with {@code model}. */
  synchronized void use(StoredMatchModel model, long activation) {
    this.matcher = model.matcher();
    this.activationId = activation;
    this.nextCheck = clock.instant().plus(settings.followActivations());
    log.info(
        "Matching with model version {}: the {} (merge ≥ {}, review ≥ {})",
        model.version(),
        model.origin(),
        model.thresholds().merge(),
        model.thresholds().review());
  }

  /**
   * The matcher of the active model. Every {@code follow-activations} it first looks whether a
   * person activated another model meanwhile, on this hub or another sharing the database, and
   * switches to it: one indexed read of the latest activation.
   */
  public MemberMatcher matcher() {
    if (!clock.instant().isBefore(nextCheck)) {
      follow();
    }
    return matcher;
  }

  private synchronized void follow() {
    if (clock.instant().isBefore(nextCheck)) {
      return; // another thread looked meanwhile
    }
    nextCheck = clock.instant().plus(settings.followActivations());
    store
        .active()
        .filter(a -> a.id() != activationId)
        .ifPresent(
            a ->
                store
                    .find(a.version())
                    .ifPresent(
                        m -> {
                          log.info(
                              "Model {} was activated by {} at {}: deciding with it from now on",
                              a.version(),
                              a.activatedBy(),
                              a.activatedAt());
                          use(m, a.id());
                        }));
  }

  public MatchSettings settings() {
    return settings;
  }

  /**
   * The version match.yaml's thresholds and overrides gave at start-up when they differ from the
   * active model's, stored and waiting for a person to activate it; {@code null} when they agree.
   */
  public String proposedVersion() {
    return proposed;
  }

  static MatchThresholds thresholds(MatchSettings settings) {
    return new MatchThresholds(settings.mergeProbability(), settings.reviewProbability());
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
