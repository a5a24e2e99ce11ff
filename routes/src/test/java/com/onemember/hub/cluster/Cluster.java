package com.onemember.hub.cluster;

import com.onemember.hub.support.BrokerProcess;
import com.onemember.hub.support.ChildJvm;
import com.onemember.hub.support.HubInfrastructure;
import com.onemember.hub.support.HubJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database of its own on the test PostgreSQL and a broker (or broker URL) of its own, on which
 * hubs are started as processes: each scenario starts from nothing, and no other test's hub
 * consumes its queue.
 */
final class Cluster implements AutoCloseable {

  static final String TOKEN = "cluster-it-admin-7d41c09e";

  private final String database;
  private final String brokerUrl;
  private final List<HubJar> hubs = new ArrayList<>();
  private final List<AutoCloseable> owned = new ArrayList<>();
  final JdbcTemplate jdbc;

  private Cluster(String database, String brokerUrl) {
    this.database = database;
    this.brokerUrl = brokerUrl;
    this.jdbc = new JdbcTemplate(HubInfrastructure.get().database(database));
  }

  /** A new database and a standalone broker process. */
  static Cluster withStandaloneBroker(String name) throws Exception {
    Path store = Files.createTempDirectory(HubInfrastructure.get().dataDir(), name + "-broker-");
    BrokerProcess broker =
        BrokerProcess.start(
            name + "-broker", BrokerProcess.Role.STANDALONE, store, ChildJvm.freePort(), 0);
    Cluster cluster = on(name, broker.url());
    cluster.owned.add(broker);
    return cluster;
  }

  /** A new database; the hubs reach the broker(s) at {@code brokerUrl}. */
  static Cluster on(String name, String brokerUrl) throws SQLException {
    String database = name.replace('-', '_') + "_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = HubInfrastructure.get().ownerDataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute("create database " + database);
    }
    return new Cluster(database, brokerUrl);
  }

  /** Starts hub {@code name} on this cluster's database and broker (not waiting for it). */
  HubJar start(String name, Map<String, String> extra) throws IOException {
    HubInfrastructure infra = HubInfrastructure.get();
    Map<String, String> p = new LinkedHashMap<>(infra.hubProperties(name));
    p.put("spring.datasource.url", infra.databaseUrl(database));
    p.put("spring.artemis.broker-url", brokerUrl);
    p.put("onemember.tags.sweep-period", "1000d");
    p.put("onemember.imports.drop-folder", "");
    p.putAll(extra);
    HubJar hub = HubJar.start(name, p, TOKEN);
    hubs.add(hub);
    return hub;
  }

  HubJar start(String name) throws IOException {
    return start(name, Map.of());
  }

  int pending(UUID importId) {
    return jdbc.queryForObject(
        "select count(*) from import_row where import_id = ? and outcome = 'pending'",
        Integer.class,
        importId);
  }

  /**
   * Each member as the list of its records ({@code source:row} of the file they came in), sorted:
   * what matching made, comparable between runs of the same files.
   */
  List<String> members() {
    return jdbc.queryForList(
        "select string_agg(s.source || ':' || r.row_no, ',' order by s.source, r.row_no) as records"
            + " from source_record s join import_row r on r.import_id = s.import_id"
            + " and r.source_record_id = s.source_record_id"
            + " group by s.member_id order by records",
        String.class);
  }

  @Override
  public void close() throws Exception {
    for (HubJar hub : hubs) {
      hub.close();
    }
    for (AutoCloseable c : owned) {
      c.close();
    }
  }
}
