package com.onemember.hub.embedded;

import com.onemember.hub.HubProperties;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Starts an embedded PostgreSQL when no external database is configured. */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoExternalDatabase.class)
public class EmbeddedPostgresConfiguration {

  /** The running server, with passwords for every role (see {@link EmbeddedDatabase}). */
  @Bean
  EmbeddedDatabase embeddedDatabase(HubProperties properties) throws IOException {
    HubProperties.Embedded.Postgres postgres = properties.embedded().postgres();
    return EmbeddedDatabase.start(properties.dataDir(), postgres.port(), postgres.durability());
  }

  /** Closed with the application context, after the routes and timers that use it. */
  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(EmbeddedDatabase database) {
    return database.server();
  }

  /**
   * The hub's own pool: it logs in as {@value EmbeddedDatabase#HUB_ROLE}, a member of {@value
   * EmbeddedDatabase#APP_ROLE}, which may not update, delete or truncate the merge log
   * (V9__application_role.sql), with the password this start gave it.
   */
  @Bean(destroyMethod = "close")
  @DependsOn("embeddedPostgres") // closed before the server is
  DataSource dataSource(EmbeddedDatabase database) {
    HikariDataSource ds = new HikariDataSource();
    ds.setJdbcUrl(database.jdbcUrl());
    ds.setUsername(EmbeddedDatabase.HUB_ROLE);
    ds.setPassword(database.hubPassword());
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
  @DependsOn("embeddedPostgres")
  DataSource ownerDataSource(EmbeddedDatabase database) {
    return database.superuser();
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
