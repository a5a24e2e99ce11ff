package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.frame.ConfigurationProblem;
import com.onemember.connectors.frame.InvalidConnectorConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * A connector's id is its route's id: an instance file that takes the id of one of the hub's own
 * routes, or of another connector's sync route, stops the start with the file and key named.
 */
class ConnectorRegistryTest {

  @TempDir Path dir;

  @Test
  void anIdTakenByAHubRouteOrAnotherConnectorsSyncRouteIsRefusedNamingTheFile() throws Exception {
    String params = "parameters: {jdbc-url: 'jdbc:postgresql://h/db', username: u, password: p}\n";
    Files.writeString(dir.resolve("sweep.yaml"), "id: tag-sweep\nkind: unicenta\n" + params);
    Files.writeString(dir.resolve("pos-a.yaml"), "id: pos-a\nkind: unicenta\n" + params);
    Files.writeString(dir.resolve("pos-a-sync.yaml"), "id: pos-a-sync\nkind: unicenta\n" + params);
    Files.writeString(dir.resolve("pos-b.yaml"), "id: pos-b\nkind: unicenta\n" + params);

    assertThatThrownBy(
            () ->
                new ConnectorRegistry(
                    new ConnectorSettings(dir, Duration.ofMinutes(5), 0.5), new MockEnvironment()))
        .isInstanceOfSatisfying(
            InvalidConnectorConfiguration.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigurationProblem::toString)
                    .hasSize(2)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("sweep.yaml /id: ")
                                .contains("taken by the hub's own route tag-sweep"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("pos-a-sync.yaml /id: ")
                                .contains("the sync route of connector pos-a")));
  }
}
