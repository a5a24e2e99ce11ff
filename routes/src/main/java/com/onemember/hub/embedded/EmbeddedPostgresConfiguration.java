package com.onemember.hub.embedded;

import com.onemember.hub.HubProperties;
import com.zaxxer.hikari.HikariDataSource;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Starts an embedded PostgreSQL when no external database is configured. */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoExternalDatabase.class)
public class EmbeddedPostgresConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

  /** The group role the migrations grant to. */
  static final String APP_ROLE = "onemember_app";

  /** The login role the hub connects as (trust authentication on localhost, no password). */
  static final String HUB_ROLE = "onemember_hub";

  /** The running server; closed with the application context. */
  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(HubProperties properties) throws IOException {
    Path dir = properties.dataDir().resolve("postgres").toAbsolutePath();
    Files.createDirectories(dir);
    stopOrphan(dir);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            // the application context closes it, after the routes and timers that use it have
            // stopped; a shutdown hook of its own ran beside Spring's and stopped it under them
            .setRegisterShutdownHook(false);
    if (properties.embedded().postgres().port() > 0) {
      builder.setPort(properties.embedded().postgres().port());
    }
    EmbeddedPostgres postgres = builder.start();
    log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dir);
    return postgres;
  }

  /** How long an orphaned server gets to shut down before it is killed. */
  private static final Duration ORPHAN_STOP = Duration.ofSeconds(30);

  /**
   * Stops the database server a hub that died without stopping it (kill -9, a power-off of the JVM
   * alone) left running on {@code dir}: PostgreSQL is started detached, so it outlives the hub and
   * keeps its {@code postmaster.pid}, and the next start would give up. Only a live process that
   * the pid file names for this very directory and that runs {@code postgres} is stopped: a pid
   * file left by a server that is gone, or whose pid another process has since, is PostgreSQL's own
   * to clear. The server is asked to shut down (its clients died with the hub) and killed only when
   * it does not within {@link #ORPHAN_STOP}; PostgreSQL then recovers from its log at start.
   */
  static void stopOrphan(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !lines.get(0).strip().matches("\\d{1,10}")) {
      return;
    }
    long pid = Long.parseLong(lines.get(0).strip());
    if (!Path.of(lines.get(1).strip()).toAbsolutePath().normalize().equals(dir.normalize())) {
      return;
    }
    ProcessHandle server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElse(null);
    if (server == null || !server.info().command().orElse("").contains("postgres")) {
      return;
    }
    log.warn(
        "The embedded PostgreSQL of a hub that stopped without closing it still runs on {} (pid"
            + " {}): stopping it before this start / 上次未正常关闭的内置数据库仍在运行，先将其停止",
        dir,
        pid);
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

  /**
   * The hub's own pool: it logs in as {@value #HUB_ROLE}, a member of {@value #APP_ROLE}, which may
   * not update, delete or truncate the merge log (V9__application_role.sql). The login role is
   * created first with the superuser; the group role too if this is the first start, so that
   * neither this nor the migration depends on which of them runs first.
   */
  @Bean(destroyMethod = "close")
  DataSource dataSource(EmbeddedPostgres postgres) throws SQLException {
    createHubRole(postgres.getPostgresDatabase());
    HikariDataSource ds = new HikariDataSource();
    ds.setJdbcUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
    ds.setUsername(HUB_ROLE);
    ds.setPoolName("onemember-embedded");
    ds.setMaximumPoolSize(10);
    return ds;
  }

  /**
   * Flyway migrates as the superuser {@code postgres}, who owns the tables. Not a default
   * candidate, so nothing else is wired to it by type.
   */
  @Bean(defaultCandidate = false)
  @FlywayDataSource
  DataSource ownerDataSource(EmbeddedPostgres postgres) {
    return postgres.getPostgresDatabase();
  }

  private static void createHubRole(DataSource superuser) throws SQLException {
    try (Connection con = superuser.getConnection();
        Statement st = con.createStatement()) {
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
    }
  }

  /** True when neither {@code spring.datasource.url} nor its environment variable is set. */
  static class NoExternalDatabase implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }
}
