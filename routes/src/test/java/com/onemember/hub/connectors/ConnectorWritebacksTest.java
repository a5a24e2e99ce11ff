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

/** A writeback statement that cannot run stops the start, named, before any event reaches it. */
class ConnectorWritebacksTest {

  @TempDir Path dir;

  @Test
  void aStatementWithAParameterTheKindDoesNotOfferIsNamed() throws Exception {
    Files.writeString(
        dir.resolve("pos-hz.yaml"),
        """
        id: pos-hz
        kind: unicenta
        parameters:
          jdbc-url: jdbc:postgresql://pos-db:5432/unicenta
          username: reader
          password: x
          golden-id-sql: update customers set taxid = :golden where id = :customer_id
        """);
    ConnectorRegistry registry =
        new ConnectorRegistry(
            new ConnectorSettings(dir, Duration.ofMinutes(5), 0.5), new MockEnvironment());

    assertThatThrownBy(
            () ->
                new ConnectorWritebacks(
                    registry,
                    new ConnectorStore(new org.springframework.jdbc.core.JdbcTemplate()),
                    java.time.Clock.systemUTC()))
        .isInstanceOfSatisfying(
            InvalidConnectorConfiguration.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .extracting(ConfigurationProblem::toString)
                    .asString()
                    .startsWith("pos-hz.yaml /parameters/golden-id-sql: ")
                    .contains("unknown parameter :golden"));
  }

  @Test
  void aConnectorWithoutWritebackStatementsConsumesNothing() throws Exception {
    Files.writeString(
        dir.resolve("pos-nb.yaml"),
        """
        id: pos-nb
        kind: unicenta
        parameters:
          jdbc-url: jdbc:postgresql://pos-db:5432/unicenta
          username: reader
          password: x
        """);
    ConnectorRegistry registry =
        new ConnectorRegistry(
            new ConnectorSettings(dir, Duration.ofMinutes(5), 0.5), new MockEnvironment());

    assertThat(
            new ConnectorWritebacks(
                    registry,
                    new ConnectorStore(new org.springframework.jdbc.core.JdbcTemplate()),
                    java.time.Clock.systemUTC())
                .consumingSystems())
        .isEmpty();
  }
}
