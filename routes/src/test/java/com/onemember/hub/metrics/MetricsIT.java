package com.onemember.hub.metrics;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.OutboundApi;
import com.onemember.api.client.model.DeadLetterStatus;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.WebhookReceivers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code /actuator/prometheus} scraped as Prometheus would, with a token: the hub's onemember_*
 * gauges agree with what the API says at the same moment, beside JVM and pool metrics; only the it
 * and admin roles may scrape.
 */
class MetricsIT extends HubIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Autowired BacklogGauges backlog;
  @Autowired com.onemember.hub.connectors.ConnectorGauges connectors;

  @Test
  void theGaugesSayWhatTheApiSaysAndJvmAndPoolMetricsAreThere() throws Exception {
    backlog.refresh();
    connectors.refresh();
    String text = scrape(TOKEN).body();
    long open = reviews().listReviews(null, null, null, null, null, null, 1).getTotal();
    assertThat(value(text, "onemember_review_backlog")).isEqualTo(open);
    assertThat(text)
        .contains("onemember_outbox_lag_seconds ")
        .contains("onemember_merge_log_seal_lag_seconds ")
        .contains("jvm_memory_used_bytes")
        .contains("hikaricp_connections_active");
    // a POS whose database is not there is failing (once its first run failed), in one state only
    String down =
        "onemember_connector_state{connector=\"pos-unicenta-down\",kind=\"unicenta\",state=";
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              connectors.refresh();
              return value(scrape(TOKEN).body(), down + "\"FAILING\"}") == 1;
            });
    String now = scrape(TOKEN).body();
    assertThat(value(now, down + "\"RUNNING\"}")).isZero();
    assertThat(value(now, down + "\"PAUSED\"}")).isZero();
    // every consuming system has its dead-letter series, letters or not
    assertThat(now).contains("onemember_dead_letters{consumer=\"crm\"}");
  }

  @Test
  void aConsumersDeadLettersAreCountedUntilReplayed() throws Exception {
    var crm = WebhookReceivers.get().receiver("crm");
    crm.down();
    try {
      importAndWait(
          "pos-store-metrics",
          "pos.csv",
          aSheet("姓名", "手机号").row("卢晓东", "137" + digits(8)).gbkCsv());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !new OutboundApi(apiClient())
                      .listDeadLetters("crm", DeadLetterStatus.PENDING, 10)
                      .getItems()
                      .isEmpty());
    } finally {
      crm.up();
    }
    backlog.refresh();
    long waiting =
        new OutboundApi(apiClient())
            .listDeadLetters("crm", DeadLetterStatus.PENDING, 200)
            .getItems()
            .size();
    assertThat(value(scrape(TOKEN).body(), "onemember_dead_letters{consumer=\"crm\"}"))
        .isEqualTo(waiting)
        .isPositive();

    new OutboundApi(apiClient()).replayDeadLetters("crm");
    backlog.refresh();
    assertThat(value(scrape(TOKEN).body(), "onemember_dead_letters{consumer=\"crm\"}")).isZero();
  }

  /**
   * An upload of three rows, one of them with nothing that identifies a person: three records in
   * from its source, one refused, two decided "new"; their wait from the queue timed; the CRM's
   * webhook took their events. The inbound queue's depth, the review pairs opened and the merge
   * log's chain check are in the scrape too.
   */
  @Test
  void anImportIsCountedFromItsRecordsToTheirDeliveries() throws Exception {
    String source = "pos-store-counted-" + digits(4);
    String before = scrape(TOKEN).body();
    double newBefore = sample(before, "onemember_decisions_total{kind=\"new\"}");
    double crmBefore =
        sample(before, "onemember_deliveries_total{consumer=\"crm\",outcome=\"delivered\"}");
    importAndWait(
        source,
        "members.csv",
        aSheet("姓名", "手机号", "备注")
            .row("季晓峰", "139" + digits(8), "")
            .row("", "", "=SUM(A1:A2)")
            .row("庞丽君", "136" + digits(8), "")
            .gbkCsv());
    String in = "{channel=\"import\",source=\"" + source + "\"}";
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String text = scrape(TOKEN).body();
              assertThat(sample(text, "onemember_records_in_total" + in)).isEqualTo(3);
              assertThat(sample(text, "onemember_records_rejected_total" + in)).isEqualTo(1);
              assertThat(sample(text, "onemember_decisions_total{kind=\"new\"}"))
                  .isGreaterThanOrEqualTo(newBefore + 2);
              assertThat(
                      sample(
                          text,
                          "onemember_deliveries_total{consumer=\"crm\",outcome=\"delivered\"}"))
                  .isGreaterThanOrEqualTo(crmBefore + 2);
              assertThat(sample(text, "onemember_ingest_latency_seconds_count")).isPositive();
            });
    backlog.refresh();
    String text = scrape(TOKEN).body();
    assertThat(text)
        .contains("onemember_inbound_queue_depth ")
        .contains("onemember_reviews_opened_total ")
        .contains("onemember_merge_log_chain_ok ")
        .contains("onemember_merge_log_verify_failures_total ");
  }

  /**
   * The Grafana dashboard and the alert rules in {@code deploy/} name only metrics the hub writes:
   * a renamed meter would otherwise leave an empty panel and an alert that never fires.
   */
  @Test
  void theDashboardAndTheAlertRulesNameOnlyMetricsThatExist() throws Exception {
    // counters appear at their first count: one upload, delivered, makes them all
    importAndWait(
        "pos-store-dashboard",
        "members.csv",
        aSheet("姓名", "手机号").row("武振华", "135" + digits(8)).row("", "=SUM(A1:A2)").gbkCsv());
    Thread.sleep(1000);
    backlog.refresh();
    connectors.refresh();
    String text = scrape(TOKEN).body();
    java.util.Set<String> scraped = new java.util.HashSet<>();
    Matcher sample = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(text);
    while (sample.find()) {
      scraped.add(sample.group(1));
    }
    java.nio.file.Path deploy = java.nio.file.Path.of("..", "deploy");
    String dashboard =
        java.nio.file.Files.readString(deploy.resolve("grafana/onemember-hub.json"), UTF_8);
    String alerts =
        java.nio.file.Files.readString(deploy.resolve("prometheus/onemember-alerts.yml"), UTF_8);
    Pattern metric = Pattern.compile("\\b((?:onemember|jvm|hikaricp)_[a-z_]+)\\b");
    java.util.Set<String> named = new java.util.TreeSet<>();
    for (String source : java.util.List.of(dashboard, alerts)) {
      Matcher m = metric.matcher(source);
      while (m.find()) {
        named.add(m.group(1));
      }
    }
    assertThat(named).contains("onemember_review_backlog", "onemember_connector_state");
    assertThat(scraped).containsAll(named);
  }

  @Test
  void onlyTheItAndAdminRolesMayScrape() throws Exception {
    assertThat(scrape(null).statusCode()).isEqualTo(401);
    assertThat(scrape(token("metrics-steward-" + System.nanoTime(), "steward")).statusCode())
        .isEqualTo(403);
    assertThat(scrape(token("metrics-it-" + System.nanoTime(), "it")).statusCode()).isEqualTo(200);
  }

  /**
   * The value of sample {@code sample}, or 0 when the scrape has none (a counter not counted yet).
   */
  private static double sample(String text, String sample) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** The value of the sample named (with its labels, as the text writes them) {@code sample}. */
  private static long value(String text, String sample) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(text);
    if (!m.find()) {
      throw new AssertionError("no sample " + sample + " in the scrape");
    }
    return Math.round(Double.parseDouble(m.group(1)));
  }

  private HttpResponse<String> scrape(String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }
}
