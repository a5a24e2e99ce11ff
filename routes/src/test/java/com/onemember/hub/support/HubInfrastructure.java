package com.onemember.hub.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * The real services the integration tests talk to, started once per test JVM: a PostgreSQL server
 * (reached over JDBC/TCP) and an Artemis broker with a Netty acceptor on a free loopback port
 * (reached over TCP, as an external broker would be). The hub under test is configured as if they
 * were external, which exercises the non-embedded wiring: Flyway migrates as the owner of the
 * tables, the hub connects as a login role in {@code onemember_app}. The packaged jar run by CI
 * covers the embedded defaults.
 */
public final class HubInfrastructure {

  /** The group role the migrations grant to. */
  public static final String APP_ROLE = "onemember_app";

  /** The login role the hub under test connects as. */
  public static final String HUB_ROLE = "onemember_hub";

  /** The owner of the tables, who runs the migrations. */
  public static final String OWNER = "postgres";

  private static HubInfrastructure instance;

  private final EmbeddedPostgres postgres;
  private final EmbeddedActiveMQ broker;
  private final String brokerUrl;
  private final Path dataDir;

  private HubInfrastructure() throws Exception {
    dataDir = Files.createTempDirectory("onemember-it-");
    postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg")).start();
    createHubRole();
    int port = freePort();
    brokerUrl = "tcp://127.0.0.1:" + port;
    ConfigurationImpl config = new ConfigurationImpl();
    // persistent, as a production broker is: messages and durable subscriptions survive a restart
    // (OutboundIT stops and starts it while events are being published)
    config.setPersistenceEnabled(true);
    config.setJournalType(org.apache.activemq.artemis.core.server.JournalType.NIO);
    config.setSecurityEnabled(false);
    config.setJournalDirectory(dataDir.resolve("journal").toString());
    config.setBindingsDirectory(dataDir.resolve("bindings").toString());
    config.setLargeMessagesDirectory(dataDir.resolve("large").toString());
    config.setPagingDirectory(dataDir.resolve("paging").toString());
    config.addAcceptorConfiguration("netty", brokerUrl);
    broker = new EmbeddedActiveMQ().setConfiguration(config);
    broker.start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
  }

  /** The shared instance, started on first use. */
  public static synchronized HubInfrastructure get() {
    if (instance == null) {
      try {
        instance = new HubInfrastructure();
      } catch (Exception e) {
        throw new IllegalStateException("could not start PostgreSQL and Artemis for the tests", e);
      }
    }
    return instance;
  }

  /** The uniCenta POS database of the connector tests: created on first use, on this server. */
  public static final String UNICENTA_DATABASE = "unicenta_pos";

  private boolean connectorsReady;

  private com.onemember.connectors.pospal.PospalServer pospal;

  private com.onemember.connectors.shopify.ShopifyServer shopify;

  private com.onemember.connectors.shopify.ShopifyServer shopifyLeaving;

  private com.onemember.connectors.youzan.YouzanServer youzan;

  private com.onemember.connectors.woocommerce.WooCommerceServer woocommerce;

  /** The local WooCommerce shop {@code shop-woo-it} reads. */
  public synchronized com.onemember.connectors.woocommerce.WooCommerceServer woocommerce() {
    connectorsDir();
    return woocommerce;
  }

  /** The mini-program {@code mp-tea-it} (safe-mode pushes) and {@code mp-mall-it} (plain). */
  public static final String MP_TEA_APP = "wx3a8e1f5c9b2d7046";

  public static final String MP_MALL_APP = "wx7d2c6b0a4e8f1935";

  /** The member card whose level the mini-programs' writeback sets. */
  public static final String MP_CARD = "pFS7Fjg8kV1IdDz01r4SQwMkuCKc";

  private com.onemember.connectors.wechat.WeChatServer wechat;

  /** WeChat's servers as the mini-programs {@code mp-tea-it} and {@code mp-mall-it} see them. */
  public synchronized com.onemember.connectors.wechat.WeChatServer wechat() {
    connectorsDir();
    return wechat;
  }

  /** The corporation whose WeCom customers {@code wecom-it} reads. */
  public static final String WECOM_CORP = "ww5c3e1a9b7d2f4068";

  private com.onemember.connectors.wecom.WeComServer wecom;

  /** WeCom's servers as the customer-contact app of {@code wecom-it} sees them. */
  public synchronized com.onemember.connectors.wecom.WeComServer wecom() {
    connectorsDir();
    return wecom;
  }

  /** The local Youzan gateway {@code shop-youzan-it} reads. */
  public synchronized com.onemember.connectors.youzan.YouzanServer youzan() {
    connectorsDir();
    return youzan;
  }

  /** The shop {@code shop-shopify-leaving} reads, which sends shop/redact. */
  public synchronized com.onemember.connectors.shopify.ShopifyServer shopifyLeaving() {
    connectorsDir();
    return shopifyLeaving;
  }

  /** The local shop speaking Shopify's Admin GraphQL API that {@code shop-shopify-it} reads. */
  public synchronized com.onemember.connectors.shopify.ShopifyServer shopify() {
    connectorsDir();
    return shopify;
  }

  /** The local server speaking Pospal's open API that the {@code pospal-it} connector reads. */
  public synchronized com.onemember.connectors.pospal.PospalServer pospal() {
    connectorsDir();
    return pospal;
  }

  /**
   * The connector instance files the shared hub of the tests reads: a uniCenta POS on a database of
   * this PostgreSQL server ({@value #UNICENTA_DATABASE}, its password given through the
   * environment), one whose database cannot be reached, and one disabled. Written once, before the
   * hub starts.
   */
  public synchronized Path connectorsDir() {
    Path dir = dataDir.resolve("connectors");
    if (connectorsReady) {
      return dir;
    }
    try {
      try (Connection con = ownerDataSource().getConnection();
          Statement st = con.createStatement()) {
        st.execute("create database " + UNICENTA_DATABASE);
      }
      try (Connection con = unicentaDataSource().getConnection();
          Statement st = con.createStatement()) {
        st.execute(
            new String(
                HubInfrastructure.class
                    .getResourceAsStream("/unicenta/customers-postgresql.sql")
                    .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
        // the side table the POS owner chose for golden ids and tags
        st.execute(
            "create table onemember_member (customer_id varchar primary key,"
                + " golden_id varchar, tags varchar)");
      }
      Files.createDirectories(dir);
      // the hub reads the secret from its environment; a system property stands in for it here
      System.setProperty("UNICENTA_IT_PASSWORD", "pos-reader-secret");
      Files.writeString(
          dir.resolve("pos-unicenta-it.yaml"),
          """
          # the test POS: uniCenta on PostgreSQL
          id: pos-unicenta-it
          kind: unicenta
          schedule: 1s
          trust: 95
          parameters:
            jdbc-url: %s
            username: postgres
            password: ${UNICENTA_IT_PASSWORD}
            golden-id-sql: >-
              insert into onemember_member (customer_id, golden_id) values (:customer_id, :golden_id)
              on conflict (customer_id) do update set golden_id = excluded.golden_id
            tags-sql: update onemember_member set tags = :tags where customer_id = :customer_id
          """
              .formatted(unicentaJdbcUrl()));
      Files.writeString(
          dir.resolve("pos-unicenta-down.yaml"),
          """
          # a POS whose database is not there
          id: pos-unicenta-down
          kind: unicenta
          schedule: 1s
          parameters:
            jdbc-url: jdbc:postgresql://127.0.0.1:%d/unicenta?connectTimeout=2
            username: reader
            password: none
          """
              .formatted(freePort()));
      pospal = new com.onemember.connectors.pospal.PospalServer();
      System.setProperty("POSPAL_IT_APP_KEY", com.onemember.connectors.pospal.PospalServer.APP_KEY);
      Files.writeString(
          dir.resolve("pospal-it.yaml"),
          """
          # a Pospal account, behind a local server that speaks Pospal's protocol
          id: pospal-it
          kind: pospal
          schedule: 1s
          parameters:
            base-url: %s
            app-id: %s
            app-key: ${POSPAL_IT_APP_KEY}
            timeout: 5
            tags-in-remarks: true
          """
              .formatted(pospal.baseUrl(), com.onemember.connectors.pospal.PospalServer.APP_ID));
      shopify = new com.onemember.connectors.shopify.ShopifyServer();
      System.setProperty(
          "SHOPIFY_IT_TOKEN", com.onemember.connectors.shopify.ShopifyServer.ACCESS_TOKEN);
      System.setProperty(
          "SHOPIFY_IT_WEBHOOK_SECRET",
          com.onemember.connectors.shopify.ShopifyServer.WEBHOOK_SECRET);
      Files.writeString(
          dir.resolve("shop-shopify-it.yaml"),
          """
          # a Shopify shop, behind a local server that speaks its Admin GraphQL API
          id: shop-shopify-it
          kind: shopify
          schedule: 1s
          trust: 60
          parameters:
            shop-domain: %s
            access-token: ${SHOPIFY_IT_TOKEN}
            webhook-secret: ${SHOPIFY_IT_WEBHOOK_SECRET}
            base-url: %s
            page-size: 50
            timeout: 5
          """
              .formatted(
                  com.onemember.connectors.shopify.ShopifyServer.SHOP_DOMAIN, shopify.baseUrl()));
      // a second shop of the same app, which leaves it (shop/redact erases all it gave)
      shopifyLeaving = new com.onemember.connectors.shopify.ShopifyServer();
      Files.writeString(
          dir.resolve("shop-shopify-leaving.yaml"),
          """
          id: shop-shopify-leaving
          kind: shopify
          schedule: 1s
          trust: 60
          parameters:
            shop-domain: %s
            access-token: ${SHOPIFY_IT_TOKEN}
            webhook-secret: ${SHOPIFY_IT_WEBHOOK_SECRET}
            base-url: %s
            timeout: 5
          """
              .formatted(
                  com.onemember.connectors.shopify.ShopifyServer.SHOP_DOMAIN,
                  shopifyLeaving.baseUrl()));
      youzan = new com.onemember.connectors.youzan.YouzanServer();
      System.setProperty(
          "YOUZAN_IT_SECRET", com.onemember.connectors.youzan.YouzanServer.CLIENT_SECRET);
      Files.writeString(
          dir.resolve("shop-youzan-it.yaml"),
          """
          # a Youzan shop, behind a local server that speaks the Youzan Cloud gateway
          id: shop-youzan-it
          kind: youzan
          schedule: 1s
          trust: 60
          parameters:
            client-id: %s
            client-secret: ${YOUZAN_IT_SECRET}
            grant-id: "%d"
            base-url: %s
            timeout: 5
          """
              .formatted(
                  com.onemember.connectors.youzan.YouzanServer.CLIENT_ID,
                  com.onemember.connectors.youzan.YouzanServer.KDT_ID,
                  youzan.baseUrl()));
      wechat = new com.onemember.connectors.wechat.WeChatServer();
      for (String[] app :
          new String[][] {
            {"mp-tea-it", MP_TEA_APP, "safe"}, {"mp-mall-it", MP_MALL_APP, "plain"}
          }) {
        String secret = "it" + app[1].substring(2) + "0123456789abcd";
        var registered = wechat.addApp(app[1], secret);
        String env = app[0].toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        System.setProperty(env + "_SECRET", secret);
        System.setProperty(env + "_TOKEN", registered.pushToken());
        System.setProperty(env + "_AES_KEY", registered.encodingAesKey());
        Files.writeString(
            dir.resolve(app[0] + ".yaml"),
            """
            # a WeChat mini-program, WeChat's servers played by a local stand-in
            id: %s
            kind: wechat-miniprogram
            trust: 70
            parameters:
              app-id: %s
              app-secret: ${%s_SECRET}
              token: ${%s_TOKEN}
              %s
              base-url: %s
              timeout: 5
              card-id: %s
              card-levels:
                - { tag: 忠实客户, level: 金卡会员, bonus: 500 }
                - { tag: 茶友, level: 茶友会员, bonus: 100 }
            """
                .formatted(
                    app[0],
                    app[1],
                    env,
                    env,
                    app[2].equals("safe") ? "encoding-aes-key: ${" + env + "_AES_KEY}" : "",
                    wechat.baseUrl(),
                    MP_CARD));
      }
      String wecomSecret = "itWeComContactSecret0123456789abcdefABCDEF";
      wecom = new com.onemember.connectors.wecom.WeComServer(WECOM_CORP, wecomSecret);
      wecom.setCallbackConfig("LinTeaWeComIt", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C");
      wecom.setUnionidBound(true);
      System.setProperty("WECOM_IT_SECRET", wecomSecret);
      System.setProperty("WECOM_IT_TOKEN", wecom.callbackToken());
      System.setProperty("WECOM_IT_AES_KEY", wecom.callbackAesKey());
      Files.writeString(
          dir.resolve("wecom-it.yaml"),
          """
          # WeCom customer contact (企业微信 客户联系), WeCom's servers played by a local stand-in
          id: wecom-it
          kind: wecom-contacts
          schedule: 2s
          trust: 40
          parameters:
            corp-id: %s
            secret: ${WECOM_IT_SECRET}
            token: ${WECOM_IT_TOKEN}
            encoding-aes-key: ${WECOM_IT_AES_KEY}
            base-url: %s
            timeout: 5
          """
              .formatted(WECOM_CORP, wecom.baseUrl()));
      woocommerce = new com.onemember.connectors.woocommerce.WooCommerceServer();
      woocommerce.setAnalytics(true);
      System.setProperty(
          "WOO_IT_SECRET", com.onemember.connectors.woocommerce.WooCommerceServer.CONSUMER_SECRET);
      System.setProperty(
          "WOO_IT_WEBHOOK_SECRET",
          com.onemember.connectors.woocommerce.WooCommerceServer.WEBHOOK_SECRET);
      Files.writeString(
          dir.resolve("shop-woo-it.yaml"),
          """
          # a WooCommerce shop, behind a local server that speaks wc/v3
          id: shop-woo-it
          kind: woocommerce
          schedule: 1s
          trust: 60
          parameters:
            base-url: %s
            consumer-key: %s
            consumer-secret: ${WOO_IT_SECRET}
            webhook-secret: ${WOO_IT_WEBHOOK_SECRET}
            timeout: 5
          """
              .formatted(
                  woocommerce.baseUrl(),
                  com.onemember.connectors.woocommerce.WooCommerceServer.CONSUMER_KEY));
      System.setProperty("SITE_IT_SECRET", SITE_SECRET);
      Files.writeString(
          dir.resolve("site-push-it.yaml"),
          """
          # the retailer's own web shop, pushing its members to /hooks/site-push-it
          id: site-push-it
          kind: custom-webhook
          trust: 70
          parameters:
            secret: ${SITE_IT_SECRET}
          """);
      osposDatabase();
      Files.writeString(
          dir.resolve("pos-ospos-it.yaml"),
          """
          # the test POS: Open Source Point of Sale on an embedded MariaDB
          id: pos-ospos-it
          kind: ospos
          schedule: 1s
          parameters:
            jdbc-url: %s
            username: %s
            password: ""
            golden-id-sql: >-
              insert into onemember_member (person_id, golden_id) values (:customer_id, :golden_id)
              on duplicate key update golden_id = values(golden_id)
            tags-sql: update onemember_member set tags = :tags where person_id = :customer_id
          """
              .formatted(
                  com.onemember.connectors.testing.EmbeddedMariaDb.get().jdbcUrl(OSPOS_DATABASE),
                  com.onemember.connectors.testing.EmbeddedMariaDb.USER));
      Files.writeString(
          dir.resolve("pos-console-down.yaml"),
          """
          # a POS whose database is not there, for the console's connector page (ConsoleBrowserIT
          # pauses, resumes and runs it); hourly, so it fails once at start and then waits
          id: pos-console-down
          kind: unicenta
          schedule: 1h
          parameters:
            jdbc-url: jdbc:postgresql://127.0.0.1:%d/unicenta?connectTimeout=2
            username: reader
            password: none
          """
              .formatted(freePort()));
      Files.writeString(
          dir.resolve("pos-unicenta-off.yaml"),
          """
          id: pos-unicenta-off
          kind: unicenta
          enabled: false
          parameters:
            jdbc-url: jdbc:postgresql://127.0.0.1:1/unicenta
            username: reader
            password: none
          """);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("could not prepare the connector tests' POS database", e);
    }
    connectorsReady = true;
    return dir;
  }

  /** The key the {@code site-push-it} connector and its test sender sign with. */
  public static final String SITE_SECRET = "site-push-secret-5d2a91c4";

  /** The OSPOS POS database of the connector tests, on the embedded MariaDB. */
  public static final String OSPOS_DATABASE = "ospos_pos";

  private static void osposDatabase() throws IOException, SQLException {
    var mariadb = com.onemember.connectors.testing.EmbeddedMariaDb.get();
    try (var in =
        HubInfrastructure.class.getResourceAsStream("/ospos/people-customers-mysql.sql")) {
      mariadb.createDatabase(
          OSPOS_DATABASE, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    try (Connection c = mariadb.connect(OSPOS_DATABASE);
        Statement st = c.createStatement()) {
      // the side table the POS owner chose for golden ids and tags
      st.execute(
          "create table onemember_member (person_id int primary key, golden_id varchar(36),"
              + " tags varchar(1000))");
    }
  }

  /** A connection to the OSPOS POS database, to add, change and delete customers as OSPOS does. */
  public Connection osposConnection() throws SQLException {
    connectorsDir();
    return com.onemember.connectors.testing.EmbeddedMariaDb.get().connect(OSPOS_DATABASE);
  }

  public String unicentaJdbcUrl() {
    return databaseUrl(UNICENTA_DATABASE);
  }

  /** The URL of another database of this server. */
  public String databaseUrl(String name) {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
  }

  /** The uniCenta POS database as its owner, to add and change customers as the POS would. */
  public DataSource unicentaDataSource() {
    return database(UNICENTA_DATABASE);
  }

  /** Another database of this server, as its owner (a bench's POS). */
  public DataSource database(String name) {
    return postgres.getDatabase(OWNER, name);
  }

  /** The database's URL, with no user in it: the user comes from the properties. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  /**
   * The superuser {@code postgres}, who owns the tables: what Flyway migrates with, and what a test
   * uses to act as a DBA (switch a trigger off, edit the merge log behind the hub's back).
   */
  public DataSource ownerDataSource() {
    return postgres.getPostgresDatabase();
  }

  /**
   * What a DBA does before the first start on an external database: the group role the migrations
   * grant to and a login role in it for the hub (no password: the server trusts local connections).
   */
  private void createHubRole() throws SQLException {
    try (Connection con = ownerDataSource().getConnection();
        Statement st = con.createStatement()) {
      st.execute("create role " + APP_ROLE + " nologin");
      st.execute("create role " + HUB_ROLE + " login in role " + APP_ROLE);
    }
  }

  /**
   * How a hub reaches these services, as an operator configures an external database and broker:
   * the hub as the app role, Flyway as the owner; its data under {@code dataDir()/<dataDirName>}.
   */
  public java.util.Map<String, String> hubProperties(String dataDirName) {
    java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("spring.datasource.url", jdbcUrl());
    p.put("spring.datasource.username", HUB_ROLE);
    p.put("spring.datasource.password", "");
    p.put("spring.flyway.user", OWNER);
    p.put("spring.flyway.password", "");
    p.put("spring.artemis.mode", "native");
    p.put("spring.artemis.broker-url", brokerUrl());
    p.put("onemember.data-dir", dataDir.resolve(dataDirName).toString());
    // hubs that share a database share the merge log's key, as operators give it to each of them
    p.put("onemember.merge-log.key-file", dataDir.resolve("merge-log-key").toString());
    // every test calls from 127.0.0.1: a short window, so the one that sends bad tokens on purpose
    // does not hold the others up for a minute
    p.put("onemember.security.failed-token-window", "3s");
    return p;
  }

  /** {@link #hubProperties} as command-line arguments ({@code --name=value}). */
  public java.util.List<String> hubArguments(String dataDirName) {
    return hubProperties(dataDirName).entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toList();
  }

  public String brokerUrl() {
    return brokerUrl;
  }

  public Path dataDir() {
    return dataDir;
  }

  public EmbeddedActiveMQ broker() {
    return broker;
  }

  private void stop() {
    try {
      broker.stop();
    } catch (Exception ignored) {
      // the JVM is exiting
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
