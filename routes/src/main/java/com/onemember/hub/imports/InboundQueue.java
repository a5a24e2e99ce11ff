package com.onemember.hub.imports;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import java.util.UUID;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts import rows on {@code onemember.inbound} as chunks, in transacted batches: a durable message
 * sent on its own waits for the broker's disk each time (about 10 ms here, which capped an upload
 * at ~100 rows/s), a batch of 500 waits once; and a chunk of rows is one message to take, so the
 * consumer's commit is shared by the chunk's rows too.
 */
@Component
class InboundQueue {

  static final String QUEUE = "onemember.inbound";
  private static final int BATCH = 500;

  private final JmsTemplate jms;

  InboundQueue(ConnectionFactory connectionFactory) {
    this.jms = new JmsTemplate(connectionFactory);
    this.jms.setSessionTransacted(true);
  }

  /** A run of an import's rows, sent as one message; see {@link ImportRowIngest#handleChunk}. */
  record Chunk(UUID importId, int fromRow, int toRow) {}

  /**
   * Sends {@code chunks} in order, 500 per JMS transaction; returns how many were sent (and
   * committed) before a failure.
   */
  int sendChunks(List<Chunk> chunks) {
    int sent = 0;
    while (sent < chunks.size()) {
      List<Chunk> batch = chunks.subList(sent, Math.min(chunks.size(), sent + BATCH));
      try {
        jms.execute(
            (Session session) -> {
              try (MessageProducer producer = session.createProducer(session.createQueue(QUEUE))) {
                for (Chunk c : batch) {
                  var message =
                      session.createTextMessage(
                          "import " + c.importId() + " rows " + c.fromRow() + "-" + c.toRow());
                  message.setStringProperty(InboundHeaders.IMPORT_ID, c.importId().toString());
                  message.setIntProperty(InboundHeaders.IMPORT_FROM_ROW, c.fromRow());
                  message.setIntProperty(InboundHeaders.IMPORT_TO_ROW, c.toRow());
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
