package com.onemember.hub.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.model.ImportJob;
import com.onemember.api.model.ImportStatus;
import com.onemember.hub.support.HubIT;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A big import's rows are counted at most every few seconds, and a count made while the file was
 * read must not make the import look finished once its rows are queued: an earlier version reused
 * such a count (no rows yet, so none pending) and answered COMPLETED with nothing matched.
 */
class BigImportProgressIT extends HubIT {

  static final int ROWS = 60_000;

  @Autowired ImportReport report;
  @Autowired JdbcTemplate jdbc;

  @Test
  void aCountFromWhileTheFileWasReadNeverShowsTheQueuedImportAsCompleted() throws Exception {
    UUID id = UUID.randomUUID();
    jdbc.update(
        "insert into import_job (id, source, file_name, file_sha256, format, row_count,"
            + " unmapped_columns, created_at, state, rows_read)"
            + " values (?, 'pos-store-61', '会员导出.csv', ?, 'CSV', ?, '[]', now(), 'reading', 0)",
        id,
        id.toString().replace("-", ""),
        ROWS);

    ImportJob reading = report.status(id); // counted: nothing stored yet
    assertThat(reading.getStatus()).isEqualTo(ImportStatus.READING);
    assertThat(reading.getProgress().getProcessed()).isZero();

    // the whole file is stored and queued within the recount period
    jdbc.update(
        "insert into import_row (import_id, row_no, outcome, raw)"
            + " select ?, n, 'pending', '{}' from generate_series(1, ?) n",
        id,
        ROWS);
    jdbc.update("update import_job set state = 'queued', rows_read = ? where id = ?", ROWS, id);

    ImportJob queued = report.status(id);
    assertThat(queued.getStatus()).isEqualTo(ImportStatus.PROCESSING);
    assertThat(queued.getCounts().getPending()).isEqualTo(ROWS);
    assertThat(queued.getProgress().getProcessed()).isZero();

    // every row settles; a count reused meanwhile lags but never claims more than it saw
    jdbc.update(
        "update import_row set outcome = 'created', processed_at = now() where import_id = ?", id);
    ImportJob lagging = report.status(id);
    assertThat(lagging.getStatus()).isEqualTo(ImportStatus.PROCESSING);
    assertThat(lagging.getCounts().getPending()).isEqualTo(ROWS);

    // after the recount period the fresh count shows the import finished
    Instant until = Instant.now().plus(ImportReport.recountEvery(ROWS)).plusSeconds(5);
    ImportJob done = report.status(id);
    while (done.getStatus() != ImportStatus.COMPLETED && Instant.now().isBefore(until)) {
      Thread.sleep(250);
      done = report.status(id);
    }
    assertThat(done.getStatus()).isEqualTo(ImportStatus.COMPLETED);
    assertThat(done.getCounts().getCreated()).isEqualTo(ROWS);
    assertThat(done.getProgress().getProcessed()).isEqualTo(ROWS);
  }
}
