package com.onemember.hub.connectors;

import com.onemember.hub.locks.LockSession;
import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Which connectors this hub polls when several hubs share one database: the one that holds a
 * connector's PostgreSQL advisory lock ({@code connector-leader:<id>}) on its leadership session
 * leads it, until it dies or stops. Then PostgreSQL ends the session, the lock is free, and the
 * next hub whose poll comes takes it: a connector polled every minute or more often is taken over
 * within a minute. Session locks rather than a lease table: nothing to expire by the clock, and a
 * hub that is gone cannot keep a lock its connection no longer holds.
 *
 * <p>The same session holds the run locks ({@code connector:<id>}): one sync of a connector at a
 * time across the hubs, a person's run included, without a run holding a connection of the pool.
 *
 * <p>The locks are held on a {@link LockSession}, one connection kept for the hub's lifetime; it is
 * checked before each use, and when it was lost (the database restarted) every leadership is given
 * up and asked for again.
 */
@Component
class ConnectorLeadership {

  private static final Logger log = LoggerFactory.getLogger(ConnectorLeadership.class);

  private final LockSession session;
  private final HubName hub;
  private final Set<String> led = new HashSet<>();

  ConnectorLeadership(DataSource database, HubName hub) {
    this.session = new LockSession(database);
    this.hub = hub;
  }

  /** Whether this hub leads connector {@code id}, taking the lead if no other hub holds it. */
  synchronized boolean lead(String id) {
    try {
      if (session.open()) {
        lost();
      }
      if (led.contains(id)) {
        return true;
      }
      if (session.tryLock("connector-leader:" + id)) {
        led.add(id);
        log.info("Hub {} now polls connector {}", hub.value(), id);
        return true;
      }
      return false;
    } catch (SQLException e) {
      log.warn("Hub {} could not check who polls connector {}: {}", hub.value(), id, e.toString());
      release();
      return false;
    }
  }

  /** The connectors this hub is syncing now. */
  private final Set<String> running = new HashSet<>();

  /**
   * Takes connector {@code id}'s run lock ({@code connector:<id>}, one sync at a time across the
   * hubs) on the leadership session, so that a run holds no connection of the pool for its
   * duration; {@code false} when a sync of it is under way, here or on another hub. A session lock
   * is taken again by the session that holds it, so this hub's own runs are told apart here.
   */
  synchronized boolean startRun(String id) {
    if (running.contains(id)) {
      return false;
    }
    try {
      if (session.open()) {
        lost();
      }
      if (session.tryLock("connector:" + id)) {
        running.add(id);
        return true;
      }
      return false;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "the hub's database failed while starting a sync of " + id + ": " + e, e);
    }
  }

  /** Gives connector {@code id}'s run lock back, however the run ended. */
  synchronized void endRun(String id) {
    if (!running.remove(id)) {
      return;
    }
    try {
      session.unlock("connector:" + id);
    } catch (SQLException e) {
      // a session that cannot answer holds no locks any more; the next use replaces it
      log.warn("Hub {} could not release the run lock of {}: {}", hub.value(), id, e.toString());
    }
  }

  /** The session was lost, and every lead with it. */
  private void lost() {
    if (!led.isEmpty()) {
      log.info("Hub {} no longer polls {}", hub.value(), led);
      led.clear();
    }
    // runs under way keep running; their locks ended with the session
  }

  /** Gives up every leadership, freeing its locks for the other hubs. */
  @PreDestroy
  synchronized void release() {
    lost();
    session.close();
  }
}
