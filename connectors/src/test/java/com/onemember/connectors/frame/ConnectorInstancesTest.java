package com.onemember.connectors.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.KnownKinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instance files as IT staff write them, and each way they get them wrong. */
class ConnectorInstancesTest {

  @TempDir Path dir;

  private final ConnectorInstances instances =
      new ConnectorInstances(KnownKinds.all(), Map.of("POS_SHANGHAI_DB_PASSWORD", "s3cret!")::get);

  @Test
  void aValidFileGivesAnInstanceWithSecretsFilledAndDefaultsApplied() throws IOException {
    write(
        "pos-shanghai.yaml",
        """
        id: pos-shanghai          # route id = connector id = source name
        kind: unicenta
        schedule: 30s
        trust: 90
        owns: ["pos-shanghai-*"]
        parameters:
          jdbc-url: jdbc:postgresql://pos-db.store.cn:5432/unicenta
          username: reader
          password: ${POS_SHANGHAI_DB_PASSWORD}
        """);

    List<ConnectorInstance> read = instances.read(dir);

    assertThat(read)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.id()).isEqualTo("pos-shanghai");
              assertThat(i.kind()).isEqualTo("unicenta");
              assertThat(i.enabled()).isTrue();
              assertThat(i.schedule()).isEqualTo(Duration.ofSeconds(30));
              assertThat(i.trust()).isEqualTo(90);
              assertThat(i.owns()).containsExactly("pos-shanghai-*");
              assertThat(i.text("password")).isEqualTo("s3cret!");
              assertThat(i.parameters()).containsEntry("batch-size", 500);
            });
  }

  @Test
  void noDirectoryMeansNoConnectors() {
    assertThat(instances.read(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void aMistypedKeyIsNamedWithItsFileAndPointer() throws IOException {
    write(
        "pos-beijing.yaml",
        """
        id: pos-beijing
        kind: unicenta
        parameters:
          jdbc_url: jdbc:postgresql://pos-db:5432/unicenta
          username: reader
          password: x
        """);

    assertThatThrownBy(() -> instances.read(dir))
        .isInstanceOfSatisfying(
            InvalidConnectorConfiguration.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigurationProblem::toString)
                    .anySatisfy(
                        p -> assertThat(p).startsWith("pos-beijing.yaml /parameters/jdbc_url:"))
                    .anySatisfy(
                        p -> assertThat(p).startsWith("pos-beijing.yaml /parameters/jdbc-url:")))
        .hasMessageContaining("the hub does not start");
  }

  @Test
  void aValueOfTheWrongTypeIsNamed() throws IOException {
    write(
        "pos-a.yaml",
        """
        id: pos-a
        kind: unicenta
        schedule: 30
        parameters:
          jdbc-url: jdbc:postgresql://pos-db:5432/unicenta
          username: reader
          password: x
          batch-size: many
        """);

    assertThatThrownBy(() -> instances.read(dir))
        .isInstanceOfSatisfying(
            InvalidConnectorConfiguration.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigurationProblem::pointer)
                    .containsExactlyInAnyOrder("/schedule", "/parameters/batch-size"));
  }

  @Test
  void aScheduleTooShortOrTooLongIsNamed() throws IOException {
    write(
        "pos-d.yaml",
        "id: pos-d\nkind: unicenta\nschedule: 0s\nparameters: {jdbc-url: 'jdbc:postgresql://h/db',"
            + " username: u, password: p}\n");
    write(
        "pos-e.yaml",
        "id: pos-e\nkind: unicenta\nschedule: 99999999999999999999h\nparameters: {jdbc-url:"
            + " 'jdbc:postgresql://h/db', username: u, password: p}\n");

    assertThatThrownBy(() -> instances.read(dir))
        .isInstanceOfSatisfying(
            InvalidConnectorConfiguration.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigurationProblem::toString)
                    .containsExactly(
                        "pos-d.yaml /schedule: 同步周期应在 1 秒到 7 天之间 / the schedule must be between 1s"
                            + " and 7 days, not 0s",
                        "pos-e.yaml /schedule: 同步周期应在 1 秒到 7 天之间 / the schedule must be between 1s"
                            + " and 7 days, not 99999999999999999999h"));
  }

  @Test
  void theParametersStayOutOfTheInstancesText() throws IOException {
    write(
        "pos-f.yaml",
        "id: pos-f\nkind: unicenta\nparameters: {jdbc-url: 'jdbc:postgresql://h/db',"
            + " username: u, password: s3cret!}\n");

    assertThat(instances.read(dir).get(0).toString()).doesNotContain("s3cret!").contains("pos-f");
  }

  @Test
  void aSecretMissingFromTheEnvironmentIsNamed() throws IOException {
    write(
        "pos-b.yaml",
        """
        id: pos-b
        kind: unicenta
        parameters:
          jdbc-url: jdbc:postgresql://pos-db:5432/unicenta
          username: reader
          password: ${POS_B_DB_PASSWORD}
        """);

    assertThatThrownBy(() -> instances.read(dir))
        .isInstanceOfSatisfying(
            InvalidConnectorConfiguration.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .hasToString(
                        "pos-b.yaml /parameters/password: 环境变量 POS_B_DB_PASSWORD 未设置 / the"
                            + " environment variable POS_B_DB_PASSWORD is not set"));
  }

  @Test
  void aPlaceholderMayGiveADefault() throws IOException {
    write(
        "pos-c.yaml",
        """
        id: pos-c
        kind: unicenta
        parameters:
          jdbc-url: jdbc:postgresql://${POS_C_HOST:localhost}:5432/unicenta
          username: reader
          password: x
        """);

    assertThat(instances.read(dir))
        .singleElement()
        .satisfies(
            i ->
                assertThat(i.text("jdbc-url"))
                    .isEqualTo("jdbc:postgresql://localhost:5432/unicenta"));
  }

  @Test
  void anUnknownKindABadIdADuplicateAndABrokenFileAreAllReportedAtOnce() throws IOException {
    write("a.yaml", "id: pos-x\nkind: ncr-aloha\n");
    write(
        "b.yaml",
        "id: POS_Y\nkind: unicenta\nparameters: {jdbc-url: 'jdbc:postgresql://h/db', username: u, password: p}\n");
    write(
        "c.yaml",
        "id: pos-z\nkind: unicenta\nparameters: {jdbc-url: 'jdbc:postgresql://h/db', username: u, password: p}\n");
    write(
        "d.yml",
        "id: pos-z\nkind: unicenta\nparameters: {jdbc-url: 'jdbc:postgresql://h/db', username: u, password: p}\n");
    write("e.yaml", "id: [unclosed\n");
    write("notes.txt", "not a connector");

    assertThatThrownBy(() -> instances.read(dir))
        .isInstanceOfSatisfying(
            InvalidConnectorConfiguration.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigurationProblem::toString)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("a.yaml /kind: ")
                                .contains("unknown kind \"ncr-aloha\"")
                                .contains(
                                    "known: [unicenta, ospos, pospal, custom-webhook, shopify, woocommerce, youzan,"
                                        + " wechat-miniprogram, wecom-contacts]"))
                    .anySatisfy(p -> assertThat(p).startsWith("b.yaml /id: "))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("d.yml /id: ")
                                .contains("declared in c.yaml already"))
                    .anySatisfy(
                        p -> assertThat(p).startsWith("e.yaml: ").contains("not valid YAML"))
                    .hasSize(4));
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
