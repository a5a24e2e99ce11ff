package com.onemember.hub.bench;

import com.onemember.OneMemberHub;
import com.onemember.hub.support.HubInfrastructure;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the connector benches share: a PostgreSQL of their own made durable as production runs it
 * (fsync, synchronous_commit and full_page_writes on, printed), the hub in this JVM reading one
 * connector file, and the timing of an initial sync from the connector's first run until every row
 * is a source record or a refused row.
 */
final class ConnectorBenches {

  private ConnectorBenches() {}

  /** Starts the durable PostgreSQL with the hub's roles, and prints its durability settings. */
  static EmbeddedPostgres durablePostgres() throws Exception {
    return durablePostgres(Files.createTempDirectory("onemember-bench-pg"));
  }

  /** As {@link #durablePostgres()}, with its data in {@code dir}. */
  static EmbeddedPostgres durablePostgres(Path dir) throws Exception {
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "300")
            .setServerConfig(
                "shared_buffers", com.onemember.hub.embedded.EmbeddedDatabase.sharedBuffers())
            .start();
    DataSource owner = postgres.getPostgresDatabase();
    try (Connection c = owner.getConnection();
        Statement st = c.createStatement()) {
      st.execute("create role " + HubInfrastructure.APP_ROLE + " nologin");
      st.execute(
          "create role "
              + HubInfrastructure.HUB_ROLE
              + " login in role "
              + HubInfrastructure.APP_ROLE);
    }
    System.out.println(
        "PostgreSQL: fsync "
            + setting(owner, "fsync")
            + ", synchronous_commit "
            + setting(owner, "synchronous_commit")
            + ", full_page_writes "
            + setting(owner, "full_page_writes"));
    return postgres;
  }

  /** Runs the hub on {@code postgres} with the connector files of {@code dir}. */
  static ConfigurableApplicationContext hub(EmbeddedPostgres postgres, Path dir) {
    List<String> args = new ArrayList<>(HubInfrastructure.get().hubArguments("bench-hub"));
    args.removeIf(a -> a.startsWith("--spring.datasource.url="));
    args.add(
        "--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
    args.add("--server.port=0");
    args.add("--onemember.security.admin-token=bench-token-" + UUID.randomUUID());
    args.add("--onemember.connectors.dir=" + dir);
    args.add("--logging.level.root=WARN");
    return new SpringApplicationBuilder(OneMemberHub.class).run(args.toArray(String[]::new));
  }

  /**
   * Waits until connector {@code source} has brought all {@code rows} in (each a source record or a
   * refused row; rows kept with warnings are source records) and prints the rate from its first
   * run's start.
   */
  static void timeInitialSync(DataSource db, String source, int rows, String what)
      throws Exception {
    long firstRun = awaitFirstRun(db, source);
    long lastReport = System.nanoTime();
    while (true) {
      Thread.sleep(1000);
      long held = count(db, "select count(*) from source_record where source = '" + source + "'");
      long refused =
          count(
              db,
              "select count(*) from connector_rejection where not kept and connector_id = '"
                  + source
                  + "'");
      if (held + refused >= rows) {
        break;
      }
      if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
        lastReport = System.nanoTime();
        System.out.printf("  ... %d of %d records in the hub%n", held, rows);
      }
    }
    double seconds = (System.currentTimeMillis() - firstRun) / 1000.0;
    System.out.printf(
        Locale.ROOT,
        "initial sync: %d %s into the hub in %.1f s = %.0f records/s%n",
        rows,
        what,
        seconds,
        rows / seconds);
  }

  private static long awaitFirstRun(DataSource db, String source) throws Exception {
    while (true) {
      try (Connection c = db.getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select min(started_at) from connector_run where connector_id = '"
                      + source
                      + "'")) {
        if (rs.next() && rs.getTimestamp(1) != null) {
          return rs.getTimestamp(1).getTime();
        }
      }
      Thread.sleep(200);
    }
  }

  static long count(DataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String setting(DataSource db, String name) throws Exception {
    try (Connection c = db.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("show " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Notes the delay of each golden event of a member with a change in flight. */
  static final class Watcher extends Thread {
    private final DataSource db;
    private final String source;
    private long after;
    private final Map<UUID, Long> sentAt;
    private final List<Long> delays;

    Watcher(DataSource db, String source, long after, Map<UUID, Long> sentAt, List<Long> delays) {
      this.db = db;
      this.source = source;
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
          ps.setString(2, source);
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

  /** The member that holds {@code source}'s record {@code id} now; null when none. */
  static UUID memberOf(DataSource db, String source, String id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select member_id from source_record where source = ? and source_record_id = ?")) {
      ps.setString(1, source);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? (UUID) rs.getObject(1) : null;
      }
    }
  }

  /** Changes one record in the system and pushes it to the hub; true if the hub took the push. */
  @FunctionalInterface
  interface Push {
    boolean send(String id, int i) throws Exception;
  }

  /**
   * Sends {@code count} pushes at {@code rate} per second, each for a record of {@code ids} picked
   * at random (one change in flight per member, so each golden event is told apart), and prints the
   * delays from each push being sent to its member's golden event: p50, p99, max.
   */
  static void timePushes(
      DataSource db, String source, List<String> ids, int count, int rate, Push push, String what)
      throws Exception {
    java.util.Random random = new java.util.Random(7);
    Map<UUID, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
    List<Long> delays = java.util.Collections.synchronizedList(new ArrayList<>());
    long after = count(db, "select coalesce(max(seq), 0) from golden_event");
    Watcher watcher = new Watcher(db, source, after, sentAt, delays);
    watcher.start();
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    int refused = 0;
    for (int i = 0; i < count; i++) {
      String id = ids.get(random.nextInt(ids.size()));
      UUID member = memberOf(db, source, id);
      if (member == null || sentAt.containsKey(member)) {
        continue;
      }
      long now = System.nanoTime();
      if (now < next) {
        Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
      }
      next += interval;
      sentAt.put(member, System.nanoTime());
      if (!push.send(id, i)) {
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
    java.util.Collections.sort(sorted);
    System.out.printf(
        "%s sent -> golden event, %d pushes at %d/s (%d refused, %d"
            + " without event): p50 %d ms, p99 %d ms, max %d ms%n",
        what,
        sorted.size(),
        rate,
        refused,
        sentAt.size(),
        sorted.get(sorted.size() / 2),
        sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
        sorted.get(sorted.size() - 1));
  }
}
