package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.hub.support.HubIT;
import com.onemember.mdm.matchmodels.MatchEngine;
import com.onemember.mdm.matchmodels.MatchModelStore;
import com.onemember.mdm.matchmodels.MatchSettings;
import com.onemember.mdm.scoring.Comparison;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Where the hub's model comes from at start-up: the active stored model, never a training of its
 * own. Thresholds and overrides in match.yaml that differ from it are stored as a proposal and not
 * used; bad settings stop start-up with a clear message.
 */
class MatchEngineIT extends HubIT {

  @Autowired MatchEngine running;
  @Autowired MatchModelStore store;
  @Autowired PlatformTransactionManager transactions;
  @Autowired com.onemember.mdm.matchmodels.MatchModelTraining training;
  @Autowired com.onemember.mdm.matchmodels.MatchModelActivation activation;

  @Test
  void aRestartDecidesWithTheActiveStoredModelWithoutTraining() {
    MatchEngine restarted = start(0.95, 0.5, Map.of());

    assertThat(restarted.matcher().version()).isEqualTo(running.matcher().version());
    assertThat(restarted.matcher().version()).isEqualTo(store.active().orElseThrow().version());
    assertThat(restarted.proposedVersion()).isNull();
  }

  @Test
  void otherThresholdsOrOverridesInMatchYamlAreStoredAsAProposalAndNotUsed() {
    String active = running.matcher().version();

    MatchEngine restarted =
        start(
            0.9,
            0.4,
            Map.of(
                "mobile",
                Map.of("a number in common", new MatchSettings.LevelOverride(0.5, 0.25))));

    assertThat(restarted.matcher().version()).isEqualTo(active);
    assertThat(restarted.matcher().thresholds().merge()).isEqualTo(0.95);
    String proposed = restarted.proposedVersion();
    assertThat(proposed).isNotNull().isNotEqualTo(active);
    var stored = store.find(proposed).orElseThrow();
    assertThat(stored.model().weight(Comparison.MOBILE, 0)).isEqualTo(1.0);
    assertThat(stored.thresholds().merge()).isEqualTo(0.9);
    assertThat(stored.createdBy()).isEqualTo("match.yaml");
    assertThat(store.active().orElseThrow().version()).isEqualTo(active);
  }

  /**
   * Two hubs share one database: a model a person activates on one decides on the other too, once
   * that one looks again ({@code follow-activations}; this engine looks at every call).
   */
  @Test
  void aModelActivatedOnAnotherHubDecidesHereToo() {
    MatchEngine otherHub = start(0.95, 0.5, Map.of());
    String before = otherHub.matcher().version();
    var stricter =
        training.withThresholds(
            new com.onemember.mdm.matching.MatchThresholds(0.99, 0.6), "it-steward");
    try {
      activation.activate(stricter.version(), "it-steward", "试用更严格的阈值 / stricter thresholds");

      assertThat(otherHub.matcher().version()).isEqualTo(stricter.version());
      assertThat(otherHub.matcher().thresholds().merge()).isEqualTo(0.99);
    } finally {
      activation.activate(before, "it-steward", "恢复 / the test restores the model");
    }
    assertThat(otherHub.matcher().version()).isEqualTo(before);
  }

  @Test
  void anUnknownLevelInTheOverridesStopsStartUpNamingTheKnownOnes() {
    assertThatThrownBy(
            () ->
                start(
                    0.95,
                    0.5,
                    Map.of(
                        "MOBILE",
                        Map.of("same number", new MatchSettings.LevelOverride(0.5, 0.25)))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unknown level \"same number\"")
        .hasMessageContaining("a number in common");
  }

  private MatchEngine start(
      double merge,
      double review,
      Map<String, Map<String, MatchSettings.LevelOverride>> overrides) {
    return new MatchEngine(
        new MatchSettings(
            merge,
            review,
            200,
            50,
            "classpath:mdm/match-model.tsv",
            1,
            200_000,
            200_000,
            java.time.Duration.ZERO,
            overrides),
        store,
        transactions,
        Clock.systemUTC());
  }
}
