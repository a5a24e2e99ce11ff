package com.onemember.hub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.onemember.OneMemberHub;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.hub.outbound.OutboundSettings;
import com.onemember.hub.support.HubInfrastructure;
import com.onemember.mdm.store.RecordJson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How fast golden-record changes reach a consuming system: source records go onto {@code
 * onemember.inbound} as a connector sends them, the hub ingests them (each a new member, so one
 * CREATED event each), the relay publishes the outbox to {@code onemember.golden.changed}, and the
 * hub POSTs each event to a signed webhook on a local HTTP server, which checks the signature and
 * notes when it got it. "Accepted" is the moment the broker confirmed it holds the record durably
 * (the send or the commit returned): from then on the change is the hub's to deliver.
 *
 * <p>Three loads after a warm-up of 200 records. A burst of N records offered at once (in
 * transactions of 100): events/s end to end and from the first to the last webhook receipt. A
 * backlog of N/2 records ingested while the relay is stopped, then released: events/s of outbox →
 * topic → webhook alone, which the burst cannot show when ingest is the slower part. A paced load:
 * the latency from accepted to webhook receipt (p50, p90, p99, max), split at the event's {@code
 * occurredAt} (when ingest took the record). Runs the whole hub, configured as the integration
 * tests configure it, on its own PostgreSQL and Artemis broker over TCP ({@link
 * HubInfrastructure}), with the shipped defaults otherwise (relay-period, ingest consumers).
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.OutboundBench
 * -Dexec.args="5000 50 60"} (burst size, paced records/s, paced seconds; about 3 minutes on two
 * cores).
 */
public final class OutboundBench {

  private static final String SOURCE = "pos-store-21";
  private static final String SECRET = "whsec-bench-8d1f3a6c52e7";
  private static final int WARM_UP = 200;
  private static final int BURST_TRANSACTION = 100;
  private static final Duration STALL = Duration.ofSeconds(60);
  private static final String RELAY_ROUTE = "outbox-relay";

  /** When the bench started, on both clocks: turns the events' {@code occurredAt} into nanos. */
  private static final long BASE_NANOS = System.nanoTime();

  private static final Instant BASE_WALL = Instant.now();

  private OutboundBench() {}

  public static void main(String[] args) throws Exception {
    // the receiver below is the JDK's HttpServer: without this it answers each POST ~40 ms late
    // (Nagle's algorithm against the client's delayed ACK), which no real receiver does
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int burst = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "machine: %d cores, max heap %d MB, Java %s%n",
        rt.availableProcessors(), rt.maxMemory() >> 20, System.getProperty("java.version"));

    // the services start before Spring Boot configures logging: keep their start-up chatter out
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Receiver receiver = new Receiver();
    HubInfrastructure infra = HubInfrastructure.get();
    ConfigurableApplicationContext hub = startHub(infra, receiver.url());
    int status = 0;
    try (Sender sender = new Sender(infra.brokerUrl())) {
      System.out.printf(
          "hub: relay-period %s, %s ingest consumers, one webhook (signature checked)%n",
          hub.getBean(OutboundSettings.class).relayPeriod().toMillis() + " ms",
          hub.getEnvironment().getProperty("onemember.ingest.consumers"));
      People people = new People(42);

      List<SourceRecord> warmUp = people.next(WARM_UP, 9_000_000);
      sender.offerInTransactions(warmUp, BURST_TRANSACTION);
      receiver.await(warmUp.size());
      receiver.clear();

      List<SourceRecord> burstRecords = people.next(burst, 1_000_000);
      long offerStart = System.nanoTime();
      sender.offerInTransactions(burstRecords, BURST_TRANSACTION);
      double offering = (System.nanoTime() - offerStart) / 1e9;
      int got = receiver.await(burstRecords.size());
      reportBurst(burstRecords, sender, receiver, got, offering);
      receiver.clear();

      drain(hub, people.next(burst / 2, 3_000_000), sender, receiver);
      receiver.clear();

      List<SourceRecord> pacedRecords = people.next(rate * seconds, 2_000_000);
      long pacedStart = System.nanoTime();
      sender.offerPaced(pacedRecords, rate);
      double offeredFor = (System.nanoTime() - pacedStart) / 1e9;
      got = receiver.await(pacedRecords.size());
      reportPaced(pacedRecords, sender, receiver, got, rate, seconds, offeredFor);
      System.out.printf(
          "webhook: %d POSTs with a bad signature, %d events delivered twice, %d not CREATED%n",
          receiver.badSignatures.get(), receiver.duplicates.get(), receiver.otherTypes.get());
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      hub.close();
      receiver.stop();
    }
    System.exit(status);
  }

  private static void reportBurst(
      List<SourceRecord> records, Sender sender, Receiver receiver, int got, double offering) {
    long firstAccepted = Long.MAX_VALUE;
    long firstReceipt = Long.MAX_VALUE;
    long lastReceipt = Long.MIN_VALUE;
    long lastOccurred = Long.MIN_VALUE;
    for (SourceRecord r : records) {
      firstAccepted = Math.min(firstAccepted, sender.accepted.get(key(r)));
      Receipt receipt = receiver.receipts.get(key(r));
      if (receipt != null) {
        firstReceipt = Math.min(firstReceipt, receipt.nanos());
        lastReceipt = Math.max(lastReceipt, receipt.nanos());
        lastOccurred = Math.max(lastOccurred, receipt.occurredNanos());
      }
    }
    System.out.printf(
        "burst: %d records offered at once (in transactions of %d, offering took %.1f s),"
            + " %d CREATED events received%n",
        records.size(), BURST_TRANSACTION, offering, got);
    if (got == 0) {
      return;
    }
    double endToEnd = (lastReceipt - firstAccepted) / 1e9;
    double ingest = (lastOccurred - firstAccepted) / 1e9;
    double receipts = (lastReceipt - firstReceipt) / 1e9;
    System.out.printf(
        "  end to end, first accepted -> last webhook receipt: %.1f s, %.0f events/s%n",
        endToEnd, got / endToEnd);
    System.out.printf(
        "  ingest, first accepted -> last record taken off the queue (occurredAt): %.1f s,"
            + " %.0f records/s%n",
        ingest, got / ingest);
    System.out.printf(
        "  outbox -> webhook, first -> last webhook receipt: %.1f s, %.0f events/s"
            + " (first receipt %.2f s after first accepted, last %.2f s after last ingest)%n",
        receipts,
        got / receipts,
        (firstReceipt - firstAccepted) / 1e9,
        (lastReceipt - lastOccurred) / 1e9);
  }

  /**
   * Delivery alone: the relay is stopped while {@code records} are ingested, so their events wait
   * in the outbox; then it is started and the backlog goes out through the topic to the webhook.
   */
  private static void drain(
      ConfigurableApplicationContext hub,
      List<SourceRecord> records,
      Sender sender,
      Receiver receiver)
      throws Exception {
    CamelContext camel = hub.getBean(CamelContext.class);
    JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
    camel.getRouteController().stopRoute(RELAY_ROUTE);
    sender.offerInTransactions(records, BURST_TRANSACTION);
    Awaitility.await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                jdbc.queryForObject(
                    "select count(*) from golden_event_unpositioned", Integer.class),
            n -> n >= records.size());
    long start = System.nanoTime();
    camel.getRouteController().startRoute(RELAY_ROUTE);
    CompletableFuture<Long> published =
        CompletableFuture.supplyAsync(
            () -> {
              Awaitility.await()
                  .atMost(Duration.ofMinutes(5))
                  .pollInterval(Duration.ofMillis(20))
                  .until(
                      () ->
                          jdbc.queryForObject(
                              "select (select count(*) from golden_event_unpositioned)"
                                  + " + (select count(*) from golden_event_position where"
                                  + " position > (select position from outbox_relay"
                                  + " where name = 'topic'))",
                              Integer.class),
                      n -> n == 0);
              return System.nanoTime();
            });
    int got = receiver.await(records.size());
    long relayed = published.get();
    long firstPublish = Long.MAX_VALUE;
    long firstReceipt = Long.MAX_VALUE;
    long lastReceipt = Long.MIN_VALUE;
    for (SourceRecord r : records) {
      Receipt receipt = receiver.receipts.get(key(r));
      if (receipt != null) {
        firstReceipt = Math.min(firstReceipt, receipt.nanos());
        lastReceipt = Math.max(lastReceipt, receipt.nanos());
      }
    }
    System.out.printf(
        "backlog: %d records ingested with the relay stopped, then the relay started,"
            + " %d CREATED events received%n",
        records.size(), got);
    if (got == 0) {
      return;
    }
    double receipts = (lastReceipt - firstReceipt) / 1e9;
    System.out.printf(
        "  outbox -> webhook, first -> last webhook receipt: %.1f s, %.0f events/s%n",
        receipts, got / receipts);
    System.out.printf(
        "  relay positioned and published the backlog in %.1f s after its first receipt"
            + " (%.1f s after the route started; its timer waits 2 s first)%n",
        (relayed - firstReceipt) / 1e9, (relayed - start) / 1e9);
  }

  private static void reportPaced(
      List<SourceRecord> records,
      Sender sender,
      Receiver receiver,
      int got,
      int rate,
      int seconds,
      double offeredFor) {
    long[] total = new long[got];
    long[] queued = new long[got];
    long[] after = new long[got];
    int i = 0;
    for (SourceRecord r : records) {
      Receipt receipt = receiver.receipts.get(key(r));
      if (receipt != null && i < got) {
        long accepted = sender.accepted.get(key(r));
        total[i] = receipt.nanos() - accepted;
        queued[i] = receipt.occurredNanos() - accepted;
        after[i] = receipt.nanos() - receipt.occurredNanos();
        i++;
      }
    }
    System.out.printf(
        "paced: %d records/s for %d s (%d records, offered at %.1f/s), %d CREATED events"
            + " received%n",
        rate, seconds, records.size(), records.size() / offeredFor, got);
    System.out.println("  latency accepted -> webhook receipt: " + percentiles(total));
    System.out.println("    accepted -> taken off the queue:  " + percentiles(queued));
    System.out.println("    taken off the queue -> receipt:   " + percentiles(after));
  }

  private static String percentiles(long[] nanos) {
    if (nanos.length == 0) {
      return "no events";
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return "p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms"
        .formatted(
            rank(sorted, 0.50) / 1e6,
            rank(sorted, 0.90) / 1e6,
            rank(sorted, 0.99) / 1e6,
            sorted[sorted.length - 1] / 1e6);
  }

  /** Nearest-rank percentile of sorted values. */
  private static long rank(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String key(SourceRecord r) {
    return r.source() + ":" + r.sourceRecordId();
  }

  /** The hub as the integration tests configure it, with one webhook to the bench's receiver. */
  private static ConfigurableApplicationContext startHub(HubInfrastructure infra, String url) {
    String w = "--onemember.outbound.webhooks[0].";
    List<String> args = new ArrayList<>(infra.hubArguments("hub"));
    args.addAll(
        List.of(
            "--server.port=0",
            "--onemember.security.admin-token=bench-admin-token-3e9b17",
            "--logging.level.root=WARN",
            "--camel.main.shutdown-timeout=5",
            w + "name=bench",
            w + "url=" + url,
            w + "secret=" + SECRET,
            w + "timeout=5s"));
    return SpringApplication.run(OneMemberHub.class, args.toArray(String[]::new));
  }

  /** A connector's view of the broker: sends source records to {@code onemember.inbound}. */
  private static final class Sender implements AutoCloseable {

    /** Source record key to the nanos when the broker confirmed it held the record. */
    final Map<String, Long> accepted = new ConcurrentHashMap<>();

    private final ActiveMQConnectionFactory factory;
    private final Connection connection;

    Sender(String brokerUrl) throws Exception {
      factory = new ActiveMQConnectionFactory(brokerUrl);
      connection = factory.createConnection();
    }

    /** As fast as the broker takes them, {@code per} records a transaction. */
    void offerInTransactions(List<SourceRecord> records, int per) throws Exception {
      try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
          MessageProducer producer =
              session.createProducer(session.createQueue("onemember.inbound"))) {
        List<String> pending = new ArrayList<>();
        for (SourceRecord r : records) {
          producer.send(session.createTextMessage(RecordJson.write(r)));
          pending.add(key(r));
          if (pending.size() == per) {
            commit(session, pending);
          }
        }
        commit(session, pending);
      }
    }

    private void commit(Session session, List<String> pending) throws Exception {
      session.commit();
      long now = System.nanoTime();
      pending.forEach(k -> accepted.put(k, now));
      pending.clear();
    }

    /** One record every {@code 1/rate} s, each a persistent send the broker confirms. */
    void offerPaced(List<SourceRecord> records, int rate) throws Exception {
      try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
          MessageProducer producer =
              session.createProducer(session.createQueue("onemember.inbound"))) {
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (SourceRecord r : records) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          producer.send(session.createTextMessage(RecordJson.write(r)));
          accepted.put(key(r), System.nanoTime());
          next += interval;
        }
      }
    }

    @Override
    public void close() throws Exception {
      connection.close();
      factory.close();
    }
  }

  /** When the webhook got one CREATED event, and the event's {@code occurredAt} in nanos. */
  private record Receipt(long nanos, long occurredNanos) {}

  /**
   * The consuming system's webhook on a JDK HTTP server on loopback: checks each POST's signature
   * as a real receiver must (401 if it does not hold) and notes, per source record, when its
   * CREATED event arrived.
   */
  private static final class Receiver {

    final Map<String, Receipt> receipts = new ConcurrentHashMap<>();
    final AtomicInteger badSignatures = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger otherTypes = new AtomicInteger();

    private final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    private final Semaphore arrivals = new Semaphore(0);
    private final HttpServer server;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext("/bench", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/bench";
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        long now = System.nanoTime();
        String timestamp = exchange.getRequestHeaders().getFirst("X-OneMember-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("X-OneMember-Signature");
        String text = new String(body, StandardCharsets.UTF_8);
        if (signature == null
            || timestamp == null
            || !MessageDigest.isEqual(
                signature.getBytes(StandardCharsets.US_ASCII),
                ("sha256=" + hmac(timestamp + "." + text)).getBytes(StandardCharsets.US_ASCII))) {
          badSignatures.incrementAndGet();
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        exchange.sendResponseHeaders(204, -1);
        JsonNode event = RecordJson.mapper().readTree(text);
        if (!eventIds.add(event.path("eventId").asText())) {
          duplicates.incrementAndGet();
        } else if (!"CREATED".equals(event.path("type").asText())) {
          otherTypes.incrementAndGet();
        } else {
          long occurred =
              BASE_NANOS
                  + Duration.between(BASE_WALL, Instant.parse(event.path("occurredAt").asText()))
                      .toNanos();
          for (JsonNode r : event.path("sourceRecords")) {
            String key = r.path("source").asText() + ":" + r.path("sourceRecordId").asText();
            if (receipts.putIfAbsent(key, new Receipt(now, occurred)) == null) {
              arrivals.release();
            }
          }
        }
      }
    }

    /**
     * Waits for {@code expected} CREATED events, or until none came for a minute; returns how many
     * came.
     */
    int await(int expected) throws InterruptedException {
      int got = 0;
      while (got < expected && arrivals.tryAcquire(STALL.toMillis(), TimeUnit.MILLISECONDS)) {
        got++;
      }
      if (got < expected) {
        System.out.printf(
            "  (gave up: no event for %d s, %d missing)%n", STALL.toSeconds(), expected - got);
      }
      return got;
    }

    void clear() {
      receipts.clear();
      arrivals.drainPermits();
    }

    void stop() {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private static String hmac(String text) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Distinct people as a store's POS exports them: a common Chinese family name and a one- or
   * two-character given name, a unique mainland mobile (13x, 15x, 18x), a birthday, a member card.
   * Seeded, so every run offers the same records.
   */
  private static final class People {

    private static final String SURNAMES =
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    private static final String GIVEN =
        "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬辉鹏飞斌宇浩凯健俊帆帅旭宁龙林欣悦雨婷思琪梓涵子轩然诺怡佳晨阳泽博文嘉雅婉清志建国庆春梅海波亮晓丹露瑶倩颖慧琳";
    private static final String[] PREFIXES = {
      "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
      "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "184", "185", "186",
      "187", "188", "189"
    };

    private final Random random;
    private final Set<String> mobiles = new HashSet<>();

    People(long seed) {
      random = new Random(seed);
    }

    /** {@code count} new people with member cards from {@code firstCard}. */
    List<SourceRecord> next(int count, int firstCard) {
      List<SourceRecord> people = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String card = Integer.toString(firstCard + i);
        String name = name();
        String mobile = mobile();
        String birthday =
            "%d-%02d-%02d"
                .formatted(
                    1955 + random.nextInt(50), 1 + random.nextInt(12), 1 + random.nextInt(28));
        String gender = random.nextBoolean() ? "男" : "女";
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("会员卡号", card);
        raw.put("姓名", name);
        raw.put("性别", gender);
        raw.put("手机号", mobile);
        raw.put("生日", birthday);
        people.add(
            new SourceRecord(
                SOURCE,
                "card:" + card,
                Instant.now(),
                name,
                null,
                gender,
                birthday,
                List.of(
                    Identifier.of(IdentifierType.MOBILE, mobile),
                    new Identifier(IdentifierType.MEMBER_CARD, card, SOURCE)),
                List.of(),
                List.of(),
                List.of(),
                null,
                raw));
      }
      return people;
    }

    private String name() {
      StringBuilder name = new StringBuilder();
      name.append(SURNAMES.charAt(random.nextInt(SURNAMES.length())));
      int given = random.nextInt(10) < 3 ? 1 : 2;
      for (int i = 0; i < given; i++) {
        name.append(GIVEN.charAt(random.nextInt(GIVEN.length())));
      }
      return name.toString();
    }

    private String mobile() {
      while (true) {
        String m =
            PREFIXES[random.nextInt(PREFIXES.length)]
                + "%08d".formatted(random.nextInt(100_000_000));
        if (mobiles.add(m)) {
          return m;
        }
      }
    }
  }
}
