package com.onemember.connectors.frame;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Connections to a system's database as an instance file describes it. */
public final class JdbcConnections {

  private JdbcConnections() {}

  /**
   * A connection that gives up instead of hanging on a store's bad network: 10 s to connect, 10
   * minutes of silence on a read (a URL's own settings win).
   */
  public static Connection connect(ConnectorInstance instance) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", instance.text("username"));
    p.setProperty("password", instance.text("password"));
    String url = instance.text("jdbc-url");
    if (!url.contains("connectTimeout=")) {
      p.setProperty("connectTimeout", "10");
    }
    if (!url.contains("socketTimeout=")) {
      p.setProperty("socketTimeout", "600");
    }
    return DriverManager.getConnection(url, p);
  }
}
