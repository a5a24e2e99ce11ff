package com.onemember.hub.metrics;

import com.onemember.hub.outbound.ConsumingSystems;
import com.onemember.hub.outbound.DeadLetters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The work waiting in the database, as gauges: open reviews, the age of the oldest golden event the
 * relay has not published (outbox lag), the age of the oldest merge-log entry not sealed yet (seal
 * lag), and the dead letters waiting per consuming system. {@link #refresh} reads them all in one
 * round; {@link MetricsRoute} calls it every few seconds, so that a scrape costs the database
 * nothing and every hub behind one PostgreSQL reports the same figures.
 */
@Component
public class BacklogGauges implements MeterBinder {

  /** The figures of one round. Ages are seconds, 0 when nothing waits. */
  record Backlog(
      long openReviews,
      long reviewsOpened,
      double outboxLagSeconds,
      double sealLagSeconds,
      Map<String, Long> deadLetters,
      Instant readAt) {}

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final ConsumingSystems consumers;
  private final DeadLetters deadLetterStore;
  private final AtomicReference<Backlog> last = new AtomicReference<>();
  private MultiGauge deadLetters;

  /**
   * Every consumer configured or seen with dead letters: each reports its count, 0 included, so
   * that the series exists before the first letter and after the last replay.
   */
  private final java.util.Set<String> knownConsumers =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  BacklogGauges(
      JdbcTemplate jdbc, Clock clock, ConsumingSystems consumers, DeadLetters deadLetterStore) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.consumers = consumers;
    this.deadLetterStore = deadLetterStore;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("onemember.review.backlog", this, g -> g.now().openReviews())
        .description("Pairs waiting for a data steward")
        .register(registry);
    FunctionCounter.builder("onemember.reviews.opened", this, g -> g.now().reviewsOpened())
        .description(
            "Pairs matching sent to a data steward (the review decisions), across all hubs: the"
                + " database's count")
        .register(registry);
    Gauge.builder("onemember.outbox.lag", this, g -> g.now().outboxLagSeconds())
        .description("Age of the oldest golden event not yet published to the broker")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("onemember.merge.log.seal.lag", this, g -> g.now().sealLagSeconds())
        .description("Age of the oldest merge-log entry not yet sealed into the hash chain")
        .baseUnit("seconds")
        .register(registry);
    deadLetters =
        MultiGauge.builder("onemember.dead.letters")
            .description("Deliveries to a consuming system that gave up and wait for a replay")
            .register(registry);
  }

  /** The last round's figures, reading them first if no round ran yet. */
  Backlog now() {
    Backlog b = last.get();
    return b != null ? b : refresh();
  }

  /** Reads the figures anew and publishes them to the gauges. */
  public Backlog refresh() {
    Instant now = clock.instant();
    Long reviews =
        jdbc.queryForObject("select count(*) from match_review where status = 'OPEN'", Long.class);
    // the id sequence only grows: pairs ever opened, also those an import's rollback took away
    Long opened =
        jdbc.queryForObject(
            "select coalesce(pg_sequence_last_value('match_review_id_seq'), 0)", Long.class);
    // unpublished: not positioned yet, or positioned after where the relay has got to
    Double outbox =
        jdbc.queryForObject(
            """
            select extract(epoch from (? - min(e.occurred_at))) from golden_event e
             where e.seq in (select seq from golden_event_unpositioned)
                or e.seq in (select p.seq from golden_event_position p
                              where p.position > coalesce(
                                    (select position from outbox_relay where name = 'topic'), 0))""",
            Double.class,
            java.sql.Timestamp.from(now));
    Double seal =
        jdbc.queryForObject(
            """
            select extract(epoch from (? - min(m.at)))
              from merge_log_unsealed q join merge_log m on m.seq = q.seq""",
            Double.class,
            java.sql.Timestamp.from(now));
    Map<String, Long> letters = new java.util.TreeMap<>();
    deadLetterStore.waitingByConsumer().forEach((consumer, w) -> letters.put(consumer, w.count()));
    Backlog b =
        new Backlog(
            reviews == null ? 0 : reviews,
            opened == null ? 0 : opened,
            outbox == null ? 0 : Math.max(0, outbox),
            seal == null ? 0 : Math.max(0, seal),
            Map.copyOf(letters),
            now);
    last.set(b);
    if (deadLetters != null) {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      knownConsumers.addAll(consumers.names());
      knownConsumers.addAll(letters.keySet());
      for (String consumer : knownConsumers) {
        rows.add(
            MultiGauge.Row.of(Tags.of("consumer", consumer), letters.getOrDefault(consumer, 0L)));
      }
      deadLetters.register(rows, true);
    }
    return b;
  }

  /** How often {@link MetricsRoute} reads the figures. */
  static final Duration PERIOD = Duration.ofSeconds(10);
}
