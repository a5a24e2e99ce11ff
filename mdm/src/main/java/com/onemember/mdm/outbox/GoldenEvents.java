package com.onemember.mdm.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SetWise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes golden events in the changing transaction, positions them after commit, and reads them
 * back by position. Events are written once: their positions are kept beside them ({@code
 * golden_event_position}), not set by updating them (V38).
 */
@Component
public class GoldenEvents {

  private static final long POSITION_LOCK = 0x6f6e656d66656564L; // "onemfeed"

  private final JdbcTemplate jdbc;
  private final TransactionTemplate newTransaction;

  public GoldenEvents(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.newTransaction = new TransactionTemplate(transactions);
    this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.newTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  /** A source system's record, as consumers know it. */
  public record SourceRecordRef(String source, String sourceRecordId) {}

  /**
   * Records one change of {@code member} (its current version and golden record) in the current
   * transaction.
   *
   * @param originSource the source system whose record caused the change; {@code null} for a
   *     steward's or operator's action
   * @param survivorId for {@link GoldenChange#MERGED}, the member it was merged into
   * @param sourceRecords the member's source records after the change
   */
  public UUID record(
      MemberEntity member,
      GoldenChange type,
      String cause,
      String originSource,
      UUID survivorId,
      List<SourceRecordRef> sourceRecords,
      Instant now) {
    NewEvent event =
        new NewEvent(
            member.getId(),
            member.getVersion(),
            member.getGolden(),
            type,
            cause,
            originSource,
            survivorId,
            sourceRecords,
            now);
    recordAll(List.of(event));
    return event.eventId();
  }

  /**
   * One change of a member to record, as {@link #record} takes it, for {@link #recordAll}.
   *
   * @param golden the member's golden record at {@code version} (JSON)
   */
  public record NewEvent(
      UUID eventId,
      UUID memberId,
      long version,
      String golden,
      GoldenChange type,
      String cause,
      String originSource,
      UUID survivorId,
      List<SourceRecordRef> sourceRecords,
      Instant at) {

    public NewEvent(
        UUID memberId,
        long version,
        String golden,
        GoldenChange type,
        String cause,
        String originSource,
        UUID survivorId,
        List<SourceRecordRef> sourceRecords,
        Instant now) {
      this(
          UUID.randomUUID(),
          memberId,
          version,
          golden,
          type,
          cause,
          originSource,
          survivorId,
          List.copyOf(sourceRecords),
          now.truncatedTo(ChronoUnit.MICROS));
    }

    /** The event as stored: without the golden record when that is its member's version. */
    String payload() {
      ObjectNode payload = RecordJson.mapper().createObjectNode();
      payload.put("eventId", eventId.toString());
      payload.put("type", type.name());
      payload.put("memberId", memberId.toString());
      payload.put("version", version);
      if (survivorId != null) {
        payload.put("survivorId", survivorId.toString());
      }
      if (originSource != null) {
        payload.put("originSource", originSource);
      }
      payload.put("cause", cause);
      payload.put("occurredAt", at.toString());
      if (!type.storedAsVersion()) {
        payload.set("member", read(golden));
      }
      ArrayNode refs = payload.putArray("sourceRecords");
      for (SourceRecordRef r : sourceRecords) {
        refs.addObject().put("source", r.source()).put("sourceRecordId", r.sourceRecordId());
      }
      return payload.toString();
    }
  }

  /**
   * Records {@code events} in the current transaction, in one statement, in list order (their
   * sequence follows it, and positions follow sequence).
   */
  public void recordAll(List<NewEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    int n = events.size();
    UUID[] ids = new UUID[n];
    String[] types = new String[n];
    UUID[] members = new UUID[n];
    Long[] versions = new Long[n];
    String[] origins = new String[n];
    Timestamp[] times = new Timestamp[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      NewEvent e = events.get(i);
      ids[i] = e.eventId();
      types[i] = e.type().name();
      members[i] = e.memberId();
      versions[i] = e.version();
      origins[i] = e.originSource();
      times[i] = Timestamp.from(e.at());
      payloads[i] = e.payload();
    }
    SetWise.update(
        jdbc,
        "insert into golden_event (event_id, type, member_id, version, origin_source,"
            + " occurred_at, payload, correlation_id)"
            + " select e, t, m, v, o, a, p, ?"
            + " from unnest(?::uuid[], ?::text[], ?::uuid[], ?::bigint[], ?::text[],"
            + " ?::timestamptz[], "
            + SetWise.JSONB_ARRAY
            + ") with ordinality as u(e, t, m, v, o, a, p, n)"
            + " order by n",
        // the select list's ? comes first: the work the events came from, for all of them
        com.onemember.mdm.trace.Correlation.current(),
        SetWise.array("uuid", ids),
        SetWise.array("text", types),
        SetWise.array("uuid", members),
        SetWise.array("bigint", versions),
        SetWise.array("text", origins),
        SetWise.array("timestamptz", times),
        SetWise.jsonDocuments(java.util.Arrays.asList(payloads)));
  }

  /**
   * Gives every committed, unpositioned event the next position, oldest first, in a transaction of
   * its own, one positioner at a time (an advisory lock, across hubs): so positions become visible
   * in increasing order and a reader never skips one. Returns how many it positioned.
   */
  public int position() {
    Integer positioned =
        newTransaction.execute(
            status -> {
              jdbc.queryForObject(
                  "select pg_advisory_xact_lock(?)::text", String.class, POSITION_LOCK);
              // insert-only (V38): the event rows are not touched; the queue row is deleted
              return jdbc.update(
                  """
                  with next as (
                    select seq, row_number() over (order by seq) as n
                      from (select seq from golden_event_unpositioned
                             order by seq limit 10000) u),
                  head as (select coalesce(max(position), 0) as pos from golden_event_position),
                  placed as (
                    insert into golden_event_position (position, seq)
                    select head.pos + next.n, next.seq from next, head
                    returning seq)
                  delete from golden_event_unpositioned q using placed where q.seq = placed.seq""");
            });
    return positioned == null ? 0 : positioned;
  }

  /**
   * An event as published: its JSON with its feed position, and the work it came from ({@link
   * com.onemember.mdm.trace.Correlation}; null when none was recorded).
   */
  public record Published(
      long position,
      UUID eventId,
      UUID memberId,
      String originSource,
      String json,
      String correlationId) {}

  /**
   * Positioned events after {@code position}, in order, at most {@code limit}. An event whose
   * golden record is its member's version (see {@link GoldenChange#storedAsVersion}) gets it from
   * {@code member_version}, where it is kept once, merged into its payload as jsonb so that the
   * JSON reads exactly as when the payload held a copy (jsonb orders the keys itself); an erased
   * member's events say so instead, as their stored payload does.
   */
  public List<Published> after(long position, int limit) {
    return jdbc.query(
        "select p.position, e.event_id, e.member_id, e.origin_source, e.correlation_id,"
            + " (case when e.payload -> 'member' is not null or e.payload -> 'erased' is not null"
            + " or v.golden is null then e.payload"
            + " else e.payload || jsonb_build_object('member', v.golden) end)::text"
            + " from golden_event_position p"
            + " join golden_event e on e.seq = p.seq"
            + " left join member_version v on v.member_id = e.member_id and v.version = e.version"
            + " where p.position > ? order by p.position limit ?",
        (rs, i) -> {
          ObjectNode json = (ObjectNode) read(rs.getString(6));
          json.put("position", rs.getLong(1));
          return new Published(
              rs.getLong(1),
              rs.getObject(2, UUID.class),
              rs.getObject(3, UUID.class),
              rs.getString(4),
              json.toString(),
              rs.getString(5));
        },
        position,
        limit);
  }

  private static JsonNode read(String json) {
    try {
      return RecordJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
