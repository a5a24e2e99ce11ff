package com.onemember.hub.locks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection taken from the pool and kept, on which session-level advisory locks are taken by
 * name ({@link #KEY_OF_NAME}). Such a lock lasts until it is given back or the session ends, so the
 * session is never returned to the pool: when closed it is evicted (closed for good), and no later
 * borrower of a pooled connection can find itself holding a lock. Not thread-safe: its owner
 * serializes the calls.
 */
public final class LockSession {

  private static final Logger log = LoggerFactory.getLogger(LockSession.class);

  /**
   * The advisory lock key of a lock named by the statement's parameter, for every named lock of the
   * hub, session or transaction ({@code pg_advisory_xact_lock(} this {@code )}): 64 bits, so that
   * names meet neither each other nor the match keys' locks, which share PostgreSQL's one space of
   * advisory lock keys.
   */
  public static final String KEY_OF_NAME = "hashtextextended(?, 0)";

  private final DataSource database;
  private Connection connection;

  public LockSession(DataSource database) {
    this.database = database;
  }

  /**
   * Makes sure the session is open, opening it again when it was lost (the database restarted).
   *
   * @return true when a new session was opened: every lock of the one before is gone
   */
  public boolean open() throws SQLException {
    if (connection != null && connection.isValid(5)) {
      return false;
    }
    boolean hadOne = connection != null;
    close();
    connection = database.getConnection();
    connection.setAutoCommit(true);
    // a hub whose machine dies sends no FIN: without keepalives PostgreSQL would keep the session,
    // and the locks, for the operating system's two hours
    try (var st = connection.createStatement()) {
      st.execute(
          "set tcp_keepalives_idle = 30; set tcp_keepalives_interval = 10;"
              + " set tcp_keepalives_count = 3");
    }
    return hadOne;
  }

  /** Takes lock {@code name} if no other session holds it (this session may take it again). */
  public boolean tryLock(String name) throws SQLException {
    open();
    try (PreparedStatement ps =
        connection.prepareStatement("select pg_try_advisory_lock(" + KEY_OF_NAME + ")")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** Gives lock {@code name} back once (a lock taken twice is held until given back twice). */
  public void unlock(String name) throws SQLException {
    if (connection == null) {
      return; // no session, no locks
    }
    try (PreparedStatement ps =
        connection.prepareStatement("select pg_advisory_unlock(" + KEY_OF_NAME + ")")) {
      ps.setString(1, name);
      ps.execute();
    }
  }

  /** Ends the session and with it every lock it holds. */
  public void close() {
    if (connection == null) {
      return;
    }
    if (database instanceof com.zaxxer.hikari.HikariDataSource pool) {
      pool.evictConnection(connection);
    } else {
      try {
        // another pool would keep the session, and its locks, for its next borrower
        try (var st = connection.createStatement()) {
          st.execute("select pg_advisory_unlock_all()");
        }
        connection.close();
      } catch (SQLException e) {
        // a session that cannot answer holds no locks any more
        log.debug("Closing a lock session: {}", e.toString());
      }
    }
    connection = null;
  }
}
