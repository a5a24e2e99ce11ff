package com.onemember.hub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.hub.HubProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL of the embedded defaults lets no one in without a password, neither as
 * the superuser nor as the hub's role (issue 17); its pg_hba.conf names no trust line, for TCP or
 * the Unix socket. Attacks tried: no password, a guessed one, another role's password, the hub
 * role's password of an earlier start, and a data directory an earlier version left with trust.
 */
class EmbeddedDatabaseIT {

  @TempDir Path data;

  @Test
  void aFreshDatabaseRefusesEveryConnectionWithoutItsPassword() throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(data, 0);
    try {
      Path file = data.resolve(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      String password = Files.readString(file, StandardCharsets.UTF_8).strip();
      assertThat(password).hasSizeGreaterThanOrEqualTo(32);

      assertRefused(db.jdbcUrl(), EmbeddedDatabase.SUPERUSER, null);
      assertRefused(db.jdbcUrl(), EmbeddedDatabase.SUPERUSER, "postgres");
      assertRefused(db.jdbcUrl(), EmbeddedDatabase.HUB_ROLE, null);
      assertRefused(db.jdbcUrl(), EmbeddedDatabase.HUB_ROLE, password);
      assertThat(Files.readString(data.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");

      try (Connection con = connect(db.jdbcUrl(), EmbeddedDatabase.SUPERUSER, password)) {
        assertThat(con.isValid(2)).isTrue();
        // stored as SCRAM verifiers, not in clear, for both login roles
        var rs =
            con.createStatement()
                .executeQuery(
                    "select count(*) from pg_authid where rolname in ('postgres',"
                        + " 'onemember_hub') and rolpassword like 'SCRAM-SHA-256$%'");
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
      try (Connection con = connect(db.jdbcUrl(), EmbeddedDatabase.HUB_ROLE, db.hubPassword())) {
        assertThat(con.isValid(2)).isTrue();
      }
    } finally {
      db.server().close();
    }
  }

  @Test
  void itIsDurableUnlessAThrowawayTrialSaysOtherwise() throws Exception {
    EmbeddedDatabase durable = EmbeddedDatabase.start(data, 0);
    try (Connection con =
        connect(durable.jdbcUrl(), EmbeddedDatabase.HUB_ROLE, durable.hubPassword())) {
      assertThat(setting(con, "fsync")).isEqualTo("on");
      assertThat(setting(con, "synchronous_commit")).isEqualTo("on");
      assertThat(setting(con, "full_page_writes")).isEqualTo("on");
    } finally {
      durable.server().close();
    }
    EmbeddedDatabase trial =
        EmbeddedDatabase.start(data, 0, HubProperties.Embedded.Durability.THROWAWAY_TRIAL);
    try (Connection con =
        connect(trial.jdbcUrl(), EmbeddedDatabase.HUB_ROLE, trial.hubPassword())) {
      assertThat(setting(con, "fsync")).isEqualTo("off");
      assertThat(setting(con, "synchronous_commit")).isEqualTo("off");
    } finally {
      trial.server().close();
    }
  }

  private static String setting(Connection con, String name) throws SQLException {
    var rs = con.createStatement().executeQuery("show " + name);
    rs.next();
    return rs.getString(1);
  }

  @Test
  void aRestartUsesTheKeptPasswordAndTheHubRoleGetsANewOne() throws Exception {
    EmbeddedDatabase first = EmbeddedDatabase.start(data, 0);
    String firstHub = first.hubPassword();
    first.server().close();
    EmbeddedDatabase second = EmbeddedDatabase.start(data, 0);
    try {
      assertThat(second.hubPassword()).isNotEqualTo(firstHub);
      assertRefused(second.jdbcUrl(), EmbeddedDatabase.HUB_ROLE, firstHub);
      try (Connection con =
          connect(second.jdbcUrl(), EmbeddedDatabase.HUB_ROLE, second.hubPassword())) {
        assertThat(con.isValid(2)).isTrue();
      }
    } finally {
      second.server().close();
    }
  }

  @Test
  void aDataDirectoryLeftWithTrustIsSecuredAtTheNextStart() throws Exception {
    // what earlier versions made: zonky's initdb -A trust, anyone on the machine is the superuser
    try (EmbeddedPostgres old =
        EmbeddedPostgres.builder()
            .setDataDirectory(data.resolve("postgres"))
            .setCleanDataDirectory(false)
            .start()) {
      try (Connection con = connect(old.getJdbcUrl("postgres", "postgres"), "postgres", null)) {
        con.createStatement().execute("create table kept (name text)");
        con.createStatement().execute("insert into kept values ('张伟')");
      }
    }
    EmbeddedDatabase db = EmbeddedDatabase.start(data, 0);
    try {
      assertRefused(db.jdbcUrl(), EmbeddedDatabase.SUPERUSER, null);
      String password =
          Files.readString(data.resolve(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE)).strip();
      try (Connection con = connect(db.jdbcUrl(), EmbeddedDatabase.SUPERUSER, password)) {
        var rs = con.createStatement().executeQuery("select name from kept");
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("张伟");
      }
    } finally {
      db.server().close();
    }
  }

  @Test
  void aSecuredDatabaseWhosePasswordFileIsGoneSaysWhatToRestore() throws Exception {
    EmbeddedDatabase.start(data, 0).server().close();
    Path file = data.resolve(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE);
    Files.delete(file);
    assertThatThrownBy(() -> EmbeddedDatabase.start(data, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("restore that file");
    // and it left no new password behind that the next start would mistake for the real one
    assertThat(file).doesNotExist();
  }

  private static void assertRefused(String url, String user, String password) {
    assertThatThrownBy(() -> connect(url, user, password).close())
        .isInstanceOf(SQLException.class)
        .satisfiesAnyOf(
            e -> assertThat(e).hasMessageContaining("password authentication failed"),
            e -> assertThat(e).hasMessageContaining("no password was provided"));
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(url, p);
  }
}
