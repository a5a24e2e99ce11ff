package com.onemember.hub.imports;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import java.util.UUID;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts import rows on {@code onemember.inbound} in transacted batches: a durable message sent on
 * its own waits for the broker's disk each time (about 10 ms here, which capped an upload at ~100
 * rows/s), a batch of 500 waits once.
 */
@Component
class InboundQueue {

  static final String QUEUE = "onemember.inbound";
  private static final int BATCH = 500;

  /** One row's source record, as queued. */
  record Row(UUID importId, int rowNo, String json) {}

  private final JmsTemplate jms;

  InboundQueue(ConnectionFactory connectionFactory) {
    this.jms = new JmsTemplate(connectionFactory);
    this.jms.setSessionTransacted(true);
  }

  /**
   * Sends {@code rows} in order; returns how many were sent (and committed) before a failure, so
   * the caller knows which rows never reached the queue.
   */
  int send(List<Row> rows) {
    int sent = 0;
    while (sent < rows.size()) {
      List<Row> batch = rows.subList(sent, Math.min(rows.size(), sent + BATCH));
      try {
        jms.execute(
            (Session session) -> {
              try (MessageProducer producer = session.createProducer(session.createQueue(QUEUE))) {
                for (Row r : batch) {
                  var message = session.createTextMessage(r.json());
                  message.setStringProperty(InboundHeaders.IMPORT_ID, r.importId().toString());
                  message.setIntProperty(InboundHeaders.IMPORT_ROW, r.rowNo());
                  producer.send(message);
                }
              }
              session.commit();
              return null;
            },
            true);
      } catch (RuntimeException e) {
        throw new PartlySent(sent, e);
      }
      sent += batch.size();
    }
    return sent;
  }

  /** The queue failed after {@code sent} rows were committed to it. */
  static final class PartlySent extends RuntimeException {
    final int sent;

    PartlySent(int sent, RuntimeException cause) {
      super(cause.getMessage(), cause);
      this.sent = sent;
    }
  }
}
