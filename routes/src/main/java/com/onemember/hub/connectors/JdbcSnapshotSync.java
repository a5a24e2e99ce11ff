package com.onemember.hub.connectors;

import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.JdbcKind;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.mdm.ingest.SourceRecordWithdrawals;
import com.onemember.mdm.store.RecordJson;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One sync of a {@link com.onemember.connectors.frame.Transport#JDBC_POLLING} connector: reads the
 * whole customers table, compares each row's digest with what the last syncs queued, and queues the
 * new and changed rows as source records in batches of {@code batch-size}. A batch's digests are
 * stored only after the broker holds the batch, so a crash re-reads at most one batch and never
 * skips a row; ingest is idempotent on (source, id, content), so a row read twice changes nothing.
 * A row the last syncs saw and the table no longer has was deleted in the POS: its source record is
 * withdrawn (not the member, unless it was the member's last record).
 *
 * <p>Only one hub syncs a connector at a time: the run holds a PostgreSQL advisory lock on the
 * connector's id, and a hub that cannot take it leaves the run to the one that holds it. A failing
 * connector waits before it tries again, twice as long after each failure in a row, up to {@code
 * onemember.connectors.max-backoff}.
 */
@Component
public class JdbcSnapshotSync {

  private static final Logger log = LoggerFactory.getLogger(JdbcSnapshotSync.class);

  private final ConnectorRegistry registry;
  private final ConnectorStore store;
  private final ConnectorQueue queue;
  private final DataSource hubDatabase;
  private final ConnectorSettings settings;
  private final SourceRecordWithdrawals withdrawals;
  private final Clock clock;

  /** Failures in a row, and when the next attempt may start, by connector. */
  private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

  private record Backoff(int failures, Instant notBefore) {}

  public JdbcSnapshotSync(
      ConnectorRegistry registry,
      ConnectorStore store,
      ConnectorQueue queue,
      DataSource hubDatabase,
      ConnectorSettings settings,
      SourceRecordWithdrawals withdrawals,
      Clock clock) {
    this.withdrawals = withdrawals;
    this.registry = registry;
    this.store = store;
    this.queue = queue;
    this.hubDatabase = hubDatabase;
    this.settings = settings;
    this.clock = clock;
  }

  /** What one call did. */
  public enum Outcome {
    SYNCED,
    FAILED,
    /** Paused by a person, waiting after a failure, or another hub is syncing it. */
    SKIPPED
  }

  /** Syncs connector {@code id} now unless it is paused, backing off, or synced elsewhere. */
  public Outcome run(String id) {
    ConnectorInstance instance = registry.find(id).orElseThrow();
    if (store.state(id).map(ConnectorStore.State::paused).orElse(false)) {
      return Outcome.SKIPPED;
    }
    Backoff backoff = backoffs.get(id);
    if (backoff != null && clock.instant().isBefore(backoff.notBefore())) {
      return Outcome.SKIPPED;
    }
    try (Connection lock = hubDatabase.getConnection()) {
      if (!tryLock(lock, id)) {
        return Outcome.SKIPPED;
      }
      try {
        return sync(instance);
      } finally {
        unlock(lock, id);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the hub's database failed while syncing " + id, e);
    }
  }

  private Outcome sync(ConnectorInstance instance) {
    String id = instance.id();
    SourceTable table = ((JdbcKind) registry.kind(instance)).table(instance);
    int batchSize = ((Number) instance.parameters().get("batch-size")).intValue();
    long runId = store.startRun(id, clock.instant());
    int read = 0;
    int queued = 0;
    int rejected = 0;
    int withdrawn = 0;
    try (Connection pos =
        DriverManager.getConnection(
            instance.text("jdbc-url"), instance.text("username"), instance.text("password"))) {
      pos.setReadOnly(true);
      // PostgreSQL streams a result only inside a transaction with a fetch size
      pos.setAutoCommit(false);
      Map<String, String> known = store.snapshot(id);
      java.util.Set<String> gone = new java.util.HashSet<>(known.keySet());
      List<String> batch = new ArrayList<>();
      Map<String, String> digests = new LinkedHashMap<>();
      try (Statement st = pos.createStatement()) {
        st.setFetchSize(batchSize);
        try (ResultSet rs = st.executeQuery(table.select())) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            read++;
            Map<String, String> row = row(rs, meta);
            String key = rs.getString(1);
            gone.remove(key);
            String digest = digest(row, table.ignoredInDigest());
            if (key == null || digest.equals(known.get(key))) {
              continue;
            }
            try {
              SourceRecord record = table.map(id, row);
              batch.add(RecordJson.write(record));
            } catch (SourceTable.RowRejected e) {
              rejected++;
              store.reject(id, key, e.getMessage(), RecordJson.write(row), clock.instant());
            }
            digests.put(key, digest);
            if (digests.size() >= batchSize) {
              queued += flush(id, batch, digests);
            }
          }
        }
      }
      queued += flush(id, batch, digests);
      pos.rollback();
      // rows the last syncs saw that the table no longer has: the POS deleted those customers
      for (String key : gone) {
        withdrawals.withdraw(id, key, "在 " + id + " 中已删除 / deleted in " + id, "connector " + id);
        withdrawn++;
      }
      store.forget(id, gone);
      Instant now = clock.instant();
      store.succeeded(id, "snapshot of " + read + " rows", now);
      store.endRun(
          runId, new ConnectorStore.Counts(read, queued, rejected, withdrawn), null, null, now);
      backoffs.remove(id);
      return Outcome.SYNCED;
    } catch (SQLException e) {
      Failure failure = Failure.of(e);
      Instant now = clock.instant();
      String message = failure.describe(e);
      store.failed(id, message, now);
      store.endRun(
          runId,
          new ConnectorStore.Counts(read, queued, rejected, withdrawn),
          failure.name(),
          message,
          now);
      Backoff before = backoffs.get(id);
      int failures = before == null ? 1 : before.failures() + 1;
      Duration wait = backoff(instance.schedule(), failures);
      backoffs.put(id, new Backoff(failures, now.plus(wait)));
      log.warn("Connector {} failed ({}), next attempt in {}: {}", id, failure, wait, message);
      return Outcome.FAILED;
    }
  }

  /** Queues the batch, then remembers its digests; answers how many records were queued. */
  private int flush(String id, List<String> batch, Map<String, String> digests) {
    int n = batch.size();
    if (!batch.isEmpty()) {
      queue.send(id, batch);
    }
    if (!digests.isEmpty()) {
      store.remember(id, digests);
    }
    batch.clear();
    digests.clear();
    return n;
  }

  Duration backoff(Duration schedule, int failures) {
    Duration base = schedule == null ? Duration.ofSeconds(30) : schedule;
    Duration wait = base.multipliedBy(1L << Math.min(failures, 16));
    return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
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

  private static String digest(Map<String, String> row, List<String> ignored) {
    Map<String, String> sorted = new TreeMap<>(row);
    ignored.forEach(sorted::remove);
    return RecordJson.sha256(RecordJson.write(sorted));
  }

  private static boolean tryLock(Connection c, String id) throws SQLException {
    try (var ps = c.prepareStatement("select pg_try_advisory_lock(hashtext(?))")) {
      ps.setString(1, "connector:" + id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static void unlock(Connection c, String id) throws SQLException {
    try (var ps = c.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
      ps.setString(1, "connector:" + id);
      ps.executeQuery().close();
    }
  }

  /** What kind of failure a database error is, for the run's record and for IT staff. */
  enum Failure {
    /** The instance file is wrong: credentials, database or table name. Fix the file. */
    CONFIGURATION,
    /** The database could not be reached or went away: tried again with backoff. */
    TRANSIENT,
    /** The database answered with an error. */
    SOURCE_SYSTEM;

    static Failure of(SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.startsWith("08")
          || state.isEmpty() && e.getCause() instanceof java.io.IOException) {
        return TRANSIENT;
      }
      if (state.startsWith("28") || state.startsWith("3D") || state.startsWith("42")) {
        return CONFIGURATION;
      }
      return SOURCE_SYSTEM;
    }

    String describe(SQLException e) {
      String what =
          switch (this) {
            case CONFIGURATION ->
                "POS 数据库拒绝了配置（账号、库名或表名）/ the POS database refused the"
                    + " configuration (user, database or table)";
            case TRANSIENT -> "POS 数据库无法连接，稍后重试 / cannot reach the POS database, will retry";
            case SOURCE_SYSTEM -> "POS 数据库返回错误 / the POS database answered with an error";
          };
      return what + ": " + e.getMessage();
    }
  }
}
