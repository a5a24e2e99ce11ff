package com.onemember.hub.bench;

import com.onemember.connectors.shopify.ShopifyServer;
import com.onemember.connectors.woocommerce.WooCommerceServer;
import com.onemember.connectors.youzan.YouzanServer;
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
 * How fast a web shop reaches the hub, against the kind's local stand-in ({@link ShopifyServer}, a
 * GraphQL engine over Shopify's Admin schema; {@link YouzanServer}, the Youzan Cloud gateway;
 * {@link WooCommerceServer}, wc/v3): the initial sync of {@code N} customers (default 100,000), and
 * then the delay from a customer webhook being sent to the golden event of that change (p50, p99,
 * max), {@code C} webhooks (default 1,000) sent at {@code R} per second (default 50). A Shopify
 * shop's rate limit is Shopify Plus's (bucket 20,000 points, 1,000 a second; a page of 250
 * customers costs 501 points in the stand-in).
 *
 * <p>The hub runs in this JVM on a PostgreSQL of its own, durable (fsync and synchronous_commit on,
 * as the bench prints). The sync is timed from the start of the connector's first run to the moment
 * the hub holds a source record for every customer.
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.ShopSyncBench
 * -Dexec.args="shopify 100000 1000 50"} (or {@code woocommerce}, {@code youzan}).
 */
public final class ShopSyncBench {

  private static final String SOURCE = "shop-bench";

  private ShopSyncBench() {}

  /** One kind's stand-in as the bench drives it. */
  interface Shop extends AutoCloseable {

    /** The connector's instance file for a shop reached at the stand-in. */
    String instanceFile(String id);

    /** Every customer's id in the shop. */
    List<String> ids();

    /**
     * Changes customer {@code id} (the {@code i}th change) and sends its webhook; true if taken.
     */
    boolean changeAndPush(String id, int i, String hook) throws Exception;

    @Override
    void close();
  }

  static Shop shop(String kind, int customers) throws Exception {
    return switch (kind) {
      case "shopify" -> new Shopify(customers);
      case "youzan" -> new Youzan(customers);
      case "woocommerce" -> new WooCommerce(customers);
      default -> throw new IllegalArgumentException("no bench for kind " + kind);
    };
  }

  public static void main(String[] args) throws Exception {
    // the stand-ins are the JDK's HttpServer: without this each answer waits ~40 ms (Nagle)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    String kind = args.length > 0 ? args[0] : "shopify";
    int customers = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int webhooks = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    EmbeddedPostgres postgres = ConnectorBenches.durablePostgres();
    DataSource db = postgres.getPostgresDatabase();
    Shop shop = shop(kind, customers);
    System.out.printf(Locale.ROOT, "%s shop: %d customers%n", kind, customers);

    Path dir = Files.createTempDirectory("onemember-bench-connectors");
    Files.writeString(dir.resolve(SOURCE + ".yaml"), shop.instanceFile(SOURCE));
    ConfigurableApplicationContext hub = ConnectorBenches.hub(postgres, dir);
    String hook =
        "http://127.0.0.1:"
            + hub.getEnvironment().getProperty("local.server.port")
            + "/hooks/"
            + SOURCE;
    try {
      ConnectorBenches.timeInitialSync(db, SOURCE, customers, kind + " customers");

      // webhooks at a steady rate; a watcher notes when each change's golden event is written
      List<String> all = shop.ids();
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
        String id = all.get(random.nextInt(all.size()));
        UUID member = memberOf(db, id);
        if (member == null || sentAt.containsKey(member)) {
          continue; // one change in flight per member, so each event is told apart
        }
        long now = System.nanoTime();
        if (now < next) {
          Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
        }
        next += interval;
        sentAt.put(member, System.nanoTime());
        if (!shop.changeAndPush(id, i, hook)) {
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
          "%s webhook sent -> golden event, %d webhooks at %d/s (%d refused, %d"
              + " without event): p50 %d ms, p99 %d ms, max %d ms%n",
          kind,
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

  /** A Shopify shop with Shopify Plus's rate limit; a change is a new note. */
  private static final class Shopify implements Shop {
    private final ShopifyServer shop = new ShopifyServer();

    Shopify(int customers) throws Exception {
      shop.generate(customers, 20261206);
      shop.throttle(20_000, 1_000);
    }

    @Override
    public String instanceFile(String id) {
      return """
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
              id,
              ShopifyServer.SHOP_DOMAIN,
              ShopifyServer.ACCESS_TOKEN,
              ShopifyServer.WEBHOOK_SECRET,
              shop.baseUrl());
    }

    @Override
    public List<String> ids() {
      return shop.customers().stream().map(c -> Long.toString(c.id)).toList();
    }

    @Override
    public boolean changeAndPush(String id, int i, String hook) throws Exception {
      long key = Long.parseLong(id);
      shop.update(key, x -> x.note = "会员备注 " + i);
      return shop.sendWebhook(hook, "customers/update", shop.customer(key)) == 202;
    }

    @Override
    public void close() {
      shop.close();
    }
  }

  /** A Youzan shop; a change is a new birthday, pushed as CUSTOMER_UPDATED. */
  private static final class Youzan implements Shop {
    private final YouzanServer shop = new YouzanServer();

    Youzan(int customers) throws Exception {
      shop.generate(customers, 20261206);
    }

    @Override
    public String instanceFile(String id) {
      return """
          id: %s
          kind: youzan
          schedule: 1s
          parameters:
            client-id: %s
            client-secret: %s
            grant-id: "%d"
            base-url: %s
            batch-size: 1000
            writeback: false
          """
          .formatted(
              id,
              YouzanServer.CLIENT_ID,
              YouzanServer.CLIENT_SECRET,
              YouzanServer.KDT_ID,
              shop.baseUrl());
    }

    @Override
    public List<String> ids() {
      return shop.customers().stream().map(c -> c.yzOpenId).toList();
    }

    @Override
    public boolean changeAndPush(String id, int i, String hook) throws Exception {
      String birthday = java.time.LocalDate.of(1970, 1, 1).plusDays(3000 + i % 10_000).toString();
      shop.update(id, c -> c.birthday = birthday);
      return shop.sendCustomerEvent(hook, YouzanServer.CUSTOMER_UPDATED, id).success();
    }

    @Override
    public void close() {
      shop.close();
    }
  }

  /** A WooCommerce shop; a change is a new second address line, pushed as customer.updated. */
  private static final class WooCommerce implements Shop {
    private final WooCommerceServer shop = new WooCommerceServer();

    WooCommerce(int customers) throws Exception {
      shop.generate(customers, 20261206);
    }

    @Override
    public String instanceFile(String id) {
      return """
          id: %s
          kind: woocommerce
          schedule: 1s
          parameters:
            base-url: %s
            consumer-key: %s
            consumer-secret: %s
            webhook-secret: "%s"
            batch-size: 1000
            writeback: false
          """
          .formatted(
              id,
              shop.baseUrl(),
              WooCommerceServer.CONSUMER_KEY,
              WooCommerceServer.CONSUMER_SECRET,
              WooCommerceServer.WEBHOOK_SECRET);
    }

    @Override
    public List<String> ids() {
      return shop.customers().stream().map(c -> Long.toString(c.id)).toList();
    }

    @Override
    public boolean changeAndPush(String id, int i, String hook) throws Exception {
      long key = Long.parseLong(id);
      shop.update(key, c -> c.billing.address2 = (i % 30 + 1) + " 楼");
      return shop.sendWebhook(hook, "customer.updated", key) == 200;
    }

    @Override
    public void close() {
      shop.close();
    }
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
