package com.onemember.hub.bench;

import com.onemember.OneMemberHub;
import com.onemember.hub.support.HubInfrastructure;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(Files.createTempDirectory("onemember-bench-pg"))
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "300")
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
}
