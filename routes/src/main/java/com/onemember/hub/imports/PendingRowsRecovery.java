package com.onemember.hub.imports;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * At start-up, queues again every row still pending from an earlier run: a hub stopped or killed
 * after storing an import's rows and before queuing them all would otherwise leave those rows
 * pending for ever. Rows whose message is still on the queue are sent twice; the second delivery
 * finds the row settled (it is locked while it is settled) and changes nothing, so no row is lost
 * and none is counted twice.
 */
@Component
class PendingRowsRecovery {

  private static final Logger log = LoggerFactory.getLogger(PendingRowsRecovery.class);
  private static final int BATCH = 1000;

  private final JdbcTemplate jdbc;
  private final InboundQueue inbound;

  PendingRowsRecovery(JdbcTemplate jdbc, InboundQueue inbound) {
    this.jdbc = jdbc;
    this.inbound = inbound;
  }

  private record Pending(UUID importId, int rowNo, String record) {}

  @EventListener(ApplicationReadyEvent.class)
  void requeue() {
    int sent = 0;
    UUID lastImport = new UUID(0, 0);
    int lastRow = 0;
    while (true) {
      List<Pending> batch =
          jdbc.query(
              "select import_id, row_no, record::text from import_row"
                  + " where outcome = 'pending' and record is not null"
                  + " and (import_id, row_no) > (?, ?) order by import_id, row_no limit ?",
              (rs, i) -> new Pending(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3)),
              lastImport,
              lastRow,
              BATCH);
      if (batch.isEmpty()) {
        break;
      }
      sent +=
          inbound.send(
              batch.stream()
                  .map(p -> new InboundQueue.Row(p.importId(), p.rowNo(), p.record()))
                  .toList());
      Pending last = batch.get(batch.size() - 1);
      lastImport = last.importId();
      lastRow = last.rowNo();
    }
    if (sent > 0) {
      log.info("Queued {} import rows again that were pending when the hub last stopped", sent);
    }
  }
}
