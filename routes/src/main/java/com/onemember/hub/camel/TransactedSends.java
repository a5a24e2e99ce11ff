package com.onemember.hub.camel;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Sends many durable messages with one wait for the broker's disk: up to {@link #BATCH} in one
 * local JMS transaction. A durable message sent on its own waits for the disk each time (about 10
 * ms here, which capped an upload at ~100 rows/s and the outbox relay at ~100 events/s); a batch of
 * 500 waits once. Camel's jms producer sends one exchange per message, each in its own transaction,
 * which is why the hub's bulk senders (the ingest queue, the outbox relay) come here and single
 * sends (a push from {@code /hooks}) go through Camel.
 */
@Component
public class TransactedSends {

  /** Messages per JMS transaction. */
  public static final int BATCH = 500;

  private final ConnectionFactory connectionFactory;

  TransactedSends(ConnectionFactory connectionFactory) {
    this.connectionFactory = connectionFactory;
  }

  /** Names the destination in a session: a queue or a topic. */
  @FunctionalInterface
  public interface DestinationOf {
    Destination in(Session session) throws JMSException;
  }

  /** Makes one message of one item. */
  @FunctionalInterface
  public interface MessageOf<T> {
    Message create(Session session, T item) throws JMSException;
  }

  /**
   * Sends {@code items} in order, {@link #BATCH} per transaction, to the destination {@code
   * destination} names in a session (a queue or a topic).
   *
   * @throws PartlySent when the broker failed part-way, saying how many were committed before
   */
  public <T> int send(DestinationOf destination, List<T> items, MessageOf<T> messageOf) {
    int sent = 0;
    while (sent < items.size()) {
      List<T> batch = items.subList(sent, Math.min(items.size(), sent + BATCH));
      // a session of its own, never the one a surrounding database transaction binds for
      // JmsTemplate: a batch the broker refuses must fail here, not poison the caller's later
      // sends and fail again after the caller's commit
      try (Connection connection = connectionFactory.createConnection();
          Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
          MessageProducer producer = session.createProducer(destination.in(session))) {
        for (T item : batch) {
          producer.send(messageOf.create(session, item));
        }
        session.commit();
      } catch (JMSException | RuntimeException e) {
        throw new PartlySent(sent, e);
      }
      sent += batch.size();
    }
    return sent;
  }

  /** The broker failed after {@code sent} messages were committed to it. */
  public static final class PartlySent extends RuntimeException {
    private final int sent;

    PartlySent(int sent, Exception cause) {
      super(cause.getMessage(), cause);
      this.sent = sent;
    }

    /** Messages committed before the failure, the first of the list. */
    public int sent() {
      return sent;
    }
  }

  /** A queue by name, for {@link #send}. */
  public static DestinationOf queue(String name) {
    return session -> session.createQueue(name);
  }

  /** A topic (an Artemis multicast address) by name, for {@link #send}. */
  public static DestinationOf topic(String name) {
    return session -> session.createTopic(name);
  }
}
