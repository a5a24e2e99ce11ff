package com.onemember.hub.connectors;

import com.onemember.mdm.store.RecordJson;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Connectors' state, snapshot digests, runs and rejections ({@code V24__connectors.sql}). */
@Repository
public class ConnectorStore {

  private final JdbcTemplate jdbc;

  public ConnectorStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** A connector's stored state; absent before its first run or pause. */
  public record State(
      String connectorId,
      boolean paused,
      String position,
      Instant lastSuccessAt,
      String lastFailure,
      Instant lastFailureAt,
      long recordsOut,
      Instant lastPushAt,
      Instant webhooksCheckedAt,
      List<String> webhookProblems) {}

  public Optional<State> state(String connectorId) {
    return jdbc
        .query(
            "select * from connector_state where connector_id = ?",
            (rs, i) ->
                new State(
                    rs.getString("connector_id"),
                    rs.getBoolean("paused"),
                    rs.getString("position"),
                    instant(rs.getTimestamp("last_success_at")),
                    rs.getString("last_failure"),
                    instant(rs.getTimestamp("last_failure_at")),
                    rs.getLong("records_out"),
                    instant(rs.getTimestamp("last_push_at")),
                    instant(rs.getTimestamp("webhooks_checked_at")),
                    problems(rs.getString("webhook_problems"))),
            connectorId)
        .stream()
        .findFirst();
  }

  public void setPaused(String connectorId, boolean paused, Instant now) {
    jdbc.update(
        """
        insert into connector_state (connector_id, paused, updated_at) values (?, ?, ?)
        on conflict (connector_id) do update set paused = excluded.paused,
                                                 updated_at = excluded.updated_at""",
        connectorId,
        paused,
        Timestamp.from(now));
  }

  /** Counts records written back to the connector's system. */
  void wroteBack(String connectorId, int records, Instant now) {
    jdbc.update(
        """
        insert into connector_state (connector_id, records_out, updated_at) values (?, ?, ?)
        on conflict (connector_id) do update
          set records_out = connector_state.records_out + excluded.records_out""",
        connectorId,
        records,
        Timestamp.from(now));
  }

  /** Sets where a changes read starts next ({@code null}: a complete read). */
  void reposition(String connectorId, String position, Instant now) {
    jdbc.update(
        """
        insert into connector_state (connector_id, position, updated_at) values (?, ?, ?)
        on conflict (connector_id) do update set position = excluded.position,
               updated_at = excluded.updated_at""",
        connectorId,
        position,
        Timestamp.from(now));
  }

  /**
   * A changes read completed: its position moves to {@code position}, unless it is no longer the
   * one the run started from ({@code expected}; a person's resync moved it meanwhile), in which
   * case only the success is recorded and the next run reads from where the resync said.
   *
   * @return whether the position moved
   */
  boolean advance(String connectorId, String expected, String position, Instant now) {
    int moved =
        jdbc.update(
            """
            insert into connector_state (connector_id, position, last_success_at, updated_at)
            values (?, ?, ?, ?)
            on conflict (connector_id) do update set position = excluded.position,
                   last_success_at = excluded.last_success_at, updated_at = excluded.updated_at
             where connector_state.position is not distinct from ?""",
            connectorId,
            position,
            Timestamp.from(now),
            Timestamp.from(now),
            expected);
    if (moved == 0) {
      pushed(connectorId, now);
    }
    return moved > 0;
  }

  private static List<String> problems(String json) {
    if (json == null) {
      return null;
    }
    try {
      return List.of(RecordJson.mapper().readValue(json, String[].class));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The id of every record the connector gave: those the hub holds, those the merge log names
   * (records withdrawn since are no longer held, but members' history may keep their values), and
   * those it keeps documents, data requests or rejections of. What an erasure of all its records
   * covers.
   */
  List<String> everyRecordKey(String connectorId) {
    String prefix = connectorId + ":";
    return jdbc.queryForList(
        """
        select source_record_id from source_record where source = ?
        union
        select substr(r, ?) from merge_log, unnest(source_records) r where r like ? escape '!'
        union
        select source_key from connector_document where connector_id = ?
        union
        select source_key from connector_data_request where connector_id = ?
        union
        select source_record_id from connector_rejection
         where connector_id = ? and source_record_id is not null""",
        String.class,
        connectorId,
        prefix.length() + 1,
        prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%",
        connectorId,
        connectorId,
        connectorId);
  }

  /**
   * After an erasure of all its records: the connector's data requests and rejections (those with
   * no record id too, which may quote a person) go, and so does what it knew of its rows.
   */
  void forgetEverythingOf(String connectorId) {
    jdbc.update("delete from connector_data_request where connector_id = ?", connectorId);
    jdbc.update("delete from connector_rejection where connector_id = ?", connectorId);
    jdbc.update("delete from connector_document where connector_id = ?", connectorId);
    forgetAll(connectorId);
  }

  /** Keeps a customer's request for their data, as the system passed it on. */
  void dataRequest(String connectorId, String key, String request, Instant now) {
    jdbc.update(
        "insert into connector_data_request (connector_id, source_key, request, received_at)"
            + " values (?, ?, ?::jsonb, ?)",
        connectorId,
        key,
        request,
        Timestamp.from(now));
  }

  /** One kept data request. */
  public record DataRequest(long id, String sourceRecordId, String request, Instant receivedAt) {}

  /** Data requests newest first, those before {@code before} (an id) when given. */
  public List<DataRequest> dataRequests(String connectorId, Long before, int limit) {
    return jdbc.query(
        "select * from connector_data_request where connector_id = ? and id < ?"
            + " order by id desc limit ?",
        (rs, i) ->
            new DataRequest(
                rs.getLong("id"),
                rs.getString("source_key"),
                rs.getString("request"),
                instant(rs.getTimestamp("received_at"))),
        connectorId,
        before == null ? Long.MAX_VALUE : before,
        limit);
  }

  /** A push arrived from the connector's system. */
  void pushArrived(String connectorId, Instant now) {
    jdbc.update(
        """
        insert into connector_state (connector_id, last_push_at, updated_at) values (?, ?, ?)
        on conflict (connector_id) do update set last_push_at = excluded.last_push_at,
               updated_at = excluded.updated_at""",
        connectorId,
        Timestamp.from(now),
        Timestamp.from(now));
  }

  /** What the system said of its webhooks to the hub (empty: they all fire). */
  void webhookHealth(String connectorId, List<String> problems, Instant now) {
    jdbc.update(
        """
        insert into connector_state (connector_id, webhooks_checked_at, webhook_problems, updated_at)
        values (?, ?, ?::jsonb, ?)
        on conflict (connector_id) do update set webhooks_checked_at = excluded.webhooks_checked_at,
               webhook_problems = excluded.webhook_problems, updated_at = excluded.updated_at""",
        connectorId,
        Timestamp.from(now),
        RecordJson.write(problems),
        Timestamp.from(now));
  }

  /** A push was taken: the connector's last success, its position (a polled kind's) unchanged. */
  void pushed(String connectorId, Instant now) {
    jdbc.update(
        """
        insert into connector_state (connector_id, last_success_at, updated_at) values (?, ?, ?)
        on conflict (connector_id) do update set last_success_at = excluded.last_success_at,
               updated_at = excluded.updated_at""",
        connectorId,
        Timestamp.from(now),
        Timestamp.from(now));
  }

  void succeeded(String connectorId, String position, Instant now) {
    jdbc.update(
        """
        insert into connector_state (connector_id, position, last_success_at, updated_at)
        values (?, ?, ?, ?)
        on conflict (connector_id) do update set position = excluded.position,
               last_success_at = excluded.last_success_at, updated_at = excluded.updated_at""",
        connectorId,
        position,
        Timestamp.from(now),
        Timestamp.from(now));
  }

  void failed(String connectorId, String failure, Instant now) {
    jdbc.update(
        """
        insert into connector_state (connector_id, last_failure, last_failure_at, updated_at)
        values (?, ?, ?, ?)
        on conflict (connector_id) do update set last_failure = excluded.last_failure,
               last_failure_at = excluded.last_failure_at, updated_at = excluded.updated_at""",
        connectorId,
        failure,
        Timestamp.from(now),
        Timestamp.from(now));
  }

  /** The digest of every row the last syncs queued, by row key. */
  Map<String, String> snapshot(String connectorId) {
    Map<String, String> out = new HashMap<>();
    jdbc.query(
        "select source_key, digest from connector_snapshot where connector_id = ?",
        rs -> {
          out.put(rs.getString(1), rs.getString(2));
        },
        connectorId);
    return out;
  }

  /** Forgets every row the last syncs sent: the next sync sends them all again. */
  void forgetAll(String connectorId) {
    jdbc.update("delete from connector_snapshot where connector_id = ?", connectorId);
  }

  /** Forgets rows the system no longer has. */
  void forget(String connectorId, java.util.Collection<String> keys) {
    jdbc.update(
        "delete from connector_snapshot where connector_id = ? and source_key = any(?)",
        connectorId,
        keys.toArray(String[]::new));
  }

  /**
   * A handover the system carries out (WeCom's 离职继承): the record {@code key} of the relationship
   * with the staff member who left is kept through complete reads until {@code takenKey}, the
   * relationship with the one taking over, has been read.
   */
  void handoverRequested(String connectorId, String key, String takenKey, Instant at) {
    jdbc.update(
        """
        insert into connector_handover (connector_id, source_key, taken_key, requested_at)
        values (?, ?, ?, ?)
        on conflict (connector_id, source_key) do update
           set taken_key = excluded.taken_key, requested_at = excluded.requested_at""",
        connectorId,
        key,
        takenKey,
        Timestamp.from(at));
  }

  /**
   * Of {@code gone} (rows a complete read no longer gave), those a handover under way keeps: asked
   * for after {@code since}, the new relationship not read yet. Handovers done or too old are
   * forgotten here, and their rows go as any other.
   */
  Set<String> handoversUnderWay(String connectorId, Collection<String> gone, Instant since) {
    Set<String> waiting = new HashSet<>();
    List<String> over = new ArrayList<>();
    jdbc.query(
        """
        select h.source_key, s.source_key is not null, h.requested_at < ?
          from connector_handover h
          left join connector_snapshot s
            on s.connector_id = h.connector_id and s.source_key = h.taken_key
         where h.connector_id = ? and h.source_key = any (?)""",
        rs -> {
          if (rs.getBoolean(2) || rs.getBoolean(3)) {
            over.add(rs.getString(1));
          } else {
            waiting.add(rs.getString(1));
          }
        },
        Timestamp.from(since),
        connectorId,
        gone.toArray(String[]::new));
    if (!over.isEmpty()) {
      jdbc.update(
          "delete from connector_handover where connector_id = ? and source_key = any (?)",
          connectorId,
          over.toArray(String[]::new));
    }
    return waiting;
  }

  /** Stores the digests of rows now safely queued. */
  void remember(String connectorId, Map<String, String> digests) {
    jdbc.batchUpdate(
        """
        insert into connector_snapshot (connector_id, source_key, digest) values (?, ?, ?)
        on conflict (connector_id, source_key) do update set digest = excluded.digest""",
        digests.entrySet().stream()
            .map(e -> new Object[] {connectorId, e.getKey(), e.getValue()})
            .toList());
  }

  long startRun(String connectorId, String hub, Instant now) {
    return jdbc.queryForObject(
        "insert into connector_run (connector_id, started_at, hub) values (?, ?, ?) returning id",
        Long.class,
        connectorId,
        Timestamp.from(now),
        hub);
  }

  /**
   * Ends the runs of the connector still open: their hub stopped before it could end them. Called
   * by a run that holds the connector's run lock, so none of them is under way.
   */
  void endAbandonedRuns(String connectorId, Instant now) {
    jdbc.update(
        """
        update connector_run set ended_at = ?, failure_kind = 'TRANSIENT',
               failure = '运行它的服务实例中途停止 / the hub running it stopped before it ended'
         where connector_id = ? and ended_at is null""",
        Timestamp.from(now),
        connectorId);
  }

  /** What one run did. */
  record Counts(int read, int queued, int rejected, int withdrawn) {}

  void endRun(long runId, Counts counts, String failureKind, String failure, Instant now) {
    jdbc.update(
        """
        update connector_run set ended_at = ?, records_read = ?, records_queued = ?,
               records_rejected = ?, records_withdrawn = ?, failure_kind = ?, failure = ?
         where id = ?""",
        Timestamp.from(now),
        counts.read(),
        counts.queued(),
        counts.rejected(),
        counts.withdrawn(),
        failureKind,
        failure,
        runId);
  }

  /** One sync run as recorded. */
  public record Run(
      long id,
      String connectorId,
      Instant startedAt,
      Instant endedAt,
      int recordsRead,
      int recordsQueued,
      int recordsRejected,
      int recordsWithdrawn,
      String hub,
      String failureKind,
      String failure) {}

  /** Runs newest first, those before {@code before} (an id) when given. */
  public List<Run> runs(String connectorId, Long before, int limit) {
    return jdbc.query(
        "select * from connector_run where connector_id = ? and id < ? order by id desc limit ?",
        (rs, i) ->
            new Run(
                rs.getLong("id"),
                rs.getString("connector_id"),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("ended_at")),
                rs.getInt("records_read"),
                rs.getInt("records_queued"),
                rs.getInt("records_rejected"),
                rs.getInt("records_withdrawn"),
                rs.getString("hub"),
                rs.getString("failure_kind"),
                rs.getString("failure")),
        connectorId,
        before == null ? Long.MAX_VALUE : before,
        limit);
  }

  /** Records queued over all runs, rejected, and kept with warnings. */
  public long[] totals(String connectorId) {
    return jdbc.queryForObject(
        """
        select coalesce(sum(records_queued), 0),
               (select count(*) filter (where not kept) from connector_rejection
                 where connector_id = ?),
               (select count(*) filter (where kept) from connector_rejection
                 where connector_id = ?)
          from connector_run where connector_id = ?""",
        (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)},
        connectorId,
        connectorId,
        connectorId);
  }

  /** Whether a run of the connector has started and not ended (here or on another hub). */
  public boolean syncing(String connectorId) {
    Boolean open =
        jdbc.queryForObject(
            "select exists (select 1 from connector_run where connector_id = ? and ended_at is"
                + " null and started_at > now() - interval '1 hour')",
            Boolean.class,
            connectorId);
    return Boolean.TRUE.equals(open);
  }

  /** Stores a record the connector or the ingest could not use, with its reason. */
  public void reject(
      String connectorId, String sourceRecordId, String reason, String rawJson, Instant now) {
    store(connectorId, sourceRecordId, reason, false, rawJson, now);
  }

  /**
   * Stores that a record was kept without some of its values (a phone that is no number, an
   * impossible birthday), the ingest's warnings naming them: the sender hears of it as an import's
   * row report would tell it.
   */
  public void keptWithWarnings(
      String connectorId, String sourceRecordId, String warnings, String rawJson, Instant now) {
    store(connectorId, sourceRecordId, warnings, true, rawJson, now);
  }

  private void store(
      String connectorId,
      String sourceRecordId,
      String reason,
      boolean kept,
      String rawJson,
      Instant now) {
    jdbc.update(
        """
        insert into connector_rejection (connector_id, source_record_id, reason, kept, raw, at)
        values (?, ?, ?, ?, ?::jsonb, ?)""",
        connectorId,
        sourceRecordId,
        reason,
        kept,
        rawJson,
        Timestamp.from(now));
  }

  /** A stored rejection. */
  public record Rejection(
      long id,
      String connectorId,
      String sourceRecordId,
      String reason,
      boolean kept,
      String raw,
      Instant at) {}

  public List<Rejection> rejections(String connectorId, Long before, int limit) {
    return jdbc.query(
        "select * from connector_rejection where connector_id = ? and id < ?"
            + " order by id desc limit ?",
        (rs, i) ->
            new Rejection(
                rs.getLong("id"),
                rs.getString("connector_id"),
                rs.getString("source_record_id"),
                rs.getString("reason"),
                rs.getBoolean("kept"),
                rs.getString("raw"),
                instant(rs.getTimestamp("at"))),
        connectorId,
        before == null ? Long.MAX_VALUE : before,
        limit);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
