package com.onemember.hub.bench;

import com.onemember.connectors.shopify.ShopifyServer;
import com.onemember.connectors.woocommerce.WooCommerceServer;
import com.onemember.connectors.youzan.YouzanServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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

  /**
   * How often the connector reads the shop (its reconciliation read); {@code -Dbench.schedule=60s}
   * to see what the reads cost the pushes.
   */
  private static final String SCHEDULE = System.getProperty("bench.schedule", "1s");

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

      List<String> ids = shop.ids();
      ConnectorBenches.timePushes(
          db,
          SOURCE,
          ids,
          webhooks,
          rate,
          (id, i) -> shop.changeAndPush(id, i, hook),
          kind + " webhook");
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
          schedule: %s
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
              SCHEDULE,
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
          schedule: %s
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
              SCHEDULE,
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
          schedule: %s
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
              SCHEDULE,
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
}
