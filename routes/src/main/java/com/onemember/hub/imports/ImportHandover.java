package com.onemember.hub.imports;

import com.onemember.hub.locks.LockSession;
import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which hub finishes an import when several hubs share one database and the one that took the
 * upload dies. Every hub holds a PostgreSQL advisory lock on its reader name ({@code
 * import-reader:<reader>}) on a session of its own for as long as it runs. A hub that can take
 * another reader's lock knows that reader is gone (PostgreSQL ended its session when the process
 * died), and while it holds that lock it makes itself the reader of the dead one's unfinished
 * imports (when the lock was free at two checks in a row, so that a live hub whose session dropped
 * a moment keeps its own); {@link ImportService#adoptOrphans} then reads on from the kept copy or
 * queues the rows still pending. Holding the dead reader's lock while doing so keeps two survivors
 * from adopting the same import, and makes the dead hub, should it start again under the same name,
 * wait for the handover before it resumes its own.
 *
 * <p>Rows the dead hub had already queued are on the broker, whose messages the dead hub's
 * consumers held are given to the other hubs' consumers; queuing them again sends some twice, which
 * changes nothing ({@link PendingRows}).
 */
@Component
class ImportHandover {

  private static final Logger log = LoggerFactory.getLogger(ImportHandover.class);

  /** How often each hub looks for imports left by a hub that died. */
  static final Duration PERIOD = Duration.ofSeconds(5);

  /** How long a hub waits at start-up for another hub handing its imports over. */
  private static final Duration HANDOVER_WAIT = Duration.ofSeconds(30);

  /** Imports not finished: being read, or with rows pending. */
  private static final String UNFINISHED =
      "(j.state = 'reading' or (j.state = 'queued' and exists (select 1 from import_row r"
          + " where r.import_id = j.id and r.outcome = 'pending')))";

  private final LockSession session;
  private final JdbcTemplate jdbc;
  private String holding;

  /**
   * Readers whose lock was free at the last check. A reader is taken over only when its lock is
   * free at two checks in a row: a live hub whose database session dropped (a restart of
   * PostgreSQL, a network blip) takes its lock again at its next check, before it loses its
   * imports.
   */
  private final java.util.Set<String> freeBefore = new java.util.HashSet<>();

  ImportHandover(DataSource database, JdbcTemplate jdbc) {
    this.session = new LockSession(database);
    this.jdbc = jdbc;
  }

  /**
   * Takes this hub's own reader lock, waiting while another hub hands this reader's imports over (a
   * hub started again under the name of one that died).
   */
  synchronized void holdOwn(String reader) throws SQLException {
    if (session.open()) {
      holding = null; // the session was lost, and the lock with it
    }
    if (reader.equals(holding)) {
      return;
    }
    long giveUp = System.nanoTime() + HANDOVER_WAIT.toNanos();
    while (!session.tryLock(key(reader))) {
      if (System.nanoTime() > giveUp) {
        // a handover takes a second; a lock held this long is another live hub's
        log.warn(
            "Another hub runs as import reader {} (the same host and data directory): give each"
                + " hub a data directory of its own. This hub's imports are not handed over if it"
                + " dies until that is fixed",
            reader);
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    holding = reader;
  }

  /**
   * Makes {@code reader} the reader of every unfinished import (being read, or with rows pending)
   * whose reader is dead.
   *
   * @return the imports taken over
   */
  synchronized List<UUID> adopt(String reader) throws SQLException {
    holdOwn(reader);
    if (!reader.equals(holding)) {
      return List.of(); // its reader name is another live hub's too: taking over would race it
    }
    List<String> others =
        jdbc.queryForList(
            "select distinct j.reader from import_job j where j.reader <> ? and " + UNFINISHED,
            String.class,
            reader);
    List<UUID> adopted = new ArrayList<>();
    java.util.Set<String> freeNow = new java.util.HashSet<>();
    for (String other : others) {
      if (!session.tryLock(key(other))) {
        continue; // alive
      }
      if (!freeBefore.contains(other)) {
        freeNow.add(other); // free once: taken over at the next check if still free
        session.unlock(key(other));
        continue;
      }
      try {
        List<UUID> taken =
            jdbc.queryForList(
                "update import_job j set reader = ? where j.reader = ? and "
                    + UNFINISHED
                    + " returning j.id",
                UUID.class,
                reader,
                other);
        log.info("Hub {} took over imports {} of {}, which stopped", reader, taken, other);
        adopted.addAll(taken);
      } finally {
        session.unlock(key(other));
      }
    }
    freeBefore.clear();
    freeBefore.addAll(freeNow);
    return adopted;
  }

  /**
   * Whether this hub holds {@code reader}'s lock (it does unless another live hub has its name).
   */
  synchronized boolean holds(String reader) {
    return reader.equals(holding);
  }

  private static String key(String reader) {
    return "import-reader:" + reader;
  }

  /** Ends the lock session, and with it this hub's claim on its imports. */
  @PreDestroy
  synchronized void release() {
    holding = null;
    session.close();
  }
}
