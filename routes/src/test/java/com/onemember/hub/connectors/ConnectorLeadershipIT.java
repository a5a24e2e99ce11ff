package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.OneMemberHub;
import com.onemember.api.client.ConnectorsApi;
import com.onemember.api.client.invoker.ApiClient;
import com.onemember.api.client.model.ConnectorRun;
import com.onemember.hub.support.HubInfrastructure;
import com.onemember.hub.support.MembersClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two hubs on one PostgreSQL and one broker, both declaring the same uniCenta connector (polled
 * every second): only the hub that leads it polls, and when that hub dies the other takes over and
 * the customers added meanwhile still arrive.
 */
class ConnectorLeadershipIT {

  private static final String CONNECTOR = "pos-leader-it";
  private static final String DATABASE = "unicenta_leader";
  private static final String TOKEN = "leader-it-token-3e81";

  private final HubInfrastructure infra = HubInfrastructure.get();

  @Test
  void oneHubPollsAConnectorAndAnotherTakesOverWhenItDies() throws Exception {
    Path dir = connectorsDir();
    JdbcTemplate pos = new JdbcTemplate(infra.database(DATABASE));
    ConfigurableApplicationContext hubA = start("hub-a", dir);
    ConfigurableApplicationContext hubB = null;
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !runs(hubA).isEmpty());
      hubB = start("hub-b", dir);
      OffsetDateTime bStarted = OffsetDateTime.now();
      pos.update(
          "insert into customers (id, searchkey, name, phone) values"
              + " ('b1d0c3a2-0001', 'L0001', '慕容雪', '15280010001')");
      awaitMember(hubB, "15280010001");
      // both hubs tick every second for a few seconds: every run is hub A's
      Thread.sleep(4000);
      List<ConnectorRun> whileBothRun =
          runs(hubB).stream().filter(r -> r.getStartedAt().isAfter(bStarted)).toList();
      assertThat(whileBothRun).hasSizeGreaterThan(2);
      assertThat(whileBothRun).allSatisfy(r -> assertThat(r.getHub()).isEqualTo("hub-a"));

      // hub A dies: its database session ends, and with it its lead
      hubA.close();
      OffsetDateTime aGone = OffsetDateTime.now();
      pos.update(
          "insert into customers (id, searchkey, name, phone) values"
              + " ('b1d0c3a2-0002', 'L0002', '欧阳锋', '15280010002')");
      ConfigurableApplicationContext b = hubB;
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(members(b).findMembers("15280010002").getItems()).hasSize(1));
      List<ConnectorRun> afterA =
          runs(hubB).stream().filter(r -> r.getStartedAt().isAfter(aGone)).toList();
      assertThat(afterA).isNotEmpty();
      assertThat(afterA).allSatisfy(r -> assertThat(r.getHub()).isEqualTo("hub-b"));
    } finally {
      if (hubA.isActive()) {
        hubA.close();
      }
      if (hubB != null) {
        hubB.close();
      }
    }
  }

  private Path connectorsDir() throws Exception {
    try (Connection c = infra.ownerDataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute("create database " + DATABASE);
    }
    try (Connection c = infra.database(DATABASE).getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          new String(
              getClass().getResourceAsStream("/unicenta/customers-postgresql.sql").readAllBytes(),
              StandardCharsets.UTF_8));
    }
    Path dir = infra.dataDir().resolve("leader-connectors");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(CONNECTOR + ".yaml"),
        """
        id: %s
        kind: unicenta
        schedule: 1s
        parameters:
          jdbc-url: %s
          username: postgres
          password: none
        """
            .formatted(CONNECTOR, infra.databaseUrl(DATABASE)));
    return dir;
  }

  private ConfigurableApplicationContext start(String name, Path connectors) {
    List<String> args = new ArrayList<>(infra.hubArguments(name));
    args.add("--server.port=0");
    args.add("--onemember.hub-name=" + name);
    args.add("--onemember.security.admin-token=" + TOKEN);
    args.add("--onemember.connectors.dir=" + connectors);
    args.add("--onemember.tags.sweep-period=1000d");
    return new SpringApplicationBuilder(OneMemberHub.class).run(args.toArray(String[]::new));
  }

  private static ApiClient client(ConfigurableApplicationContext hub) {
    int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
    ApiClient client = new ApiClient();
    client.updateBaseUri("http://localhost:" + port);
    client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + TOKEN));
    return client;
  }

  private static List<ConnectorRun> runs(ConfigurableApplicationContext hub) throws Exception {
    return new ConnectorsApi(client(hub)).listConnectorRuns(CONNECTOR, null, 200).getItems();
  }

  private static MembersClient members(ConfigurableApplicationContext hub) {
    return new MembersClient(client(hub));
  }

  private static void awaitMember(ConfigurableApplicationContext hub, String phone) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(members(hub).findMembers(phone).getItems()).hasSize(1));
  }
}
