package com.onemember.hub.imports;

import com.onemember.hub.camel.TransactedSends;
import com.onemember.hub.camel.TransactedSends.PartlySent;
import com.onemember.mdm.trace.Correlation;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Puts what arrives for ingest on {@code onemember.inbound}: an import's rows as chunks, a
 * connector's records one message each, in transacted batches ({@link TransactedSends}); a chunk of
 * rows is one message to take, so the consumer's commit is shared by the chunk's rows too.
 */
@Component
public class InboundQueue {

  static final String QUEUE = "onemember.inbound";

  private final TransactedSends sends;

  InboundQueue(TransactedSends sends) {
    this.sends = sends;
  }

  /** A run of an import's rows, sent as one message; see {@link ImportRowIngest#handleChunk}. */
  record Chunk(UUID importId, int fromRow, int toRow) {}

  /**
   * Sends {@code chunks} in order, 500 per JMS transaction; returns how many were sent (and
   * committed) before a failure. An import's chunks share a message group, so that one consumer
   * takes them in file order: a bulk chunk decides its rows on everything the chunks before it
   * wrote, as the rows of the file were meant to be read.
   */
  int sendChunks(List<Chunk> chunks) {
    return sends.send(
        TransactedSends.queue(QUEUE),
        chunks,
        (session, c) -> {
          var message =
              session.createTextMessage(
                  "import " + c.importId() + " rows " + c.fromRow() + "-" + c.toRow());
          message.setStringProperty(InboundHeaders.IMPORT_ID, c.importId().toString());
          message.setIntProperty(InboundHeaders.IMPORT_FROM_ROW, c.fromRow());
          message.setIntProperty(InboundHeaders.IMPORT_TO_ROW, c.toRow());
          message.setStringProperty("JMSXGroupID", "import:" + c.importId());
          message.setStringProperty(InboundHeaders.CORRELATION, Correlation.ofImport(c.importId()));
          return message;
        });
  }

  /**
   * What a connector sends about one of its records: the record (as JSON), or, with {@code
   * recordJson} null, that its system deleted it.
   */
  public record RecordChange(String key, String recordJson, String erasure) {

    public RecordChange(String key, String recordJson) {
      this(key, recordJson, null);
    }

    public static RecordChange deleted(String key) {
      return new RecordChange(key, null, null);
    }

    /** The system asks the hub to erase the record; {@code request} says which request. */
    public static RecordChange erased(String key, String request) {
      return new RecordChange(key, null, request);
    }
  }

  /**
   * Sends a connector's record changes in order, 500 per JMS transaction: when this returns, the
   * broker holds all of them on disk and the connector may move its position past them. The changes
   * of one record share a message group (a bucket of its key), so that the ingest's consumers take
   * them in the order they were sent: an update never overtakes its create, a deletion never its
   * record.
   *
   * @throws PartlySent when the queue failed part-way
   */
  public void sendRecords(String connectorId, List<RecordChange> changes) {
    String correlation = Correlation.current();
    sends.send(
        TransactedSends.queue(QUEUE),
        changes,
        (session, change) -> {
          var message =
              session.createTextMessage(
                  change.recordJson() != null
                      ? change.recordJson()
                      : (change.erasure() != null ? "erase " : "withdraw ") + change.key());
          message.setStringProperty(InboundHeaders.CONNECTOR, connectorId);
          if (correlation != null) {
            message.setStringProperty(InboundHeaders.CORRELATION, correlation);
          }
          if (change.erasure() != null) {
            message.setStringProperty(InboundHeaders.ERASE, change.key());
            message.setStringProperty(InboundHeaders.ERASE_REQUEST, change.erasure());
          } else if (change.recordJson() == null) {
            message.setStringProperty(InboundHeaders.WITHDRAW, change.key());
          }
          // buckets, not one group per record: the broker keeps a map entry per group
          message.setStringProperty(
              "JMSXGroupID",
              "record:" + connectorId + ":" + Math.floorMod(change.key().hashCode(), 1024));
          return message;
        });
  }
}
