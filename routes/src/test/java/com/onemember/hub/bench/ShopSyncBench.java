package com.onemember.hub.bench;

import com.onemember.connectors.shopify.ShopifyServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How fast a Shopify shop reaches the hub, against the local {@link ShopifyServer} (a GraphQL
 * engine over Shopify's Admin schema): the initial sync of {@code N} customers (default 100,000),
 * and then the delay from a {@code customers/update} webhook being sent to the golden event of that
 * change (p50, p99, max), {@code C} webhooks (default 1,000) sent at {@code R} per second (default
 * 50). The shop's rate limit is Shopify Plus's (bucket 20,000 points, 1,000 a second; a page of 250
 * customers costs 501 points in the stand-in) unless {@code restore-rate} is given.
 *
 * <p>The hub runs in this JVM on a PostgreSQL of its own, durable (fsync and synchronous_commit on,
 * as the bench prints). The sync is timed from the start of the connector's first run to the moment
 * the hub holds a source record for every customer.
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.ShopSyncBench
 * -Dexec.args="100000 1000 50"}
 */
public final class ShopSyncBench {

  private static final String SOURCE = "shop-bench";

  private ShopSyncBench() {}

  public static void main(String[] args) throws Exception {
    // the stand-in is the JDK's HttpServer: without this each answer waits ~40 ms (Nagle)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int webhooks = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    double restoreRate = args.length > 3 ? Double.parseDouble(args[3]) : 1000;
    EmbeddedPostgres postgres = ConnectorBenches.durablePostgres();
    DataSource db = postgres.getPostgresDatabase();
    ShopifyServer shop = new ShopifyServer();
    shop.generate(customers, 20261206);
    shop.throttle(20 * restoreRate, restoreRate);
    System.out.printf(
        Locale.ROOT,
        "shop: %d customers, rate limit %.0f points/s (bucket %.0f)%n",
        customers,
        restoreRate,
        20 * restoreRate);

    Path dir = Files.createTempDirectory("onemember-bench-connectors");
    Files.writeString(
        dir.resolve(SOURCE + ".yaml"),
        """
        id: %s
        kind: shopify
        schedule: 1s
        parameters:
          shop-domain: %s
          access-token: %s
          webhook-secret: %s
          base-url: %s
          page-size: 250
          batch-size: 1000
          writeback: false
        """
            .formatted(
                SOURCE,
                ShopifyServer.SHOP_DOMAIN,
                ShopifyServer.ACCESS_TOKEN,
                ShopifyServer.WEBHOOK_SECRET,
                shop.baseUrl()));
    ConfigurableApplicationContext hub = ConnectorBenches.hub(postgres, dir);
    String hook =
        "http://127.0.0.1:"
            + hub.getEnvironment().getProperty("local.server.port")
            + "/hooks/"
            + SOURCE;
    try {
      ConnectorBenches.timeInitialSync(db, SOURCE, customers, "Shopify customers");

      // webhooks at a steady rate; a watcher notes when each change's golden event is written
      List<ShopifyServer.Customer> all = shop.customers();
      Random random = new Random(7);
      Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
      List<Long> delays = Collections.synchronizedList(new ArrayList<>());
      long after = ConnectorBenches.count(db, "select coalesce(max(seq), 0) from golden_event");
      Watcher watcher = new Watcher(db, after, sentAt, delays);
      watcher.start();
      long interval = 1_000_000_000L / rate;
      long next = System.nanoTime();
      int refused = 0;
      for (int i = 0; i < webhooks; i++) {
        ShopifyServer.Customer c = all.get(random.nextInt(all.size()));
        UUID member = memberOf(db, Long.toString(c.id));
        if (member == null || sentAt.containsKey(member)) {
          continue; // one change in flight per member, so each event is told apart
        }
        String note = "会员备注 " + i;
        shop.update(c.id, x -> x.note = note);
        long now = System.nanoTime();
        if (now < next) {
          Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
        }
        next += interval;
        sentAt.put(member, System.nanoTime());
        if (shop.sendWebhook(hook, "customers/update", shop.customer(c.id)) != 202) {
          refused++;
          sentAt.remove(member);
        }
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      watcher.interrupt();
      List<Long> sorted = new ArrayList<>(delays);
      Collections.sort(sorted);
      System.out.printf(
          "customers/update webhook sent -> golden event, %d webhooks at %d/s (%d refused, %d"
              + " without event): p50 %d ms, p99 %d ms, max %d ms%n",
          sorted.size(),
          rate,
          refused,
          sentAt.size(),
          sorted.get(sorted.size() / 2),
          sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
          sorted.get(sorted.size() - 1));
    } finally {
      hub.close();
      shop.close();
      postgres.close();
    }
    System.exit(0);
  }

  /** Notes the delay of each golden event of a member with a change in flight. */
  private static final class Watcher extends Thread {
    private final DataSource db;
    private long after;
    private final Map<UUID, Long> sentAt;
    private final List<Long> delays;

    Watcher(DataSource db, long after, Map<UUID, Long> sentAt, List<Long> delays) {
      this.db = db;
      this.after = after;
      this.sentAt = sentAt;
      this.delays = delays;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (Connection c = db.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "select seq, member_id from golden_event where seq > ? and origin_source = ?"
                      + " order by seq")) {
        while (!isInterrupted()) {
          ps.setLong(1, after);
          ps.setString(2, SOURCE);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              after = rs.getLong(1);
              Long sent = sentAt.remove((UUID) rs.getObject(2));
              if (sent != null) {
                delays.add((System.nanoTime() - sent) / 1_000_000);
              }
            }
          }
          Thread.sleep(5);
        }
      } catch (InterruptedException e) {
        // done
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static UUID memberOf(DataSource db, String id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select member_id from source_record where source = ? and source_record_id = ?")) {
      ps.setString(1, SOURCE);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? (UUID) rs.getObject(1) : null;
      }
    }
  }
}
