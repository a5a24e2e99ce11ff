package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.camel.ErrorHandling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The connector route templates in a Camel context of their own (Camel Test): for each enabled
 * polling connector a timer route named by its id, ticking at its schedule, and a sync route from
 * its transport's template (Camel's {@code sql} component over the instance's database for a JDBC
 * kind); none for a disabled or a push connector. The timers' calls of the sync are advised to
 * record them, and for one connector to fail: the periodic policy handles the failure and the next
 * tick calls again. The syncs themselves need the hub's database and broker: ConnectorsIT runs
 * them.
 */
class ConnectorRoutesTest extends CamelTestSupport {

  @TempDir static Path dir;

  /** The connector ids whose sync the timers called, in order. */
  private final List<String> polled = new CopyOnWriteArrayList<>();

  @Override
  public boolean isUseAdviceWith() {
    return true;
  }

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
    return new RoutesBuilder[] {new ErrorHandling(), new ConnectorRoutes(registry, null)};
  }

  @Test
  void eachEnabledPollingConnectorGetsItsOwnRoutesAndAFailedPollDoesNotStopIt() throws Exception {
    for (String id : List.of("pos-fast", "pos-broken")) {
      AdviceWith.adviceWith(
          context,
          id,
          a ->
              a.interceptSendToEndpoint("direct:connector-sync-" + id)
                  .skipSendToOriginalEndpoint()
                  .process(
                      exchange -> {
                        polled.add(id);
                        if (id.equals("pos-broken")) {
                          throw new IllegalStateException("the hub's database went away");
                        }
                      }));
    }
    context.start();

    assertThat(context.getRoutes())
        .extracting(Route::getRouteId)
        .containsExactlyInAnyOrder("pos-fast", "pos-fast-sync", "pos-broken", "pos-broken-sync");
    assertThat(context.getRoute("pos-fast").getEndpoint().getEndpointUri())
        .contains("timer://connector-pos-fast")
        .contains("period=1000");
    assertThat(context.getRoute("pos-broken").getConfigurationId())
        .isEqualTo(ErrorHandling.PERIODIC_ID);
    assertThat(context.getRoute("pos-fast-sync").getEndpoint().getEndpointUri())
        .isEqualTo("direct://connector-sync-pos-fast");
    assertThat(context.getEndpoints())
        .extracting(Endpoint::getEndpointUri)
        .anySatisfy(
            uri ->
                assertThat(uri)
                    .startsWith("sql://select")
                    .contains("connector-pos-fast-database")
                    .contains("outputType=StreamList"));
    assertThat(context.getRegistry().lookupByName("connector-pos-broken-database"))
        .isInstanceOf(ConnectorDataSource.class);

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
