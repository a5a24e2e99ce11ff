package com.onemember.hub.embedded;

import com.onemember.hub.HubProperties;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false);
    if (properties.embedded().postgres().port() > 0) {
      builder.setPort(properties.embedded().postgres().port());
    }
    EmbeddedPostgres postgres = builder.start();
    log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dir);
    return postgres;
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
