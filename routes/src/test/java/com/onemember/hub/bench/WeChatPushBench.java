package com.onemember.hub.bench;

import com.onemember.connectors.wechat.WeChatServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How fast a WeChat mini-program reaches the hub, against the WeChat stand-in ({@link
 * WeChatServer}): {@code N} people (default 20,000) registered by the mini-program's back end at
 * {@code POST /api/v1/connectors/<id>/members} (the ids and phone it holds, four callers at once),
 * timed until the hub holds a record for each; then {@code C} member-card pushes (default 2,000,
 * {@code user_get_card} in safe mode, XML) sent at {@code R} per second (default 100), and the
 * delay from each push being sent to its member's golden event (p50, p99, max).
 *
 * <p>The hub runs in this JVM on a durable PostgreSQL of its own (fsync and synchronous_commit on,
 * as the bench prints).
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.WeChatPushBench
 * -Dexec.args="20000 2000 100"}.
 */
public final class WeChatPushBench {

  private static final String SOURCE = "mp-bench";
  private static final String APP = "wx1c5e9a3f7b2d4086";
  private static final String CARD = "pFS7Fjg8kV1IdDz01r4SQwMkuCKc";

  private WeChatPushBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int people = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int pushes = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    EmbeddedPostgres postgres = ConnectorBenches.durablePostgres();
    DataSource db = postgres.getPostgresDatabase();
    WeChatServer wechat = new WeChatServer();
    WeChatServer.App app = wechat.addApp(APP, "bench" + "0".repeat(27));
    List<WeChatServer.Person> all = wechat.generate(people, 20261206);
    System.out.printf(Locale.ROOT, "mini-program %s: %d people%n", APP, people);

    Path dir = Files.createTempDirectory("onemember-bench-connectors");
    Files.writeString(
        dir.resolve(SOURCE + ".yaml"),
        """
        id: %s
        kind: wechat-miniprogram
        parameters:
          app-id: %s
          app-secret: %s
          token: %s
          encoding-aes-key: %s
          base-url: %s
        """
            .formatted(
                SOURCE,
                APP,
                app.secret(),
                app.pushToken(),
                app.encodingAesKey(),
                wechat.baseUrl()));
    ConfigurableApplicationContext hub = ConnectorBenches.hub(postgres, dir);
    String base = "http://127.0.0.1:" + hub.getEnvironment().getProperty("local.server.port");
    String token = hub.getEnvironment().getProperty("onemember.security.admin-token");
    HttpClient http = HttpClient.newHttpClient();
    try {
      // the back end registers everyone, four callers at once; the bench times their arrival
      ExecutorService callers = Executors.newFixedThreadPool(4);
      List<Future<Integer>> answers = new ArrayList<>();
      for (WeChatServer.Person p : all) {
        String json =
            "{\"openid\":\"%s\",\"unionid\":\"%s\"%s}"
                .formatted(
                    p.openid(APP),
                    p.unionid(),
                    p.phone() == null ? "" : ",\"phone\":\"" + p.phone() + "\"");
        answers.add(
            callers.submit(
                () ->
                    http.send(
                            HttpRequest.newBuilder(
                                    URI.create(base + "/api/v1/connectors/" + SOURCE + "/members"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                        json, StandardCharsets.UTF_8))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()));
      }
      ConnectorBenches.timeInitialSync(db, SOURCE, people, "registrations");
      long refused = 0;
      for (Future<Integer> answer : answers) {
        refused += answer.get() == 202 ? 0 : 1;
      }
      callers.shutdown();
      System.out.printf(Locale.ROOT, "registrations refused: %d%n", refused);

      java.util.Map<String, WeChatServer.Person> byOpenid = new java.util.HashMap<>();
      all.forEach(p -> byOpenid.put(p.openid(APP), p));
      List<String> ids = all.stream().map(p -> p.openid(APP)).toList();
      String hook = base + "/hooks/" + SOURCE;
      ConnectorBenches.timePushes(
          db,
          SOURCE,
          ids,
          pushes,
          rate,
          (id, i) -> {
            WeChatServer.Person p = byOpenid.get(id);
            WeChatServer.Card card = wechat.giveCard(APP, CARD, p, 0);
            return wechat
                .userGetCard(
                    hook, APP, p, CARD, card.code, WeChatServer.Mode.SAFE, WeChatServer.Format.XML)
                .counted();
          },
          "wechat member-card push");
    } finally {
      hub.close();
      wechat.close();
      postgres.close();
    }
    System.exit(0);
  }
}
