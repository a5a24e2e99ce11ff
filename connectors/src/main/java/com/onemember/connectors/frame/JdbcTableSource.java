package com.onemember.connectors.frame;

import com.onemember.canonical.SourceRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link SourceTable} read over JDBC with the instance's {@code jdbc-url}, {@code username} and
 * {@code password}, read-only, streamed {@code batch-size} rows at a time. Database errors become
 * {@link SourceUnavailable} of the kind their SQL state says.
 */
final class JdbcTableSource implements SnapshotSource {

  private final ConnectorInstance instance;
  private final SourceTable table;

  JdbcTableSource(ConnectorInstance instance, SourceTable table) {
    this.instance = instance;
    this.table = table;
  }

  @Override
  public void readAll(Rows rows) throws SourceUnavailable {
    Object batch = instance.parameters().get("batch-size");
    try (Connection c = JdbcConnections.connect(instance)) {
      c.setReadOnly(true);
      // PostgreSQL streams a result only inside a transaction with a fetch size
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.setFetchSize(batch == null ? 500 : ((Number) batch).intValue());
        try (ResultSet rs = st.executeQuery(table.select())) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            rows.accept(rs.getString(1), row(rs, meta));
          }
        }
      }
      c.rollback();
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  @Override
  public SourceRecord map(String source, Map<String, String> row) {
    return table.map(source, row);
  }

  @Override
  public List<String> ignoredInDigest() {
    return table.ignoredInDigest();
  }

  /** The row's columns by lower-case name, as text; booleans and bits as true/false. */
  private static Map<String, String> row(ResultSet rs, ResultSetMetaData meta) throws SQLException {
    Map<String, String> row = new LinkedHashMap<>();
    for (int c = 1; c <= meta.getColumnCount(); c++) {
      String name = meta.getColumnLabel(c).toLowerCase(Locale.ROOT);
      int type = meta.getColumnType(c);
      String value;
      if (type == Types.BOOLEAN || type == Types.BIT) {
        boolean b = rs.getBoolean(c);
        value = rs.wasNull() ? null : Boolean.toString(b);
      } else {
        value = rs.getString(c);
      }
      row.put(name, value);
    }
    return row;
  }

  static SourceUnavailable unavailable(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("08") || state.isEmpty() && e.getCause() instanceof java.io.IOException) {
      return new SourceUnavailable(
          FailureKind.TRANSIENT,
          "POS 数据库无法连接，稍后重试 / cannot reach the POS database, will retry: " + e.getMessage(),
          e);
    }
    if (state.startsWith("28") || state.startsWith("3D") || state.startsWith("42")) {
      return new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "POS 数据库拒绝了配置（账号、库名或表名）/ the POS database refused the configuration (user,"
              + " database or table): "
              + e.getMessage(),
          e);
    }
    return new SourceUnavailable(
        FailureKind.SOURCE_SYSTEM,
        "POS 数据库返回错误 / the POS database answered with an error: " + e.getMessage(),
        e);
  }
}
