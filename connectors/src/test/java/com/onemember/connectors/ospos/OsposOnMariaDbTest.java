package com.onemember.connectors.ospos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.JdbcConnections;
import com.onemember.connectors.frame.JdbcFailures;
import com.onemember.connectors.frame.JdbcKind;
import com.onemember.connectors.frame.JdbcRows;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import com.onemember.connectors.testing.EmbeddedMariaDb;
import com.onemember.connectors.unicenta.UnicentaKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The POS kinds against a real MariaDB server (embedded, from Maven Central): OSPOS's people and
 * customers tables and uniCenta's MySQL customers table, created by their own scripts, read over
 * TCP with the driver the hub ships, and written back through the owner's statements.
 */
class OsposOnMariaDbTest {

  private static final EmbeddedMariaDb MARIADB = EmbeddedMariaDb.get();

  @BeforeAll
  static void schemas() throws Exception {
    MARIADB.createDatabase("ospos_test", script("/ospos/people-customers-mysql.sql"));
    MARIADB.createDatabase("unicenta_test", script("/unicenta/customers-mysql.sql"));
    try (Connection c = MARIADB.connect("ospos_test");
        Statement st = c.createStatement()) {
      st.execute(
          "insert into ospos_people (first_name, last_name, gender, phone_number, email,"
              + " address_1, address_2, city, state, zip, country, comments, person_id) values"
              + " ('娜娜', '欧阳', 0, '139 1234 5601', 'nana@qq.com', '漕溪北路 88 号', '3 楼',"
              + " '上海', '上海', '200030', '中国', '喜欢新品', 2),"
              + " ('', '', null, '', '', '', '', '', '', '', '', '收银员测试', 3),"
              + " ('Wei', 'Zhang', 7, '13912345603', '', '', '', '', '', '', '', '', 4),"
              + " ('离开', '李', 1, '13912345605', '', '', '', '', '', '', '', '', 5)");
      st.execute(
          "insert into ospos_customers (person_id, account_number, company_name, deleted,"
              + " employee_id, consent) values"
              + " (2, 'VIP-0002', null, 0, 1, 1), (3, null, null, 0, 1, 0),"
              + " (4, null, '张记茶行', 0, 1, 0), (5, 'VIP-0005', null, 1, 1, 1)");
      // the read-only user IT staff give the hub
      st.execute("create user 'pos_reader'@'%' identified by 'reader-secret'");
      st.execute("grant select on ospos_test.* to 'pos_reader'@'%'");
      // the side table the POS owner chose for golden ids and tags
      st.execute(
          "create table onemember_member (person_id int primary key, golden_id varchar(36),"
              + " tags varchar(1000))");
    }
  }

  @Test
  void readsUndeletedCustomersOnlyAndMapsAChinesePerson() throws Exception {
    ConnectorInstance instance = ospos(MARIADB.jdbcUrl("ospos_test"), "");
    SourceTable source = new OsposKind().table(instance);
    Map<String, Map<String, String>> rows = readAll(new OsposKind(), instance);

    // the admin has no customer row, 5 was deleted in OSPOS
    assertThat(rows.keySet()).containsExactly("2", "3", "4");
    SourceRecord nana = source.map("pos-ospos", rows.get("2"));
    assertThat(nana.sourceRecordId()).isEqualTo("2");
    assertThat(nana.name()).isEqualTo("欧阳娜娜");
    assertThat(nana.gender()).isEqualTo("女");
    assertThat(nana.identifiers())
        .contains(
            new Identifier(IdentifierType.MEMBER_CARD, "VIP-0002", "pos-ospos"),
            Identifier.of(IdentifierType.MOBILE, "139 1234 5601"),
            Identifier.of(IdentifierType.EMAIL, "nana@qq.com"));
    assertThat(nana.addresses())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.province()).isEqualTo("上海");
              assertThat(a.line()).isEqualTo("漕溪北路 88 号3 楼");
            });
    assertThat(nana.raw()).containsEntry("comments", "喜欢新品").containsEntry("consent", "1");

    // a gender code OSPOS never writes says nothing, and the person is kept
    SourceRecord zhang = source.map("pos-ospos", rows.get("4"));
    assertThat(zhang.name()).isEqualTo("Wei Zhang");
    assertThat(zhang.gender()).isNull();
    assertThat(zhang.raw()).containsEntry("company_name", "张记茶行");
  }

  @Test
  void aCustomerRowThatNamesNobodyIsRejectedWithTheReason() throws Exception {
    ConnectorInstance instance = ospos(MARIADB.jdbcUrl("ospos_test"), "");
    SourceTable source = new OsposKind().table(instance);
    Map<String, String> nobody = readAll(new OsposKind(), instance).get("3");

    assertThatThrownBy(() -> source.map("pos-ospos", nobody))
        .isInstanceOf(SourceTable.RowRejected.class)
        .hasMessageContaining("nothing in the row identifies a person");
  }

  @Test
  void goldenIdsAndTagsAreWrittenThroughTheOwnersStatements() throws Exception {
    ConnectorInstance instance =
        ospos(
            MARIADB.jdbcUrl("ospos_test"),
            "insert into onemember_member (person_id, golden_id) values (:customer_id, :golden_id)"
                + " on duplicate key update golden_id = values(golden_id)");
    UUID golden = UUID.fromString("0b6c7f0e-7d4e-4d0a-9a51-3f1d2b7c0002");
    try (WritebackSink sink = new OsposKind().sink(instance).orElseThrow()) {
      sink.write(new Writeback("2", golden, List.of("高价值", "常客")));
      sink.write(new Writeback("2", golden, List.of("高价值", "常客", "店长推荐")));
    }
    try (Connection c = MARIADB.connect("ospos_test");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("select golden_id, tags from onemember_member where person_id = 2")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(golden.toString());
      assertThat(rs.getString(2)).isEqualTo("高价值,常客,店长推荐");
    }
  }

  @Test
  void aWrongPasswordOrDatabaseIsAConfigurationFailureAndAStoppedServerATransientOne() {
    assertThatThrownBy(
            () ->
                readAll(
                    new OsposKind(),
                    withCredentials(MARIADB.jdbcUrl("ospos_test"), "pos_reader", "nope")))
        .isInstanceOfSatisfying(
            SourceUnavailable.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION));
    assertThatThrownBy(() -> readAll(new OsposKind(), ospos(MARIADB.jdbcUrl("no_such_pos"), "")))
        .isInstanceOfSatisfying(
            SourceUnavailable.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION));
    assertThatThrownBy(
            () ->
                readAll(
                    new OsposKind(),
                    ospos("jdbc:mysql://127.0.0.1:1/ospos?connectTimeout=2000", "")))
        .isInstanceOfSatisfying(
            SourceUnavailable.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(e.getMessage()).contains("cannot reach the POS database");
            });
  }

  @Test
  void uniCentaOnMySqlIsReadThroughAMysqlUrlWithItsBitColumnsAsBooleans() throws Exception {
    try (Connection c = MARIADB.connect("unicenta_test");
        Statement st = c.createStatement()) {
      st.execute(
          "insert into customers (id, searchkey, name, phone, visible, isvip) values"
              + " ('a1b2c3d4-0001', 'C0001', '', '13912345611', b'1', b'0')");
      st.execute(
          "update customers set firstname = '小雨', lastname = '解' where id = 'a1b2c3d4-0001'");
    }
    String url = MARIADB.jdbcUrl("unicenta_test").replace("jdbc:mariadb:", "jdbc:mysql:");
    ConnectorInstance instance =
        new ConnectorInstance(
            Path.of("pos-unicenta-mysql.yaml"),
            "pos-unicenta-mysql",
            "unicenta",
            true,
            Duration.ofSeconds(30),
            null,
            List.of(),
            Map.of("jdbc-url", url, "username", EmbeddedMariaDb.USER, "password", ""));
    SourceTable source = new UnicentaKind().table(instance);

    Map<String, String> row = readAll(new UnicentaKind(), instance).get("a1b2c3d4-0001");

    assertThat(row).containsEntry("visible", "true").containsEntry("isvip", "false");
    assertThat(source.map("pos-unicenta-mysql", row).name()).isEqualTo("解小雨");
  }

  private static ConnectorInstance ospos(String url, String goldenIdSql) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("jdbc-url", url);
    p.put("username", EmbeddedMariaDb.USER);
    p.put("password", "");
    p.put("table-prefix", "ospos_");
    if (!goldenIdSql.isEmpty()) {
      p.put("golden-id-sql", goldenIdSql);
      p.put("tags-sql", "update onemember_member set tags = :tags where person_id = :customer_id");
    }
    return new ConnectorInstance(
        Path.of("pos-ospos.yaml"),
        "pos-ospos",
        "ospos",
        true,
        Duration.ofSeconds(30),
        null,
        List.of(),
        p);
  }

  private static ConnectorInstance withCredentials(String url, String user, String password) {
    return instance(Map.of("jdbc-url", url, "username", user, "password", password));
  }

  private static ConnectorInstance instance(Map<String, Object> parameters) {
    return new ConnectorInstance(
        Path.of("pos-ospos.yaml"),
        "pos-ospos",
        "ospos",
        true,
        Duration.ofSeconds(30),
        null,
        List.of(),
        parameters);
  }

  /**
   * The kind's select run as the hub's route runs it (the instance's connection, each column's
   * value as the driver gives it), the rows by their first column.
   */
  private static Map<String, Map<String, String>> readAll(JdbcKind kind, ConnectorInstance instance)
      throws SourceUnavailable {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    try (Connection c = JdbcConnections.connect(instance);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(kind.table(instance).select())) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        Map<String, String> row = JdbcRows.text(columns);
        rows.put(row.values().iterator().next(), row);
      }
    } catch (SQLException e) {
      throw JdbcFailures.unavailable(e);
    }
    return rows;
  }

  private static String script(String resource) throws IOException {
    try (var in = OsposOnMariaDbTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
