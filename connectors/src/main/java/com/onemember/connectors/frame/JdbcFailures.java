package com.onemember.connectors.frame;

import java.sql.SQLException;

/**
 * What a database error means for a connector, by its SQL state: the POS cannot be reached now
 * (08…, or no state over a broken socket: retried), it refuses the configuration (28 user or
 * password, 3D database, 42 table or column: fix the instance file), or anything else it answered.
 */
public final class JdbcFailures {

  private JdbcFailures() {}

  public static SourceUnavailable unavailable(SQLException e) {
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
