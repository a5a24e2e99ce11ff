package com.onemember.hub.bench;

import com.onemember.hub.support.HubInfrastructure;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How fast a uniCenta POS reaches the hub: an initial sync of {@code N} customers (default 200,000;
 * 15% of them a person already in the table under another card, as POS tables hold), and then, with
 * the connector polling every second, the delay from a customer's row changing in the POS database
 * to the golden event of that change (p50, p99, max over {@code C} changes, default 100, one every
 * 1.5 s on average).
 *
 * <p>The POS database and the hub's share the PostgreSQL of {@link HubInfrastructure}, made durable
 * first ({@code fsync} and {@code synchronous_commit} on, as the bench prints); the hub runs in
 * this JVM with its connector reading {@code unicenta_bench}. The sync is timed from the start of
 * the connector's first run to the moment the hub holds a source record for every row.
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.ConnectorSyncBench
 * -Dexec.args="200000 100"}
 */
public final class ConnectorSyncBench {

  private static final String SOURCE = "pos-bench";
  private static final String DATABASE = "unicenta_bench";

  private ConnectorSyncBench() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int changes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    EmbeddedPostgres postgres = ConnectorBenches.durablePostgres();
    DataSource owner = postgres.getPostgresDatabase();
    try (Connection c = owner.getConnection();
        Statement st = c.createStatement()) {
      st.execute("create database " + DATABASE);
    }
    DataSource pos = postgres.getDatabase("postgres", DATABASE);
    try (Connection c = pos.getConnection();
        Statement st = c.createStatement();
        InputStream ddl =
            ConnectorSyncBench.class.getResourceAsStream("/unicenta/customers-postgresql.sql")) {
      st.execute(new String(ddl.readAllBytes(), StandardCharsets.UTF_8));
    }
    List<String> ids = fill(pos, rows);

    Path dir = Files.createTempDirectory("onemember-bench-connectors");
    Files.writeString(
        dir.resolve(SOURCE + ".yaml"),
        """
        id: %s
        kind: unicenta
        schedule: 1s
        parameters:
          jdbc-url: %s
          username: postgres
          password: none
          batch-size: 1000
        """
            .formatted(
                SOURCE, "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE));
    ConfigurableApplicationContext hub = ConnectorBenches.hub(postgres, dir);
    DataSource hubDb = owner;
    try {
      ConnectorBenches.timeInitialSync(hubDb, SOURCE, rows, "uniCenta customers");

      List<Long> delays = new ArrayList<>();
      Random random = new Random(7);
      long after = ConnectorBenches.count(hubDb, "select coalesce(max(seq), 0) from golden_event");
      for (int i = 0; i < changes; i++) {
        Thread.sleep(500 + random.nextInt(2000));
        String id = ids.get(random.nextInt(ids.size()));
        String email = "bench" + i + "@example.cn";
        long changedAt;
        try (Connection c = pos.getConnection();
            PreparedStatement ps =
                c.prepareStatement("update customers set email = ? where id = ?")) {
          ps.setString(1, email);
          ps.setString(2, id);
          ps.executeUpdate();
          changedAt = System.nanoTime();
        }
        after = awaitEvent(hubDb, id, after);
        delays.add((System.nanoTime() - changedAt) / 1_000_000);
      }
      Collections.sort(delays);
      System.out.printf(
          "row changed in the POS -> golden event, polling every 1 s, %d changes: p50 %d ms, p99"
              + " %d ms, max %d ms%n",
          delays.size(),
          delays.get(delays.size() / 2),
          delays.get(Math.min(delays.size() - 1, (int) Math.ceil(delays.size() * 0.99) - 1)),
          delays.get(delays.size() - 1));
    } finally {
      hub.close();
      postgres.close();
    }
    System.exit(0);
  }

  /** Inserts {@code rows} customers, 1,000 per statement batch; answers their ids. */
  private static List<String> fill(DataSource pos, int rows) throws Exception {
    MemberFile.Rows source = new MemberFile.Rows(20261206);
    List<String> ids = new ArrayList<>(rows);
    try (Connection c = pos.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into customers (id, searchkey, name, card, phone, region, city, address)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < rows; i++) {
        // 会员卡号, 姓名, 手机号, 性别, 生日, 省份, 城市, 地址, 积分
        List<String> cells = source.next();
        String id = new UUID(0x6f1c2a10L, i).toString();
        ids.add(id);
        ps.setString(1, id);
        ps.setString(2, cells.get(0));
        ps.setString(3, cells.get(1));
        ps.setString(4, cells.get(0));
        ps.setString(5, cells.get(2));
        ps.setString(6, cells.get(5));
        ps.setString(7, cells.get(6));
        ps.setString(8, cells.get(7));
        ps.addBatch();
        if (i % 1000 == 999) {
          ps.executeBatch();
          c.commit();
        }
      }
      ps.executeBatch();
      c.commit();
    }
    System.out.printf("uniCenta customers written: %d%n", rows);
    return ids;
  }

  /** Waits for the golden event that names the record {@code id}; answers its seq. */
  private static long awaitEvent(DataSource hubDb, String id, long after) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = hubDb.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "select seq from golden_event where seq > ? and origin_source = ?"
                      + " and payload -> 'sourceRecords' @> ?::jsonb order by seq limit 1")) {
        ps.setLong(1, after);
        ps.setString(2, SOURCE);
        ps.setString(3, "[{\"sourceRecordId\":\"" + id + "\"}]");
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getLong(1);
          }
        }
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no golden event for " + id + " within two minutes");
  }
}
