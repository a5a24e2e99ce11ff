package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.hub.support.HubIT;
import com.onemember.mdm.ingest.MatchEngine;
import com.onemember.mdm.ingest.MatchSettings;
import com.onemember.mdm.scoring.Comparison;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where the hub's model comes from: the shipped one on a young hub, its own records once there are
 * enough, and an operator's overrides on top; bad settings stop start-up with a clear message.
 */
class MatchEngineIT extends HubIT {

  @Autowired JdbcTemplate jdbc;

  @Test
  void aHubWithEnoughRecordsTrainsItsOwnModelOnThem() throws Exception {
    importAndWait(
        "pos-store-71",
        "pos.csv",
        com.onemember.hub.support.MemberSheet.aSheet("姓名", "手机号", "性别", "生日")
            .row("郑秀文", "13807110001", "女", "1972-08-16")
            .row("郑秀文", "13807110001", "女", "1972-08-16")
            .row("梁朝伟", "13807110002", "男", "1962-06-27")
            .gbkCsv());
    long stored = jdbc.queryForObject("select count(*) from source_record", Long.class);

    MatchEngine engine = new MatchEngine(settings(1, Map.of()), jdbc);

    assertThat(engine.origin()).isEqualTo("trained on " + stored + " stored records");
    assertThat(engine.matcher().model().prior()).isBetween(0.0, 1.0);
  }

  @Test
  void aYoungHubUsesTheShippedModelWithTheOperatorsOverrides() {
    MatchEngine engine =
        new MatchEngine(
            settings(
                Integer.MAX_VALUE,
                Map.of(
                    "mobile",
                    Map.of("a number in common", new MatchSettings.LevelOverride(0.5, 0.25)))),
            jdbc);

    assertThat(engine.origin()).isEqualTo("shipped model classpath:mdm/match-model.tsv");
    assertThat(engine.matcher().model().weight(Comparison.MOBILE, 0)).isEqualTo(1.0);
  }

  @Test
  void anUnknownLevelInTheOverridesStopsStartUpNamingTheKnownOnes() {
    assertThatThrownBy(
            () ->
                new MatchEngine(
                    settings(
                        Integer.MAX_VALUE,
                        Map.of(
                            "MOBILE",
                            Map.of("same number", new MatchSettings.LevelOverride(0.5, 0.25)))),
                    jdbc))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unknown level \"same number\"")
        .hasMessageContaining("a number in common");
  }

  private static MatchSettings settings(
      int trainMinRecords, Map<String, Map<String, MatchSettings.LevelOverride>> overrides) {
    return new MatchSettings(
        0.95, 0.5, 200, 50, "classpath:mdm/match-model.tsv", trainMinRecords, 200_000, overrides);
  }
}
