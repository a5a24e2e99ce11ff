package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.matchmodels.MatchModelCommand;
import com.onemember.hub.support.HubIT;
import com.onemember.mdm.matchmodels.MatchEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code java -jar onemember-hub.jar match-model …} against the running hub over HTTP: what an IT
 * person reads, and the clear refusals for each misuse.
 */
class MatchModelCommandIT extends HubIT {

  @Autowired MatchEngine engine;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void listsTheModelsMarkingTheActiveOneAndShowsOne() {
    String active = engine.matcher().version();

    assertThat(run("list", "--url", baseUrl(), "--token", TOKEN)).isZero();
    assertThat(out()).contains("* " + active).contains("shipped model");

    assertThat(run("show", active, "--url", baseUrl(), "--token", TOKEN)).isZero();
    assertThat(out()).contains(active + " (active)");
  }

  @Test
  void aThresholdChangeIsStoredNotActivatedAndItsDryRunIsReadable() {
    String active = engine.matcher().version();

    assertThat(
            run(
                "thresholds",
                "--merge",
                "0.97",
                "--review",
                "0.6",
                "--url",
                baseUrl(),
                "--token",
                TOKEN))
        .isZero();
    String printed = out();
    assertThat(printed).contains("stored model ").contains("not active");
    String version = printed.replaceAll("(?s).*stored model ([0-9a-f]{12}).*", "$1");
    assertThat(engine.matcher().version()).isEqualTo(active);

    out.reset();
    assertThat(run("impact", version, "--url", baseUrl(), "--token", TOKEN)).isZero();
    assertThat(out()).contains("dry run of " + version + " against the active " + active);
  }

  @Test
  void misuseIsRefusedWithAReason() {
    assertThat(run("reshuffle", "--url", baseUrl(), "--token", TOKEN)).isEqualTo(2);
    assertThat(err()).contains("unknown command reshuffle").contains("usage:");

    assertThat(run("activate", "0123456789ab", "--url", baseUrl(), "--token", TOKEN)).isEqualTo(2);
    assertThat(err()).contains("activate needs a version and --reason");

    assertThat(run("thresholds", "--merge", "high", "--url", baseUrl(), "--token", TOKEN))
        .isEqualTo(2);
    assertThat(err()).contains("not a probability");

    assertThat(run("list", "--url", baseUrl(), "--token", "not-the-token")).isEqualTo(1);
    assertThat(err()).contains("HTTP 401");

    assertThat(run("show", "0123456789ab", "--url", baseUrl(), "--token", TOKEN)).isEqualTo(1);
    assertThat(err()).contains("HTTP 404");

    assertThat(run("list", "--url", "http://localhost:1", "--token", TOKEN)).isEqualTo(1);
    assertThat(err()).contains("cannot reach the hub at http://localhost:1");

    assertThat(run("list", "--token")).isEqualTo(2);
    assertThat(err()).contains("missing value for --token");
  }

  private int run(String... args) {
    err.reset();
    return MatchModelCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
