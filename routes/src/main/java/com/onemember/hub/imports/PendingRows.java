package com.onemember.hub.imports;

import com.onemember.hub.camel.TransactedSends;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts staged rows on the queue as chunks of {@code onemember.ingest.chunk-rows} row numbers, read
 * from {@code import_row} a page at a time, so that a million-row import is queued with the memory
 * of one page; the consumer reads each chunk's records from {@code import_row} itself. Used when an
 * import's rows are all staged, and at start-up for rows still pending from an earlier run: a hub
 * stopped or killed after staging an import and before queuing it all would otherwise leave those
 * rows pending for ever. Rows whose message is still on the queue are sent twice; the second
 * delivery finds the row settled (it is locked while it is settled) and changes nothing, so no row
 * is lost and none is counted twice.
 */
@Component
class PendingRows {

  private static final Logger log = LoggerFactory.getLogger(PendingRows.class);

  /** Rows per message ({@code onemember.ingest.chunk-rows}); see {@link ImportRowIngest}. */
  private final int chunk;

  /** Row numbers read per query: whole chunks, about a thousand or one chunk. */
  private final int page;

  /** Starts the error of a row the queue did not take; such an import is not a repeat. */
  static final String QUEUE_UNAVAILABLE = "消息队列不可用";

  private final JdbcTemplate jdbc;
  private final InboundQueue inbound;
  private final Clock clock;

  PendingRows(
      JdbcTemplate jdbc, InboundQueue inbound, Clock clock, com.onemember.hub.HubProperties hub) {
    this.chunk = hub.ingest().chunkRows();
    this.page = chunk * Math.max(1, 1000 / chunk);
    this.jdbc = jdbc;
    this.inbound = inbound;
    this.clock = clock;
  }

  /**
   * Queues the pending rows of one import. When the queue fails part way, the rows not sent are
   * settled as rejected with a message to upload the file again, so that the import completes and
   * its report says which rows to send again; nothing is left pending for ever.
   *
   * @return rows queued
   */
  int queue(UUID importId) {
    int sent = 0;
    int lastRow = 0;
    while (true) {
      List<Integer> rowNumbers =
          jdbc.queryForList(
              "select row_no from import_row where import_id = ? and outcome = 'pending'"
                  + " and record is not null and row_no > ? order by row_no limit ?",
              Integer.class,
              importId,
              lastRow,
              page);
      if (rowNumbers.isEmpty()) {
        return sent;
      }
      List<InboundQueue.Chunk> chunks = new ArrayList<>();
      for (int i = 0; i < rowNumbers.size(); i += chunk) {
        List<Integer> rows = rowNumbers.subList(i, Math.min(rowNumbers.size(), i + chunk));
        chunks.add(new InboundQueue.Chunk(importId, rows.get(0), rows.get(rows.size() - 1)));
      }
      try {
        inbound.sendChunks(chunks);
      } catch (TransactedSends.PartlySent e) {
        if (!Thread.currentThread().isInterrupted()) {
          // a hub that is stopping leaves them pending: the next start queues them
          int lastSent = e.sent() == 0 ? lastRow : chunks.get(e.sent() - 1).toRow();
          settleUnsent(importId, lastSent);
        }
        throw e;
      }
      sent += rowNumbers.size();
      lastRow = rowNumbers.get(rowNumbers.size() - 1);
    }
  }

  /**
   * At start-up: the pending rows of every import of this hub's ({@code reader}) whose rows are all
   * staged (one still being read is resumed by {@link ImportStaging} and queued when it is whole).
   * Other hubs' imports are theirs, or taken over from them when they die ({@link ImportHandover}).
   */
  void queueAll(String reader) {
    int sent = 0;
    for (UUID id :
        jdbc.queryForList(
            "select distinct r.import_id from import_row r join import_job j on j.id = r.import_id"
                + " where r.outcome = 'pending' and r.record is not null and j.state = 'queued'"
                + " and (j.reader = ? or j.reader is null)",
            UUID.class,
            reader)) {
      try {
        sent += queue(id);
      } catch (TransactedSends.PartlySent e) {
        log.warn("The queue failed while queuing import {} again: {}", id, e.getMessage());
      }
    }
    if (sent > 0) {
      log.info("Queued {} import rows again that were pending when the hub last stopped", sent);
    }
  }

  private void settleUnsent(UUID importId, int lastSent) {
    jdbc.update(
        "update import_row set outcome = 'rejected', processed_at = ?, error = ?"
            + " where import_id = ? and outcome = 'pending' and row_no > ?",
        java.sql.Timestamp.from(clock.instant()),
        QUEUE_UNAVAILABLE
            + "，本行未处理，请重新上传 / The message queue was not reachable; this row was"
            + " not processed. Upload the file again.",
        importId,
        lastSent);
  }
}
