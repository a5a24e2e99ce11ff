package com.onemember.hub.connectors;

import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ChangesSource;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.JdbcFailures;
import com.onemember.connectors.frame.JdbcKind;
import com.onemember.connectors.frame.JdbcRows;
import com.onemember.connectors.frame.SnapshotKind;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.WebhookHealth;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.hub.imports.InboundQueue;
import com.onemember.mdm.ingest.SourceRecordWithdrawals;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.trace.Correlation;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of one sync of a polling connector, as its route ({@link ConnectorRoutes}) drives them:
 * {@link #begin} (unless paused, backing off, led by another hub or synced there now), {@link #row}
 * for every customer row read, {@link #complete} or {@link #failed}, and {@link #end}.
 *
 * <p>Each row's digest is compared with what the last syncs queued; new and changed rows are queued
 * as source records in batches of {@code batch-size} (500 when the kind has no such parameter). A
 * batch's digests are stored only after the broker holds the batch, so a crash re-reads at most one
 * batch and never skips a row; ingest is idempotent on (source, id, content), so a row read twice
 * changes nothing. A row the last syncs saw and a complete read no longer gives was deleted in the
 * system: its source record is withdrawn (not the member, unless it was the member's last record).
 * A read that fails half-way keeps what it queued and withdraws nothing.
 *
 * <p>A system that can say what changed since a time ({@link ChangesSource}) is read from the
 * position the last run reached, stored when the run completes; only a read from no position (the
 * first, or after {@code resync}) is complete, and only it withdraws. For a kind whose system also
 * pushes ({@link WebhookKind}), each row read is kept as the record's document, so that a push
 * carrying only some fields is merged over what the last read gave; a row the pushes brought
 * already (the document holds exactly it) is remembered without being queued, so that a change a
 * shop pushes is not ingested a second time when the next read sees it.
 *
 * <p>Only one hub syncs a connector at a time: the run holds a PostgreSQL transaction-level
 * advisory lock on the connector's id, on a connection of its own whose transaction ends with the
 * run. A failing connector waits before it tries again, twice as long after each failure in a row,
 * up to {@code onemember.connectors.max-backoff}.
 */
@Component
public class SnapshotSync {

  private static final Logger log = LoggerFactory.getLogger(SnapshotSync.class);

  private final ConnectorRegistry registry;
  private final ConnectorStore store;
  private final InboundQueue queue;
  private final ConnectorSettings settings;
  private final SourceRecordWithdrawals withdrawals;
  private final ConnectorLeadership leadership;
  private final HubName hub;
  private final PushedDocuments documents;
  private final Clock clock;

  /** Failures in a row, and when the next attempt may start, by connector. */
  private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

  private record Backoff(int failures, Instant notBefore) {}

  public SnapshotSync(
      ConnectorRegistry registry,
      ConnectorStore store,
      InboundQueue queue,
      ConnectorSettings settings,
      SourceRecordWithdrawals withdrawals,
      ConnectorLeadership leadership,
      HubName hub,
      PushedDocuments documents,
      Clock clock) {
    this.registry = registry;
    this.store = store;
    this.queue = queue;
    this.settings = settings;
    this.withdrawals = withdrawals;
    this.leadership = leadership;
    this.hub = hub;
    this.documents = documents;
    this.clock = clock;
  }

  /** How a run ended. */
  public enum Outcome {
    SYNCED,
    FAILED
  }

  /** One run under way: what it has read, queued and still has to withdraw. */
  static final class Run {
    final ConnectorInstance instance;
    final long id;

    /** The select a JDBC kind's route runs; {@code null} for a kind read by its own client. */
    final String select;

    /** The system a snapshot kind reads through its own client; {@code null} for a JDBC kind. */
    final SnapshotSource source;

    final Function<Map<String, String>, SourceRecord> mapper;
    final List<String> ignoredInDigest;
    final int batchSize;
    final Map<String, String> known;
    final Set<String> gone;
    final List<InboundQueue.RecordChange> batch = new ArrayList<>();
    final Map<String, String> digests = new LinkedHashMap<>();

    /** Where a changes read starts; {@code null} for a complete read. */
    Instant since;

    /** The stored position when the run began, as stored (to move it only from there). */
    String startedAt;

    /** Where the next changes read starts, once this one completed. */
    Instant reached;

    /** The system pushes too: rows read are kept as the documents pushes merge over. */
    boolean pushedToo;

    /** The field that orders a pushing system's versions of a record, if it has one. */
    String versionField;

    /** When the run began on the hub's clock: a deletion pushed after it outranks its rows. */
    Instant began;

    int read;
    int queued;
    int rejected;
    int withdrawn;

    Run(
        ConnectorInstance instance,
        long id,
        String select,
        SnapshotSource source,
        Function<Map<String, String>, SourceRecord> mapper,
        List<String> ignoredInDigest,
        Map<String, String> known) {
      this.instance = instance;
      this.id = id;
      this.select = select;
      this.source = source;
      this.mapper = mapper;
      this.ignoredInDigest = ignoredInDigest;
      this.known = known;
      this.gone = new HashSet<>(known.keySet());
      Object size = instance.parameters().get("batch-size");
      this.batchSize = size == null ? 500 : ((Number) size).intValue();
    }

    String connectorId() {
      return instance.id();
    }
  }

  /**
   * How long a handover keeps the record of the relationship it ends when the system lists the
   * customer under no one: WeCom completes one after 24 hours; three days leave room for a hub that
   * was down meanwhile.
   */
  static final Duration HANDOVER_WAIT = Duration.ofDays(3);

  /**
   * Starts a run of connector {@code id}, or answers {@code null} when it is not this hub's to run
   * now: paused, waiting after failures (unless a person asked), led by another hub (the timer
   * polls only where this hub leads; a person's run goes wherever it was asked), or being synced on
   * another hub at this moment.
   *
   * @param byPerson a person asked for it ({@code POST .../run}): it does not wait out the backoff
   */
  Run begin(String id, boolean byPerson) {
    ConnectorInstance instance = registry.find(id).orElseThrow();
    if (store.state(id).map(ConnectorStore.State::paused).orElse(false)) {
      return null;
    }
    Backoff backoff = backoffs.get(id);
    if (!byPerson && backoff != null && clock.instant().isBefore(backoff.notBefore())) {
      return null;
    }
    if (!byPerson && !leadership.lead(id)) {
      return null;
    }
    // the run lock is held on the leadership's session, not on a connection of the pool: with as
    // many connectors as the pool has connections, runs that each held one and waited for a
    // second starved the pool at every tick
    if (!leadership.startRun(id)) {
      return null;
    }
    try {
      // runs of a hub that died mid-run were never ended; none can be under way now
      store.endAbandonedRuns(id, clock.instant());
      long runId = store.startRun(id, hub.value(), clock.instant());
      Map<String, String> known = store.snapshot(id);
      if (registry.kind(instance) instanceof JdbcKind jdbc) {
        SourceTable table = jdbc.table(instance);
        return new Run(
            instance,
            runId,
            table.select(),
            null,
            row -> table.map(id, row),
            table.ignoredInDigest(),
            known);
      }
      SnapshotSource source = ((SnapshotKind) registry.kind(instance)).source(instance);
      Run run =
          new Run(
              instance,
              runId,
              null,
              source,
              row -> source.map(id, row),
              source.ignoredInDigest(),
              known);
      if (source instanceof ChangesSource) {
        run.startedAt = store.state(id).map(ConnectorStore.State::position).orElse(null);
        run.since = instant(run.startedAt);
      }
      run.began = clock.instant();
      run.pushedToo = registry.kind(instance) instanceof WebhookKind;
      if (registry.kind(instance) instanceof WebhookKind pushes) {
        run.versionField = pushes.versionField();
      }
      return run;
    } catch (RuntimeException e) {
      leadership.endRun(id);
      throw e;
    }
  }

  /** The select the run's JDBC kind reads with. */
  String select(Run run) {
    return run.select;
  }

  /** One row of a JDBC read (column label to value), its first column the row's key. */
  void jdbcRow(Run run, Map<String, ?> columns) {
    Map<String, String> row = JdbcRows.text(columns);
    row(run, row.isEmpty() ? null : row.values().iterator().next(), row);
  }

  /**
   * Reads a kind's system through its own client, row by row into the run: whole, or what changed
   * since the run's position.
   */
  void readAll(Run run) throws SourceUnavailable {
    try {
      if (run.source instanceof ChangesSource changes) {
        run.reached = changes.readChanges(run.since, (key, row) -> row(run, key, row));
      } else {
        run.source.readAll((key, row) -> row(run, key, row));
      }
    } catch (DetailUnavailable e) {
      throw e.getCause();
    }
  }

  /**
   * A row's detail could not be asked for: the read stops there, as a failed page would stop it.
   */
  private static final class DetailUnavailable extends RuntimeException {
    DetailUnavailable(SourceUnavailable cause) {
      super(cause);
    }

    @Override
    public synchronized SourceUnavailable getCause() {
      return (SourceUnavailable) super.getCause();
    }
  }

  /** A stored position as an instant; {@code null} when it is none (a snapshot's description). */
  static Instant instant(String position) {
    try {
      return position == null ? null : Instant.parse(position);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** One customer row: queued when new or changed, rejected with its reason when unusable. */
  void row(Run run, String key, Map<String, String> row) {
    String id = run.connectorId();
    run.read++;
    if (key == null || key.isBlank()) {
      run.rejected++;
      store.reject(
          id,
          null,
          "这一行没有主键，无法跟踪 / the row has no key, so it cannot be followed",
          RecordJson.write(row),
          clock.instant());
      return;
    }
    run.gone.remove(key);
    String digest = digest(row, run.ignoredInDigest);
    if (digest.equals(run.known.get(key))) {
      return;
    }
    if (run.source != null) {
      try {
        row = run.source.detail(key, row);
      } catch (SourceUnavailable e) {
        throw new DetailUnavailable(e);
      }
    }
    PushedDocuments.Replaced replaced = PushedDocuments.Replaced.STORED;
    if (run.pushedToo && run.source != null && run.source.partial(row)) {
      // some fields only: the record is the document with these over it
      Map<String, String> merged =
          documents.merge(id, key, new LinkedHashMap<>(row), run.versionField, clock.instant());
      if (merged == null) {
        return;
      }
      row = merged;
    } else if (run.pushedToo) {
      replaced = documents.replace(id, key, row, run.versionField, run.began, clock.instant());
      if (replaced == PushedDocuments.Replaced.OLDER) {
        return; // read before a newer push was taken: the hub holds newer already
      }
    }
    // SAME: the pushes brought this state already; remembered below, not ingested a second time
    if (replaced == PushedDocuments.Replaced.STORED) {
      try {
        run.batch.add(new InboundQueue.RecordChange(key, RecordJson.write(run.mapper.apply(row))));
      } catch (SourceTable.RowRejected e) {
        run.rejected++;
        store.reject(id, key, e.getMessage(), RecordJson.write(row), clock.instant());
      }
    }
    run.digests.put(key, digest);
    if (run.digests.size() >= run.batchSize) {
      run.queued += flush(run);
    }
  }

  /**
   * The read was complete: queues the last batch, withdraws the rows it no longer gave and records
   * the run's success.
   */
  Outcome complete(Run run) throws SourceUnavailable {
    String id = run.connectorId();
    run.queued += flush(run);
    Instant now = clock.instant();
    checkWebhooks(run);
    if (run.source instanceof ChangesSource && run.since != null) {
      // a read of what changed says nothing of the rows it did not give
      store.advance(
          id,
          run.startedAt,
          run.reached == null ? run.since.toString() : run.reached.toString(),
          now);
      store.endRun(run.id, counts(run), null, null, now);
      backoffs.remove(id);
      return Outcome.SYNCED;
    }
    if (!run.gone.isEmpty()) {
      // a system read page by page skips a row when one before it is deleted meanwhile
      run.gone.removeAll(run.source == null ? Set.of() : run.source.stillPresent(run.gone));
    }
    if (!run.gone.isEmpty()) {
      // a customer being handed to another staff member is listed under no one meanwhile
      run.gone.removeAll(
          store.handoversUnderWay(id, run.gone, clock.instant().minus(HANDOVER_WAIT)));
    }
    refuseMassWithdrawal(id, run.known.size(), run.gone.size(), run.read);
    // rows the last syncs saw that a complete read no longer gives: deleted in the system. A
    // key whose record is not in the hub (still queued, or never accepted) stays in the snapshot
    // and is tried again next sync, so a record that arrives late is withdrawn then.
    List<String> withdrawn = new ArrayList<>();
    for (String key : run.gone) {
      if (withdrawals
          .withdraw(id, key, "在 " + id + " 中已删除 / deleted in " + id, "connector " + id)
          .isPresent()) {
        withdrawn.add(key);
      }
    }
    run.withdrawn = withdrawn.size();
    store.forget(id, withdrawn);
    withdrawn.forEach(key -> documents.forget(id, key));
    if (run.source instanceof ChangesSource) {
      store.advance(id, run.startedAt, run.reached == null ? null : run.reached.toString(), now);
    } else {
      store.succeeded(id, "snapshot of " + run.read + " rows", now);
    }
    store.endRun(run.id, counts(run), null, null, now);
    backoffs.remove(id);
    return Outcome.SYNCED;
  }

  /**
   * Asks a system that can say so whether its webhooks to the hub still fire, after each read: the
   * answer goes on the connector's status. Not being able to ask is itself the answer; the sync
   * does not fail for it.
   */
  private void checkWebhooks(Run run) {
    if (!(registry.kind(run.instance) instanceof WebhookHealth health)) {
      return;
    }
    List<String> problems;
    try {
      problems = health.webhookProblems(run.instance);
    } catch (SourceUnavailable | RuntimeException e) {
      problems =
          List.of(
              "无法查询系统的 webhook 状态 / could not ask the system about its webhooks: "
                  + e.getMessage());
    }
    store.webhookHealth(run.connectorId(), problems, clock.instant());
  }

  /**
   * The read or the run failed: what was read before is queued, the failure recorded with its kind,
   * and the connector waits before its next try.
   */
  Outcome failed(Run run, Throwable cause) {
    SourceUnavailable failure = classify(cause);
    String id = run.connectorId();
    try {
      run.queued += flush(run);
    } catch (RuntimeException e) {
      log.warn("Connector {} could not queue the rows read before its failure", id, e);
    }
    Instant now = clock.instant();
    try {
      store.failed(id, failure.getMessage(), now);
      store.endRun(run.id, counts(run), failure.kind().name(), failure.getMessage(), now);
    } catch (RuntimeException e) {
      // the run stays open in the table; the next run of this connector closes it
      log.warn("Connector {} could not record its failure", id, e);
    }
    Backoff before = backoffs.get(id);
    int failures = before == null ? 1 : before.failures() + 1;
    Duration wait = backoff(run.instance.schedule(), failures);
    backoffs.put(id, new Backoff(failures, now.plus(wait)));
    log.warn(
        "Connector {} failed ({}), next attempt in {}: {}",
        id,
        failure.kind(),
        wait,
        failure.getMessage());
    return Outcome.FAILED;
  }

  /** Releases the run's lock, however it ended. */
  void end(Run run) {
    leadership.endRun(run.connectorId());
  }

  /**
   * What a failure means: the system's own words ({@link SourceUnavailable}), a database error by
   * its SQL state, or the hub's side failing (its broker, its database), which is retried.
   */
  static SourceUnavailable classify(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SourceUnavailable s) {
        return s;
      }
      if (t instanceof HubSideFailure || t instanceof org.springframework.dao.DataAccessException) {
        // the hub's own database or broker (the sql endpoint's errors come as SQLException)
        return new SourceUnavailable(
            FailureKind.TRANSIENT,
            "同步中断（本系统的数据库或消息队列），稍后重试 / the sync stopped on the hub's own database or"
                + " broker, will retry: "
                + t.getMessage(),
            null);
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return JdbcFailures.unavailable(sql);
      }
    }
    return new SourceUnavailable(
        FailureKind.TRANSIENT, "同步中断，稍后重试 / the sync stopped, will retry: " + cause, null);
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

  private static ConnectorStore.Counts counts(Run run) {
    return new ConnectorStore.Counts(run.read, run.queued, run.rejected, run.withdrawn);
  }

  /** Queues the batch, then remembers its digests; answers how many records were queued. */
  private int flush(Run run) {
    try {
      if (run.pushedToo && !run.batch.isEmpty()) {
        // a deletion pushed after a row was read and before its batch went: the row would arrive
        // behind the deletion and undo it. It is not remembered, so the next read gives it again
        // if the system still has it.
        Set<String> deleted =
            documents.deletedSince(run.connectorId(), run.digests.keySet(), run.began);
        run.batch.removeIf(change -> deleted.contains(change.key()));
        run.digests.keySet().removeAll(deleted);
      }
    } catch (RuntimeException e) {
      throw new HubSideFailure(e);
    }
    int n = run.batch.size();
    try {
      if (!run.batch.isEmpty()) {
        // the run's records carry its id to the matching and the golden events they cause
        try (Correlation.Scope scope = Correlation.open(Correlation.ofRun(run.id))) {
          queue.sendRecords(run.connectorId(), run.batch);
        }
      }
      if (!run.digests.isEmpty()) {
        store.remember(run.connectorId(), run.digests);
      }
    } catch (RuntimeException e) {
      throw new HubSideFailure(e);
    }
    run.batch.clear();
    run.digests.clear();
    return n;
  }

  /** The hub's own broker or database failed during a run: not the system's fault, retried. */
  static final class HubSideFailure extends RuntimeException {
    HubSideFailure(RuntimeException cause) {
      super(cause.getMessage(), cause);
    }
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
}
