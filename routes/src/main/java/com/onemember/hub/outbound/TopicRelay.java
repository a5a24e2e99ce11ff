package com.onemember.hub.outbound;

import com.onemember.hub.camel.TransactedSends;
import com.onemember.mdm.outbox.GoldenEvents;
import com.onemember.mdm.trace.Correlation;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes positioned golden events to the multicast address {@code onemember.golden.changed}, in
 * position order, and remembers how far it got. At least once: after a crash or a broker outage
 * between sending and remembering, events are sent again with the same event id, which Artemis's
 * duplicate detection ({@code _AMQ_DUPL_ID}) and the consumers' idempotency both absorb. One relay
 * at a time across hubs (an advisory lock), so the order holds.
 *
 * <p>A batch goes in one broker transaction ({@link TransactedSends}), so it waits once for the
 * broker's disk rather than once per event (about 10 ms each here, which held the relay to some
 * hundred events a second and put that wait into every change's way to its consumers). Artemis
 * rolls back a whole transaction that holds one duplicate id: a batch sent again after a crash
 * between the broker's commit and the position's is refused as a whole. Then the batch goes again
 * one send per event, where the broker drops a duplicate without a word and takes the rest, so the
 * relay never stalls on its own earlier sends.
 */
@Component
public class TopicRelay {

  /** The Artemis multicast address consumers subscribe to. */
  public static final String ADDRESS = "onemember.golden.changed";

  static final String RELAY = "topic";
  private static final long RELAY_LOCK = 0x6f6e656d72656c79L; // "onemrely"
  static final int BATCH = 500;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TopicRelay.class);

  private final GoldenEvents events;
  private final JdbcTemplate jdbc;
  private final JmsTemplate topic;
  private final TransactionTemplate transaction;
  private final TransactedSends sends;

  TopicRelay(
      GoldenEvents events,
      JdbcTemplate jdbc,
      JmsTemplate jms,
      TransactedSends sends,
      PlatformTransactionManager transactions) {
    this.events = events;
    this.sends = sends;
    this.jdbc = jdbc;
    this.topic = new JmsTemplate(jms.getConnectionFactory());
    this.topic.setPubSubDomain(true);
    this.topic.setDeliveryPersistent(true);
    this.topic.setExplicitQosEnabled(true);
    this.transaction = new TransactionTemplate(transactions);
  }

  /** The property naming the work an event came from ({@link Correlation}). */
  public static final String CORRELATION = "correlationId";

  /** The property of each message listing its event's sources: {@code ,pos-1,shop-2,}. */
  public static final String SOURCES = "sources";

  /** The distinct sources of an event's records between commas, for a selector's LIKE. */
  static String sources(String json) {
    java.util.Set<String> sources = new java.util.TreeSet<>();
    try {
      for (com.fasterxml.jackson.databind.JsonNode r :
          com.onemember.mdm.store.RecordJson.mapper().readTree(json).path("sourceRecords")) {
        String source = r.path("source").asText("");
        if (!source.isEmpty()) {
          sources.add(source);
        }
      }
    } catch (java.io.IOException e) {
      return ",";
    }
    return "," + String.join(",", sources) + ",";
  }

  /** The message of one event, with what consumers select and group on. */
  private static Message message(Session session, GoldenEvents.Published e) throws JMSException {
    var message = session.createTextMessage(e.json());
    message.setStringProperty("eventId", e.eventId().toString());
    message.setStringProperty("memberId", e.memberId().toString());
    message.setLongProperty("position", e.position());
    if (e.originSource() != null) {
      message.setStringProperty("originSource", e.originSource());
    }
    // the sources whose records the event names, so that a connector's writeback subscribes to
    // only the events it has something to write for
    message.setStringProperty(SOURCES, sources(e.json()));
    // one member's events in order even with competing consumers
    message.setStringProperty("JMSXGroupID", e.memberId().toString());
    message.setStringProperty("_AMQ_DUPL_ID", e.eventId().toString());
    if (e.correlationId() != null) {
      message.setStringProperty(CORRELATION, e.correlationId());
    }
    return message;
  }

  /**
   * One line per batch published, under the correlation ids of the work its events came from: the
   * last step of an upload's or a connector run's trail in the log.
   */
  private static void logPublished(List<GoldenEvents.Published> batch) {
    String work =
        Correlation.joined(batch.stream().map(GoldenEvents.Published::correlationId).toList());
    try (Correlation.Scope scope = Correlation.open(work)) {
      log.info(
          "Published {} golden events, positions {} to {}",
          batch.size(),
          batch.get(0).position(),
          batch.get(batch.size() - 1).position());
    }
  }

  /** Positions what committed and publishes it; returns how many events it published. */
  public int relay() {
    events.position();
    Integer sent =
        transaction.execute(
            status -> {
              Boolean mine =
                  jdbc.queryForObject(
                      "select pg_try_advisory_xact_lock(?)", Boolean.class, RELAY_LOCK);
              if (!Boolean.TRUE.equals(mine)) {
                return 0; // another hub relays
              }
              jdbc.update(
                  "insert into outbox_relay (name, position) values (?, 0) on conflict do nothing",
                  RELAY);
              long from =
                  jdbc.queryForObject(
                      "select position from outbox_relay where name = ?", Long.class, RELAY);
              List<GoldenEvents.Published> batch = events.after(from, BATCH);
              try {
                sends.send(TransactedSends.topic(ADDRESS), batch, TopicRelay::message);
              } catch (TransactedSends.PartlySent refused) {
                // sent before (a crash between the broker's commit and ours), or the broker
                // failed: one send each, past the duplicates; a broker still down fails the round
                for (GoldenEvents.Published e : batch.subList(refused.sent(), batch.size())) {
                  topic.send(ADDRESS, session -> message(session, e));
                }
              }
              // a failure part way leaves the position where it was: the batch goes again
              if (!batch.isEmpty()) {
                logPublished(batch);
                jdbc.update(
                    "update outbox_relay set position = ? where name = ?",
                    batch.get(batch.size() - 1).position(),
                    RELAY);
              }
              return batch.size();
            });
    return sent == null ? 0 : sent;
  }
}
