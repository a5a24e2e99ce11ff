package com.onemember.hub.imports;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.SourceRecordIngest;
import com.onemember.mdm.store.RecordJson;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Handles one source record from {@code onemember.inbound}: ingests it and, when it came from an
 * import, settles its import row in the same transaction. A row already settled is left alone, so a
 * redelivered message does not turn "created" into "unchanged".
 */
@Component
public class ImportRowIngest {

  private static final Logger log = LoggerFactory.getLogger(ImportRowIngest.class);

  private final SourceRecordIngest ingest;
  private final ImportRowRepository rows;
  private final Clock clock;

  public ImportRowIngest(SourceRecordIngest ingest, ImportRowRepository rows, Clock clock) {
    this.ingest = ingest;
    this.rows = rows;
    this.clock = clock;
  }

  @Transactional
  public void handle(
      String json,
      @Header(InboundHeaders.IMPORT_ID) String importId,
      @Header(InboundHeaders.IMPORT_ROW) Integer rowNo) {
    SourceRecord record = RecordJson.sourceRecord(json);
    ImportRowEntity row = null;
    if (importId != null && rowNo != null) {
      row = rows.lockById(new ImportRowEntity.Key(UUID.fromString(importId), rowNo)).orElse(null);
      if (row != null && !row.isPending()) {
        return;
      }
    }
    IngestOutcome outcome = ingest.ingest(record, row == null ? null : UUID.fromString(importId));
    if (row != null) {
      row.settle(outcome.kind().name().toLowerCase(Locale.ROOT), outcome.error(), clock.instant());
    } else if (outcome.kind() == IngestOutcome.Kind.REJECTED) {
      // The reason quotes the bad values, which may be personal data: keep it out of the log.
      log.warn(
          "Rejected source record {} from {} (not from an import; reason withheld from the log)",
          record.sourceRecordId(),
          record.source());
    }
  }

  /** Marks a row whose message could not be processed at all, so its import still completes. */
  @Transactional
  public void fail(String importId, Integer rowNo, String error) {
    if (importId == null || rowNo == null) {
      return;
    }
    rows.findById(new ImportRowEntity.Key(UUID.fromString(importId), rowNo))
        .filter(ImportRowEntity::isPending)
        .ifPresent(row -> row.settle(ImportRowEntity.REJECTED, error, clock.instant()));
  }
}
