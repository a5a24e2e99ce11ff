package com.onemember.hub.bench;

import com.onemember.api.client.ImportsApi;
import com.onemember.hub.support.BrokerProcess;
import com.onemember.hub.support.ChildJvm;
import com.onemember.hub.support.HubInfrastructure;
import com.onemember.hub.support.HubJar;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two hubs against one, on the same machine in the same run, and how long a connector takes to move
 * to the surviving hub. All on a durable PostgreSQL of the bench's own (fsync, synchronous_commit
 * and full_page_writes on, printed) and a standalone Artemis broker in a process of its own; each
 * hub is the packaged jar in its own JVM.
 *
 * <p>Throughput: two stores' member files ({@link MemberFile}, GBK CSV, {@code rows} each, other
 * people in each) uploaded at the same moment: to one hub, then, on a new database, one file to
 * each of two hubs. Timed from the uploads to the last row settled; printed as rows/s and the ratio
 * two hubs / one.
 *
 * <p>Handover: a uniCenta POS (its customers table, on the same server) polled every second by a
 * connector both hubs declare. The hub that leads it is killed with SIGKILL; printed: the time from
 * the kill to the first run the other hub starts, and to a customer added at the kill arriving as a
 * member.
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.ClusterBench
 * -Dexec.args="20000"} (rows per file).
 */
public final class ClusterBench {

  private static final long SEED = 20_261_207L;

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    HubInfrastructure infra = HubInfrastructure.get();
    System.out.println("machine: " + ImportBench.machine());
    System.out.println("data: " + infra.dataDir());
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path path = infra.dataDir().resolve("store-" + i + ".csv");
      MemberFile.write(path, MemberFile.Format.CSV, rows, SEED + i);
      files.add(path);
    }
    EmbeddedPostgres postgres =
        ConnectorBenches.durablePostgres(Files.createTempDirectory(infra.dataDir(), "durable-pg"));
    Path store = Files.createTempDirectory(infra.dataDir(), "broker-");
    int exit = 1;
    try (BrokerProcess broker =
        BrokerProcess.start(
            "bench-broker", BrokerProcess.Role.STANDALONE, store, ChildJvm.freePort(), 0)) {
      double one = importRound(postgres, broker, "bench_one", files, 1);
      double two = importRound(postgres, broker, "bench_two", files, 2);
      System.out.printf(
          "throughput: one hub %,.0f rows/s, two hubs %,.0f rows/s: ratio %.2f%n",
          2.0 * rows / one, 2.0 * rows / two, one / two);
      handover(postgres, broker);
      exit = 0;
    } catch (Exception e) {
      e.printStackTrace();
    } finally {
      postgres.close();
    }
    System.exit(exit);
  }

  /** Uploads the files at once, file i to hub i % hubs; returns the seconds to the last row. */
  private static double importRound(
      EmbeddedPostgres postgres, BrokerProcess broker, String database, List<Path> files, int n)
      throws Exception {
    JdbcTemplate db = create(postgres, database);
    List<HubJar> hubs = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        hubs.add(
            HubJar.start(
                database + "-hub-" + (i + 1),
                properties(postgres, broker, database, database + "-hub-" + (i + 1)),
                "bench-9f3a"));
      }
      hubs.forEach(HubJar::awaitUp);
      long start = System.nanoTime();
      List<CompletableFuture<UUID>> uploads = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        HubJar hub = hubs.get(i % n);
        Path file = files.get(i);
        String source = "store-" + i;
        uploads.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return new ImportsApi(hub.client())
                        .createImport(file.toFile(), source, null)
                        .getId();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      for (CompletableFuture<UUID> u : uploads) {
        u.get();
      }
      Awaitility.await()
          .atMost(Duration.ofHours(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  db.queryForObject(
                          "select count(*) from import_job j where j.state = 'queued' and not"
                              + " exists (select 1 from import_row r where r.import_id = j.id"
                              + " and r.outcome = 'pending')",
                          Integer.class)
                      == files.size());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%d hub%s: %,d rows in %.1f s (%s)%n",
          n,
          n == 1 ? "" : "s",
          db.queryForObject("select count(*) from import_row", Integer.class),
          seconds,
          db.queryForObject(
              "select string_agg(outcome || ' ' || n, ', ') from (select outcome, count(*) as n"
                  + " from import_row group by outcome order by outcome) o",
              String.class));
      return seconds;
    } finally {
      hubs.forEach(HubJar::close);
    }
  }

  /** Kills the hub leading a connector and times the other taking it over. */
  private static void handover(EmbeddedPostgres postgres, BrokerProcess broker) throws Exception {
    String database = "bench_handover";
    JdbcTemplate db = create(postgres, database);
    JdbcTemplate pos = create(postgres, "bench_pos");
    pos.execute(
        new String(
            ClusterBench.class
                .getResourceAsStream("/unicenta/customers-postgresql.sql")
                .readAllBytes(),
            StandardCharsets.UTF_8));
    Path connectors = Files.createTempDirectory(HubInfrastructure.get().dataDir(), "connectors-");
    Files.writeString(
        connectors.resolve("pos-handover.yaml"),
        """
        id: pos-handover
        kind: unicenta
        schedule: 1s
        parameters:
          jdbc-url: jdbc:postgresql://localhost:%d/bench_pos
          username: postgres
          password: none
        """
            .formatted(postgres.getPort()));
    HubJar a =
        HubJar.start("handover-hub-a", handoverHub(postgres, broker, connectors, "a"), "bench-9f3a")
            .awaitUp();
    HubJar b =
        HubJar.start("handover-hub-b", handoverHub(postgres, broker, connectors, "b"), "bench-9f3a")
            .awaitUp();
    try {
      String leader =
          Awaitility.await()
              .atMost(Duration.ofMinutes(1))
              .until(
                  () ->
                      db.queryForList(
                          "select hub from connector_run where connector_id = 'pos-handover'"
                              + " order by id desc limit 1",
                          String.class),
                  l -> !l.isEmpty())
              .get(0);
      HubJar victim = leader.equals("handover-hub-a") ? a : b;
      String survivor = victim == a ? "handover-hub-b" : "handover-hub-a";
      Thread.sleep(3000);
      Instant killed = Instant.now();
      victim.kill();
      pos.update(
          "insert into customers (id, searchkey, name, phone) values"
              + " ('c1a55e00-0001', 'H0001', '司马青云', '15280099001')");
      java.sql.Timestamp firstRun =
          Awaitility.await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(50))
              .until(
                  () ->
                      db.queryForObject(
                          "select min(started_at) from connector_run where connector_id ="
                              + " 'pos-handover' and hub = ?",
                          java.sql.Timestamp.class,
                          survivor),
                  t -> t != null && t.toInstant().isAfter(killed));
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  db.queryForObject(
                          "select count(*) from source_record where source = 'pos-handover'",
                          Integer.class)
                      > 0);
      Instant arrived = Instant.now();
      System.out.printf(
          "handover: the survivor's first run %.2f s after the kill; a customer added at the"
              + " kill a member after %.2f s (connector polled every 1 s)%n",
          Duration.between(killed, firstRun.toInstant()).toMillis() / 1000.0,
          Duration.between(killed, arrived).toMillis() / 1000.0);
    } finally {
      a.close();
      b.close();
    }
  }

  private static JdbcTemplate create(EmbeddedPostgres postgres, String database) throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("create database " + database);
    }
    return new JdbcTemplate(postgres.getDatabase(HubInfrastructure.OWNER, database));
  }

  private static Map<String, String> handoverHub(
      EmbeddedPostgres postgres, BrokerProcess broker, Path connectors, String name) {
    Map<String, String> p = properties(postgres, broker, "bench_handover", "handover-" + name);
    p.put("onemember.connectors.dir", connectors.toString());
    return p;
  }

  /** As the ITs' hubs reach their services, on the bench's own database and broker. */
  private static Map<String, String> properties(
      EmbeddedPostgres postgres, BrokerProcess broker, String database, String hub) {
    Map<String, String> p = new LinkedHashMap<>(HubInfrastructure.get().hubProperties(hub));
    p.put(
        "spring.datasource.url",
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database);
    p.put("spring.artemis.broker-url", broker.url());
    p.put("onemember.tags.sweep-period", "1000d");
    p.put("onemember.imports.drop-folder", "");
    return p;
  }
}
