package com.onemember.hub.metrics;

import com.onemember.mdm.ingest.IngestOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * What this hub instance did, counted as it happens (after the transaction committed, so a retried
 * chunk counts once): records taken in per source, refused, the decision each got; how long a
 * record waited from the queue to its commit; deliveries to each consuming system. Counters are per
 * instance: across hubs, sum them ({@code sum by (source) (rate(...))}).
 */
@Component
public class HubMeters {

  /** Where a record came in by: an import's row, or a connector (a poll or a push). */
  public enum Channel {
    IMPORT,
    CONNECTOR;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a delivery to a consuming system ended. */
  public enum Delivery {
    /** The system took the event. */
    DELIVERED,
    /** The attempt failed; it is tried again after a back-off. */
    FAILED,
    /** Every attempt failed; the event waits as a dead letter for a replay. */
    DEAD_LETTER;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Timer latency;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  HubMeters(MeterRegistry registry) {
    this.registry = registry;
    this.latency =
        Timer.builder("onemember.ingest.latency")
            .description("From a record's message on onemember.inbound to its commit")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(30))
            .register(registry);
  }

  /** One record settled, from {@code source} by {@code channel}. */
  public void ingested(Channel channel, String source, IngestOutcome.Kind kind) {
    Tags from = Tags.of("channel", channel.tag(), "source", source);
    counter("onemember.records.in", "Source records taken in", from).increment();
    if (kind == IngestOutcome.Kind.REJECTED) {
      counter(
              "onemember.records.rejected",
              "Source records refused, with the reason kept for IT staff",
              from)
          .increment();
      return;
    }
    String decision =
        switch (kind) {
          case CREATED -> "new";
          case MERGED -> "merge";
          case UPDATED -> "update";
          default -> "unchanged";
        };
    counter(
            "onemember.decisions",
            "What matching decided for a record (pairs for review: onemember_reviews_opened)",
            Tags.of("kind", decision))
        .increment();
  }

  /** The time from a message's arrival on the queue to the commit of what it carried. */
  public void ingestLatency(Duration waited) {
    latency.record(waited.isNegative() ? Duration.ZERO : waited);
  }

  /** One delivery attempt to consuming system {@code consumer} (a webhook or a writeback). */
  public void delivery(String consumer, Delivery outcome) {
    counter(
            "onemember.deliveries",
            "Deliveries of golden-record events to a consuming system: taken, failed attempts,"
                + " dead letters",
            Tags.of("consumer", consumer, "outcome", outcome.tag()))
        .increment();
  }

  private Counter counter(String name, String description, Tags tags) {
    return counters.computeIfAbsent(
        name + tags,
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
