package com.onemember.hub.connectors;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.SnapshotKind;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.hub.imports.InboundQueue;
import com.onemember.mdm.ingest.SourceRecordWithdrawals;
import com.onemember.mdm.store.RecordJson;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One sync of a polling connector ({@link SnapshotSource}: a POS table, Pospal's customer pages):
 * reads every customer row, compares each row's digest with what the last syncs queued, and queues
 * the new and changed rows as source records in batches of {@code batch-size} (500 when the kind
 * has no such parameter). A batch's digests are stored only after the broker holds the batch, so a
 * crash re-reads at most one batch and never skips a row; ingest is idempotent on (source, id,
 * content), so a row read twice changes nothing. A row the last syncs saw and a complete read no
 * longer gives was deleted in the system: its source record is withdrawn (not the member, unless it
 * was the member's last record). A read that fails half-way keeps what it queued and withdraws
 * nothing.
 *
 * <p>Only one hub syncs a connector at a time: the run holds a PostgreSQL advisory lock on the
 * connector's id, and a hub that cannot take it leaves the run to the one that holds it. A failing
 * connector waits before it tries again, twice as long after each failure in a row, up to {@code
 * onemember.connectors.max-backoff}.
 */
@Component
public class SnapshotSync implements ConnectorPolling {

  private static final Logger log = LoggerFactory.getLogger(SnapshotSync.class);

  private final ConnectorRegistry registry;
  private final ConnectorStore store;
  private final InboundQueue queue;
  private final DataSource hubDatabase;
  private final ConnectorSettings settings;
  private final SourceRecordWithdrawals withdrawals;
  private final Clock clock;

  /** Failures in a row, and when the next attempt may start, by connector. */
  private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

  private record Backoff(int failures, Instant notBefore) {}

  private final ConnectorLeadership leadership;
  private final HubName hub;

  public SnapshotSync(
      ConnectorRegistry registry,
      ConnectorStore store,
      InboundQueue queue,
      DataSource hubDatabase,
      ConnectorSettings settings,
      SourceRecordWithdrawals withdrawals,
      ConnectorLeadership leadership,
      HubName hub,
      Clock clock) {
    this.leadership = leadership;
    this.hub = hub;
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
  @Override
  public void poll(String connectorId) {
    run(connectorId, false);
  }

  /**
   * @param byPerson a person asked for it ({@code POST .../run}): it does not wait out the backoff
   *     of earlier failures (the person may just have fixed the cause)
   */
  public Outcome run(String id, boolean byPerson) {
    ConnectorInstance instance = registry.find(id).orElseThrow();
    if (store.state(id).map(ConnectorStore.State::paused).orElse(false)) {
      return Outcome.SKIPPED;
    }
    Backoff backoff = backoffs.get(id);
    if (!byPerson && backoff != null && clock.instant().isBefore(backoff.notBefore())) {
      return Outcome.SKIPPED;
    }
    // the timer polls only where this hub leads the connector; a person's run goes wherever it
    // was asked, as long as no other hub is syncing it at that moment (the run lock below)
    if (!byPerson && !leadership.lead(id)) {
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
    SnapshotSource source = ((SnapshotKind) registry.kind(instance)).source(instance);
    Object size = instance.parameters().get("batch-size");
    int batchSize = size == null ? 500 : ((Number) size).intValue();
    long runId = store.startRun(id, hub.value(), clock.instant());
    int[] counts = new int[4]; // read, queued, rejected, withdrawn
    Map<String, String> known = store.snapshot(id);
    Set<String> gone = new HashSet<>(known.keySet());
    List<String> batch = new ArrayList<>();
    Map<String, String> digests = new LinkedHashMap<>();
    try {
      source.readAll(
          (key, row) -> {
            counts[0]++;
            if (key == null || key.isBlank()) {
              counts[2]++;
              store.reject(
                  id,
                  null,
                  "这一行没有主键，无法跟踪 / the row has no key, so it cannot be followed",
                  RecordJson.write(row),
                  clock.instant());
              return;
            }
            gone.remove(key);
            String digest = digest(row, source.ignoredInDigest());
            if (digest.equals(known.get(key))) {
              return;
            }
            try {
              batch.add(RecordJson.write(source.map(id, row)));
            } catch (SourceTable.RowRejected e) {
              counts[2]++;
              store.reject(id, key, e.getMessage(), RecordJson.write(row), clock.instant());
            }
            digests.put(key, digest);
            if (digests.size() >= batchSize) {
              counts[1] += flush(id, batch, digests);
            }
          });
      counts[1] += flush(id, batch, digests);
      refuseMassWithdrawal(id, known.size(), gone.size(), counts[0]);
      // rows the last syncs saw that a complete read no longer gives: deleted in the system. A
      // key whose record is not in the hub (still queued, or never accepted) stays in the snapshot
      // and is tried again next sync, so a record that arrives late is withdrawn then.
      List<String> withdrawn = new ArrayList<>();
      for (String key : gone) {
        if (withdrawals
            .withdraw(id, key, "在 " + id + " 中已删除 / deleted in " + id, "connector " + id)
            .isPresent()) {
          withdrawn.add(key);
        }
      }
      counts[3] = withdrawn.size();
      store.forget(id, withdrawn);
      Instant now = clock.instant();
      store.succeeded(id, source.position(counts[0]), now);
      store.endRun(runId, counts(counts), null, null, now);
      backoffs.remove(id);
      return Outcome.SYNCED;
    } catch (SourceUnavailable e) {
      return failed(instance, runId, counts, e.kind(), e.getMessage(), batch, digests);
    } catch (RuntimeException e) {
      // the hub's side failed (the broker, its own database): end the run all the same
      log.warn("Connector {} sync stopped", id, e);
      return failed(
          instance,
          runId,
          counts,
          FailureKind.TRANSIENT,
          "同步中断，稍后重试 / the sync stopped, will retry: " + e,
          new ArrayList<>(),
          new LinkedHashMap<>());
    }
  }

  /**
   * A read that no longer gives most of the rows the last syncs saw is more likely a wrong or
   * restored database than a store that deleted most of its customers: withdraw nothing and say so.
   */
  private void refuseMassWithdrawal(String id, int known, int gone, int read)
      throws SourceUnavailable {
    if (known >= 10 && gone > known * settings.maxWithdrawShare()) {
      throw new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "本次读取只有 "
              + read
              + " 行，而上次有 "
              + known
              + " 行：未撤回任何记录 / this read gave "
              + read
              + " rows where the last syncs saw "
              + known
              + "; withdrawing "
              + gone
              + " records at once looks like a wrong or restored database, so none was withdrawn."
              + " Check the connector's database; if the customers were really deleted, raise"
              + " onemember.connectors.max-withdraw-share for one sync.",
          null);
    }
  }

  private Outcome failed(
      ConnectorInstance instance,
      long runId,
      int[] counts,
      FailureKind kind,
      String message,
      List<String> batch,
      Map<String, String> digests) {
    String id = instance.id();
    try {
      // what was read before the failure is queued, and its digests stored
      counts[1] += flush(id, batch, digests);
    } catch (RuntimeException e) {
      log.warn("Connector {} could not queue the rows read before its failure", id, e);
    }
    Instant now = clock.instant();
    store.failed(id, message, now);
    store.endRun(runId, counts(counts), kind.name(), message, now);
    Backoff before = backoffs.get(id);
    int failures = before == null ? 1 : before.failures() + 1;
    Duration wait = backoff(instance.schedule(), failures);
    backoffs.put(id, new Backoff(failures, now.plus(wait)));
    log.warn("Connector {} failed ({}), next attempt in {}: {}", id, kind, wait, message);
    return Outcome.FAILED;
  }

  private static ConnectorStore.Counts counts(int[] c) {
    return new ConnectorStore.Counts(c[0], c[1], c[2], c[3]);
  }

  /** Queues the batch, then remembers its digests; answers how many records were queued. */
  private int flush(String id, List<String> batch, Map<String, String> digests) {
    int n = batch.size();
    if (!batch.isEmpty()) {
      queue.sendRecords(id, batch);
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
}
