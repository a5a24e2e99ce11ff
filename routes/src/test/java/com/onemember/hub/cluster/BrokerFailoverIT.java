package com.onemember.hub.cluster;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.ImportsApi;
import com.onemember.hub.support.BrokerProcess;
import com.onemember.hub.support.ChildJvm;
import com.onemember.hub.support.HubInfrastructure;
import com.onemember.hub.support.HubJar;
import com.onemember.hub.support.MemberSheet;
import com.onemember.hub.support.WebhookReceivers;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An Artemis primary/backup pair on a shared store (one journal, whose file lock makes the primary)
 * in processes of their own, and a hub that reaches them by an HA URL listing both. The primary is
 * killed with SIGKILL while the hub publishes golden-record events and posts them to a consuming
 * system's webhook; the backup takes the journal over, the hub fails over to it, and every event
 * still reaches the webhook.
 */
class BrokerFailoverIT {

  private static final String CONSUMER = "hq-failover";

  @Test
  void thePrimaryKilledWhilePublishingLosesNoEvent() throws Exception {
    Path store = Files.createTempDirectory(HubInfrastructure.get().dataDir(), "ha-store-");
    int primaryPort = ChildJvm.freePort();
    int backupPort = ChildJvm.freePort();
    BrokerProcess primary =
        BrokerProcess.start(
            "broker-primary", BrokerProcess.Role.PRIMARY, store, primaryPort, backupPort);
    awaitListening(primaryPort, primary);
    BrokerProcess backup =
        BrokerProcess.start(
            "broker-backup", BrokerProcess.Role.BACKUP, store, backupPort, primaryPort);
    String url =
        "(tcp://127.0.0.1:%d,tcp://127.0.0.1:%d)?ha=true&reconnectAttempts=-1&retryInterval=200"
            .formatted(primaryPort, backupPort);
    WebhookReceivers receivers = WebhookReceivers.get();
    WebhookReceivers.Receiver receiver = receivers.receiver(CONSUMER);
    String w = "onemember.outbound.webhooks[0].";
    int rows = 6_000;
    MemberSheet sheet = aSheet("会员卡号", "姓名", "手机号");
    for (int i = 1; i <= rows; i++) {
      sheet.row(
          "H%06d".formatted(i), "欧阳" + "明华建国志强秀英".charAt(i % 8) + i, "1581234%04d".formatted(i));
    }
    Path file = Files.createTempFile("failover-", ".csv");
    Files.write(file, sheet.gbkCsv());
    try (Cluster cluster = Cluster.on("broker-failover", url);
        primary;
        backup) {
      HubJar hub =
          cluster
              .start(
                  "hub-failover",
                  Map.of(
                      w + "name",
                      CONSUMER,
                      w + "url",
                      receivers.url(CONSUMER),
                      w + "secret",
                      receiver.secret(),
                      w + "max-attempts",
                      "20",
                      w + "initial-backoff",
                      "100ms",
                      w + "max-backoff",
                      "1s"))
              .awaitUp();
      // the backup waits for the store's lock, announced to the primary (and so to the hub)
      Awaitility.await("backup announced (log: " + backup.log() + ")")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .failFast(() -> !backup.isAlive())
          .until(() -> Files.readString(backup.log()).contains("AMQ221031"));
      UUID id =
          new ImportsApi(hub.client()).createImport(file.toFile(), "pos-store-ha", null).getId();
      // killed while publishing: the relay has sent some events and matching makes more
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> published(cluster) >= 500 && cluster.pending(id) > 0);
      primary.kill();
      long publishedAtKill = published(cluster);
      int deliveredAtKill = receiver.deliveries().size();
      assertThat(publishedAtKill).as("events published when the primary died").isLessThan(rows);
      assertThat(deliveredAtKill).as("events delivered when the primary died").isLessThan(rows);
      awaitListening(backupPort, backup);

      Awaitility.await("import settled after failover (log: " + hub.log() + ")")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> cluster.pending(id) == 0);
      List<String> events =
          cluster.jdbc.queryForList("select event_id::text from golden_event", String.class);
      assertThat(events).hasSizeGreaterThanOrEqualTo(rows);
      Awaitility.await("every event at the webhook (log: " + hub.log() + ")")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                Set<String> delivered = new HashSet<>();
                receiver.deliveries().forEach(d -> delivered.add(d.eventId()));
                assertThat(delivered).containsAll(events);
              });
    }
  }

  /** How far the relay has published (its position in the feed). */
  private static long published(Cluster cluster) {
    List<Long> position =
        cluster.jdbc.queryForList(
            "select position from outbox_relay where name = 'topic'", Long.class);
    return position.isEmpty() ? 0 : position.get(0);
  }

  private static void awaitListening(int port, BrokerProcess broker) {
    Awaitility.await("broker on " + port + " (log: " + broker.log() + ")")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast(() -> !broker.isAlive())
        .until(
            () -> {
              try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
              }
            });
  }
}
