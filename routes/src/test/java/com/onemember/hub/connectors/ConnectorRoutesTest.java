package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.camel.ErrorHandling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The connector route templates in a Camel context of their own (Camel Test): one route per enabled
 * polling connector, named by its id and ticking at its schedule; none for a disabled or a push
 * connector; and a poll that fails is logged and handled by the periodic policy, so the next tick
 * polls again.
 */
class ConnectorRoutesTest extends CamelTestSupport {

  @TempDir static Path dir;

  /** The connector ids the routes polled, in order. */
  private final List<String> polled = new CopyOnWriteArrayList<>();

  @Override
  protected RoutesBuilder[] createRouteBuilders() throws Exception {
    write(
        "pos-fast.yaml",
        "id: pos-fast\nkind: unicenta\nschedule: 1s\n"
            + "parameters: {jdbc-url: 'jdbc:postgresql://h/db', username: u, password: p}\n");
    write(
        "pos-broken.yaml",
        "id: pos-broken\nkind: ospos\nschedule: 1s\n"
            + "parameters: {jdbc-url: 'jdbc:mysql://h/db', username: u, password: p}\n");
    write(
        "pos-off.yaml",
        "id: pos-off\nkind: unicenta\nenabled: false\n"
            + "parameters: {jdbc-url: 'jdbc:postgresql://h/db', username: u, password: p}\n");
    write(
        "site-hook.yaml",
        "id: site-hook\nkind: custom-webhook\nparameters: {secret: 'a-secret-of-16-chars+'}\n");
    ConnectorRegistry registry =
        new ConnectorRegistry(
            new ConnectorSettings(dir, Duration.ofMinutes(5), 0.5), new MockEnvironment());
    ConnectorPolling polling =
        id -> {
          polled.add(id);
          if (id.equals("pos-broken")) {
            throw new IllegalStateException("the hub's database went away");
          }
        };
    return new RoutesBuilder[] {new ErrorHandling(), new ConnectorRoutes(registry, polling)};
  }

  @Test
  void eachEnabledPollingConnectorGetsItsOwnRouteAndAFailedPollDoesNotStopIt() {
    assertThat(context.getRoutes())
        .extracting(Route::getRouteId)
        .containsExactlyInAnyOrder("pos-fast", "pos-broken");
    assertThat(context.getRoute("pos-fast").getEndpoint().getEndpointUri())
        .contains("timer://connector-pos-fast")
        .contains("period=1000");
    assertThat(context.getRoute("pos-broken").getConfigurationId())
        .isEqualTo(ErrorHandling.PERIODIC_ID);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> polled.stream().filter("pos-broken"::equals).count() >= 3);
    assertThat(polled).contains("pos-fast").doesNotContain("pos-off", "site-hook");
    assertThat(context.getRouteController().getRouteStatus("pos-broken").isStarted()).isTrue();
  }

  private static void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name), text);
  }
}
