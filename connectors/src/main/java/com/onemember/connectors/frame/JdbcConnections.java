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
   * minutes of silence on a read (a URL's own settings win). A {@code jdbc:mysql:} URL is served by
   * the MariaDB driver, which speaks MySQL's protocol; MySQL's own driver is not shipped (GPL).
   */
  public static Connection connect(ConnectorInstance instance) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", instance.text("username"));
    p.setProperty("password", instance.text("password"));
    String url = driverUrl(instance.text("jdbc-url"));
    // PostgreSQL's driver counts these in seconds, MariaDB's in milliseconds
    boolean millis = url.startsWith("jdbc:mariadb:");
    if (!url.contains("connectTimeout=")) {
      p.setProperty("connectTimeout", millis ? "10000" : "10");
    }
    if (!url.contains("socketTimeout=")) {
      p.setProperty("socketTimeout", millis ? "600000" : "600");
    }
    // rows come in batches of batch-size, not all at once: a table of a million customers is read
    // with the heap bounded (PostgreSQL streams only inside a transaction: the reader turns
    // auto-commit off)
    Object batch = instance.parameters().get("batch-size");
    String fetch = Integer.toString(batch == null ? 500 : ((Number) batch).intValue());
    p.setProperty(millis ? "defaultFetchSize" : "defaultRowFetchSize", fetch);
    return DriverManager.getConnection(url, p);
  }

  /** The URL as the shipped drivers take it. */
  static String driverUrl(String url) {
    if (url.startsWith("jdbc:mysql:")) {
      return "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
    }
    return url;
  }
}
