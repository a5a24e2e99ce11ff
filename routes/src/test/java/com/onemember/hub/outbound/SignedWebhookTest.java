package com.onemember.hub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.frame.Signatures;
import com.onemember.hub.camel.CamelWiring;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A signed webhook POSTing through Camel's http component to a real HTTP server on a local socket:
 * what the receiver gets (headers, signature, the body as UTF-8), and the reason an operator reads
 * in the dead letters for each way a system can fail: an error answer, nothing listening, no answer
 * in time.
 */
class SignedWebhookTest extends CamelTestSupport {

  private static final String SECRET = "crm-webhook-secret-2026";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T08:00:00Z"), ZoneOffset.UTC);
  private static final String EVENT =
      "{\"type\":\"member.updated\",\"member\":{\"name\":\"王芳\",\"mobile\":\"13912345678\"}}";

  private HttpServer server;
  private final List<Headers> received = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "ok";
  private volatile long delayMillis;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/crm/members",
        exchange -> {
          received.add(exchange.getRequestHeaders());
          queries.add(exchange.getRequestURI().getQuery());
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          try {
            Thread.sleep(delayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Override
  protected CamelContext createCamelContext() throws Exception {
    CamelContext context = super.createCamelContext();
    context.addComponent("http", CamelWiring.outboundHttp());
    return context;
  }

  private SignedWebhook webhook(String url, Duration timeout) {
    return new SignedWebhook(
        new OutboundSettings.Webhook(
            "crm",
            url,
            SECRET,
            List.of(),
            3,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            timeout,
            null),
        template(),
        CLOCK);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/crm/members?tenant=sh-01";
  }

  @Test
  void postsTheEventSignedWithTheWebhooksSecretAndNothingElseOfTheHub() throws Exception {
    webhook(url(), Duration.ofSeconds(5)).deliver("0f9d6c1e-0000-4000-8000-000000000001", EVENT);

    assertThat(bodies).containsExactly(EVENT);
    Headers headers = received.get(0);
    assertThat(headers.getFirst("X-OneMember-Event-Id"))
        .isEqualTo("0f9d6c1e-0000-4000-8000-000000000001");
    assertThat(headers.getFirst("X-OneMember-Timestamp")).isEqualTo("1796544000");
    assertThat(headers.getFirst("X-OneMember-Signature"))
        .isEqualTo(
            Signatures.timestamped(SECRET, "1796544000", EVENT.getBytes(StandardCharsets.UTF_8)));
    assertThat(headers.getFirst("Content-Type")).startsWith("application/json");
    // Camel's own headers stay in the hub
    assertThat(headers.keySet().stream().map(String::toLowerCase))
        .noneMatch(h -> h.startsWith("camel") || h.equals("eventid") || h.equals("breadcrumbid"));
  }

  @Test
  void anErrorAnswerIsRefusedWithTheStatusAndWhatTheSystemSaid() {
    status = 500;
    answer = "数据库繁忙 database busy";
    assertThatThrownBy(() -> webhook(url(), Duration.ofSeconds(5)).deliver("e-1", EVENT))
        .isInstanceOf(ConsumingSystem.Refused.class)
        .hasMessage("对方返回 HTTP 500 / the webhook answered HTTP 500: 数据库繁忙 database busy");
  }

  @Test
  void aBusyAnswerIsOneAttemptTheRouteRetriesNotTheHttpClient() {
    status = 503;
    answer = "维护中 / down for maintenance";
    assertThatThrownBy(() -> webhook(url(), Duration.ofSeconds(5)).deliver("e-6", EVENT))
        .hasMessageContaining("HTTP 503");
    assertThat(bodies).hasSize(1);
  }

  @Test
  void aRedirectOrClientErrorIsARefusalToo() {
    status = 401;
    answer = "";
    assertThatThrownBy(() -> webhook(url(), Duration.ofSeconds(5)).deliver("e-2", EVENT))
        .hasMessage("对方返回 HTTP 401 / the webhook answered HTTP 401");
  }

  @Test
  void nothingListeningIsRefusedAsCannotConnect() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String nowhere = "http://127.0.0.1:" + closedPort + "/crm/members";
    assertThatThrownBy(() -> webhook(nowhere, Duration.ofSeconds(5)).deliver("e-3", EVENT))
        .isInstanceOf(ConsumingSystem.Refused.class)
        .hasMessage("无法连接 " + nowhere + " / cannot connect to " + nowhere);
  }

  @Test
  void noAnswerInTimeIsRefusedAsATimeout() {
    delayMillis = 3_000;
    assertThatThrownBy(() -> webhook(url(), Duration.ofMillis(500)).deliver("e-4", EVENT))
        .isInstanceOf(ConsumingSystem.Refused.class)
        .hasMessage("超时（PT0.5S）未应答 / no answer within PT0.5S");
  }

  @Test
  void theWebhooksOwnQueryParametersReachTheSystem() throws Exception {
    webhook(url(), Duration.ofSeconds(5)).deliver("e-5", EVENT);
    assertThat(queries).containsExactly("tenant=sh-01");
    assertThat(SignedWebhook.endpoint(webhookSettings(url())))
        .startsWith(url() + "&throwExceptionOnFailure=false");
    assertThat(SignedWebhook.endpoint(webhookSettings("https://crm.example.cn/hooks/onemember")))
        .startsWith("https://crm.example.cn/hooks/onemember?throwExceptionOnFailure=false");
  }

  @Test
  void anUnknownKindOfPersonalDataInGrantsStopsTheStartNamingTheKinds() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new OutboundSettings(
                    Duration.ofMillis(200),
                    List.of(
                        new OutboundSettings.Webhook(
                            "crm",
                            url(),
                            SECRET,
                            List.of(),
                            3,
                            Duration.ofSeconds(1),
                            Duration.ofMinutes(1),
                            Duration.ofSeconds(10),
                            List.of("mobile", "wechat")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("webhooks[crm]")
        .hasMessageContaining("wechat")
        .hasMessageContaining("national-id");
  }

  private static OutboundSettings.Webhook webhookSettings(String url) {
    return new OutboundSettings.Webhook(
        "crm",
        url,
        SECRET,
        List.of(),
        3,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        Duration.ofSeconds(10),
        null);
  }
}
