package com.onemember.hub.outbound;

import com.onemember.mdm.outbox.GoldenEvents;
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
 * <p>Each event is its own send, not one JMS transaction per batch ({@link
 * com.onemember.hub.camel.TransactedSends}): Artemis rolls back a whole transaction that holds one
 * duplicate id, so a batch sent again after a crash between the broker's commit and the position's
 * would be refused on every tick and the relay would stall for good.
 */
@Component
public class TopicRelay {

  /** The Artemis multicast address consumers subscribe to. */
  public static final String ADDRESS = "onemember.golden.changed";

  static final String RELAY = "topic";
  private static final long RELAY_LOCK = 0x6f6e656d72656c79L; // "onemrely"
  static final int BATCH = 500;

  private final GoldenEvents events;
  private final JdbcTemplate jdbc;
  private final JmsTemplate topic;
  private final TransactionTemplate transaction;

  TopicRelay(
      GoldenEvents events,
      JdbcTemplate jdbc,
      JmsTemplate jms,
      PlatformTransactionManager transactions) {
    this.events = events;
    this.jdbc = jdbc;
    this.topic = new JmsTemplate(jms.getConnectionFactory());
    this.topic.setPubSubDomain(true);
    this.topic.setDeliveryPersistent(true);
    this.topic.setExplicitQosEnabled(true);
    this.transaction = new TransactionTemplate(transactions);
  }

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
              for (GoldenEvents.Published e : batch) {
                topic.send(
                    ADDRESS,
                    session -> {
                      var message = session.createTextMessage(e.json());
                      message.setStringProperty("eventId", e.eventId().toString());
                      message.setStringProperty("memberId", e.memberId().toString());
                      message.setLongProperty("position", e.position());
                      if (e.originSource() != null) {
                        message.setStringProperty("originSource", e.originSource());
                      }
                      // the sources whose records the event names, so that a connector's
                      // writeback subscribes to only the events it has something to write for
                      message.setStringProperty(SOURCES, sources(e.json()));
                      // one member's events in order even with competing consumers
                      message.setStringProperty("JMSXGroupID", e.memberId().toString());
                      message.setStringProperty("_AMQ_DUPL_ID", e.eventId().toString());
                      return message;
                    });
              }
              // a failure part way leaves the position where it was: the batch goes again
              if (!batch.isEmpty()) {
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
