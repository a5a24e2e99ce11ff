package com.onemember.hub.outbound;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Events a webhook did not accept after every attempt, kept in PostgreSQL until an operator replays
 * them, and afterwards with when they were replayed.
 */
@Component
public class DeadLetters {

  private final JdbcTemplate jdbc;
  private final Clock clock;

  DeadLetters(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** One stored dead letter. */
  public record DeadLetter(
      long id,
      String consumer,
      UUID eventId,
      UUID memberId,
      Long position,
      String payload,
      int attempts,
      String lastError,
      Instant failedAt,
      Instant replayedAt) {}

  /** Stores (or, for an event that failed before, updates) the dead letter of one event. */
  public void store(
      String consumer,
      UUID eventId,
      UUID memberId,
      Long position,
      String payload,
      int attempts,
      String lastError) {
    jdbc.update(
        """
        insert into dead_letter (consumer, event_id, member_id, position, payload, attempts,
                                 last_error, failed_at)
        values (?, ?, ?, ?, ?::jsonb, ?, ?, ?)
        on conflict (consumer, event_id) do update
           set attempts = dead_letter.attempts + excluded.attempts,
               last_error = excluded.last_error, failed_at = excluded.failed_at,
               replayed_at = null""",
        consumer,
        eventId,
        memberId,
        position,
        payload,
        attempts,
        lastError,
        Timestamp.from(clock.instant()));
  }

  /** Dead letters, oldest first; {@code pending} null for all, true for not yet replayed. */
  public List<DeadLetter> list(String consumer, Boolean pending, int limit) {
    return jdbc.query(
        "select * from dead_letter where (?::text is null or consumer = ?)"
            + " and (?::boolean is null or (replayed_at is null) = ?) order by id limit ?",
        (rs, i) -> read(rs),
        consumer,
        consumer,
        pending,
        pending,
        limit);
  }

  /** A consumer's pending letters after letter {@code afterId}, oldest first. */
  List<DeadLetter> pendingAfter(String consumer, long afterId, int limit) {
    return jdbc.query(
        "select * from dead_letter where consumer = ? and replayed_at is null and id > ?"
            + " order by id limit ?",
        (rs, i) -> read(rs),
        consumer,
        afterId,
        limit);
  }

  /** How many letters of the consumer are pending. */
  long countPending(String consumer) {
    Long n =
        jdbc.queryForObject(
            "select count(*) from dead_letter where consumer = ? and replayed_at is null",
            Long.class,
            consumer);
    return n == null ? 0 : n;
  }

  /** A consumer's dead letters waiting for a replay: how many, and when the newest gave up. */
  public record Waiting(long count, java.time.Instant lastFailedAt) {}

  /** The waiting dead letters of every consumer that has any, by consumer. */
  public java.util.Map<String, Waiting> waitingByConsumer() {
    java.util.Map<String, Waiting> out = new java.util.HashMap<>();
    jdbc.query(
        "select consumer, count(*), max(failed_at) from dead_letter"
            + " where replayed_at is null group by consumer",
        rs -> {
          out.put(rs.getString(1), new Waiting(rs.getLong(2), rs.getTimestamp(3).toInstant()));
        });
    return out;
  }

  public Optional<DeadLetter> find(long id) {
    return jdbc.query("select * from dead_letter where id = ?", (rs, i) -> read(rs), id).stream()
        .findFirst();
  }

  /** Marks a dead letter delivered. */
  void replayed(long id) {
    jdbc.update(
        "update dead_letter set replayed_at = ? where id = ?", Timestamp.from(clock.instant()), id);
  }

  /** Counts one more failed attempt. */
  void failedAgain(long id, String error) {
    jdbc.update(
        "update dead_letter set attempts = attempts + 1, last_error = ?, failed_at = ? where id = ?",
        error,
        Timestamp.from(clock.instant()),
        id);
  }

  private static DeadLetter read(java.sql.ResultSet rs) throws java.sql.SQLException {
    Timestamp replayed = rs.getTimestamp("replayed_at");
    long position = rs.getLong("position");
    return new DeadLetter(
        rs.getLong("id"),
        rs.getString("consumer"),
        rs.getObject("event_id", UUID.class),
        rs.getObject("member_id", UUID.class),
        rs.wasNull() ? null : position,
        rs.getString("payload"),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        rs.getTimestamp("failed_at").toInstant(),
        replayed == null ? null : replayed.toInstant());
  }
}
