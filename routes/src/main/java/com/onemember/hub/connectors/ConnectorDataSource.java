package com.onemember.hub.connectors;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.JdbcConnections;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * A POS database as its instance file describes it, for the {@code sql} endpoint of the connector's
 * route: a new connection per read (a store's database is read every few seconds at most, and a
 * pool would hold connections a store's server may count against it), read-only, not
 * auto-committing, so that PostgreSQL streams the rows instead of loading them all.
 */
final class ConnectorDataSource extends AbstractDataSource {

  private final ConnectorInstance instance;

  ConnectorDataSource(ConnectorInstance instance) {
    this.instance = instance;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c = JdbcConnections.connect(instance);
    try {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  @Override
  public Connection getConnection(String username, String password) {
    throw new UnsupportedOperationException("the instance file gives the user");
  }
}
