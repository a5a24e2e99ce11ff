package com.onemember.hub.bench;

import com.onemember.connectors.wecom.WeComServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How fast WeCom customers reach the hub, against the WeCom stand-in ({@link WeComServer}): {@code
 * N} customers (default 20,000) spread over 40 staff members, read by the connector's first sync
 * and timed until the hub holds a record for each relationship; then {@code C} remark edits
 * (default 2,000, {@code edit_external_contact} callbacks, encrypted as WeCom sends them) at {@code
 * R} per second (default 100), each completed by the hub from {@code externalcontact/get}, and the
 * delay from each callback being sent to its member's golden event (p50, p99, max).
 *
 * <p>The hub runs in this JVM on a durable PostgreSQL of its own (fsync and synchronous_commit on,
 * as the bench prints).
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.WeComCallbackBench
 * -Dexec.args="20000 2000 100"}.
 */
public final class WeComCallbackBench {

  private static final String SOURCE = "wecom-bench";
  private static final String CORP = "ww7b2e4c9a1d3f5086";
  private static final int STAFF = 40;

  private WeComCallbackBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int pushes = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    EmbeddedPostgres postgres = ConnectorBenches.durablePostgres();
    DataSource db = postgres.getPostgresDatabase();
    String secret = "bench" + "0".repeat(38);
    WeComServer wecom = new WeComServer(CORP, secret);
    wecom.setCallbackConfig("WeComBench2026", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C");
    wecom.setUnionidBound(true);
    for (int i = 1; i <= STAFF; i++) {
      wecom.addStaff("staff%02d".formatted(i), "店员%02d".formatted(i));
    }
    wecom.generate(customers, 20261206);
    List<WeComServer.Follow> pairs = new ArrayList<>();
    for (int i = 1; i <= STAFF; i++) {
      pairs.addAll(wecom.follows("staff%02d".formatted(i)));
    }
    System.out.printf(
        Locale.ROOT,
        "wecom corp %s: %d customers, %d relationships over %d staff%n",
        CORP,
        customers,
        pairs.size(),
        STAFF);

    Path dir = Files.createTempDirectory("onemember-bench-connectors");
    Files.writeString(
        dir.resolve(SOURCE + ".yaml"),
        """
        id: %s
        kind: wecom-contacts
        schedule: 10m
        parameters:
          corp-id: %s
          secret: %s
          token: %s
          encoding-aes-key: %s
          base-url: %s
          writeback: false
        """
            .formatted(
                SOURCE,
                CORP,
                secret,
                wecom.callbackToken(),
                wecom.callbackAesKey(),
                wecom.baseUrl()));
    ConfigurableApplicationContext hub = ConnectorBenches.hub(postgres, dir);
    String base = "http://127.0.0.1:" + hub.getEnvironment().getProperty("local.server.port");
    try {
      ConnectorBenches.timeInitialSync(db, SOURCE, pairs.size(), "relationships");
      java.util.Map<String, WeComServer.Follow> byKey = new java.util.HashMap<>();
      pairs.forEach(f -> byKey.put(f.externalUserid() + ":" + f.userid(), f));
      String hook = base + "/hooks/" + SOURCE;
      ConnectorBenches.timePushes(
          db,
          SOURCE,
          new ArrayList<>(byKey.keySet()),
          pushes,
          rate,
          (key, i) -> {
            WeComServer.Follow f = byKey.get(key);
            wecom.editContact(f.userid(), f.externalUserid(), "备注" + i, null, null);
            return wecom.sendEditExternalContact(hook, f.userid(), f.externalUserid()).counted();
          },
          "wecom edit_external_contact callback");
    } finally {
      hub.close();
      wecom.close();
      postgres.close();
    }
    System.exit(0);
  }
}
