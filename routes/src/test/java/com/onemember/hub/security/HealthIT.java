package com.onemember.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.OneMemberHub;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /actuator/health} is UP only while both PostgreSQL and the broker answer. This test owns
 * its own database and broker (not the shared ones) because it stops them.
 */
@SpringBootTest(
    classes = OneMemberHub.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class HealthIT {

  private static EmbeddedPostgres postgres;
  private static EmbeddedActiveMQ broker;
  private static String brokerUrl;
  private static Path dir;

  @Value("${local.server.port}")
  int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    dir = Files.createTempDirectory("onemember-health-");
    postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
    try (ServerSocket s = new ServerSocket(0)) {
      brokerUrl = "tcp://127.0.0.1:" + s.getLocalPort();
    }
    broker = startBroker();
    registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
    registry.add("spring.artemis.mode", () -> "native");
    registry.add("spring.artemis.broker-url", () -> brokerUrl);
    registry.add("onemember.security.admin-token", () -> "health-it-token");
    registry.add("onemember.data-dir", () -> dir.resolve("hub").toString());
  }

  private static EmbeddedActiveMQ startBroker() throws Exception {
    ConfigurationImpl config = new ConfigurationImpl();
    config.setPersistenceEnabled(false);
    config.setSecurityEnabled(false);
    config.addAcceptorConfiguration("netty", brokerUrl);
    EmbeddedActiveMQ b = new EmbeddedActiveMQ().setConfiguration(config);
    b.start();
    return b;
  }

  @AfterAll
  static void stop() throws Exception {
    broker.stop();
    postgres.close();
  }

  @Test
  @Order(1)
  void upWhenDatabaseAndBrokerAnswer() {
    awaitHealth(200, "UP");
    awaitHealth("/liveness", 200, "UP");
    awaitHealth("/readiness", 200, "UP");
  }

  @Test
  @Order(2)
  void downWhileTheBrokerIsStoppedAndUpAgainWhenItIsBack() throws Exception {
    broker.stop();
    awaitHealth(503, "DOWN");
    // not ready to serve, but alive: a restart would not bring the broker back
    awaitHealth("/readiness", 503, "DOWN");
    awaitHealth("/liveness", 200, "UP");
    broker = startBroker();
    awaitHealth(200, "UP");
    awaitHealth("/readiness", 200, "UP");
  }

  @Test
  @Order(3)
  void downWhenTheDatabaseIsGone() throws Exception {
    postgres.close();
    awaitHealth(503, "DOWN");
    awaitHealth("/readiness", 503, "DOWN");
    awaitHealth("/liveness", 200, "UP");
  }

  private void awaitHealth(int status, String word) {
    awaitHealth("", status, word);
  }

  /** Waits for {@code /actuator/health<group>} to answer {@code status} with {@code word}. */
  private void awaitHealth(String group, int status, String word) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://localhost:" + port + "/actuator/health" + group))
                          .timeout(Duration.ofSeconds(20))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(r.statusCode()).isEqualTo(status);
              assertThat(r.body()).contains(word);
            });
  }
}
