package com.onemember.hub.imports;

import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.spreadsheet.ColumnMapping;
import com.onemember.connectors.spreadsheet.MemberRowMapper;
import com.onemember.connectors.spreadsheet.SheetRow;
import com.onemember.connectors.spreadsheet.SheetStream;
import com.onemember.connectors.spreadsheet.UnreadableFileException;
import com.onemember.hub.camel.TransactedSends;
import com.onemember.hub.metrics.HubMeters;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.standardize.RecordStandardizer;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.trace.Correlation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads an accepted upload row by row into {@code import_row}, a batch per transaction, and then
 * queues its rows (a row with no name and no identifier at all is refused as it is read). One file
 * is staged at a time: a second upload waits its turn in state {@code reading}, which keeps memory
 * and database load of a busy morning the same as of one file.
 *
 * <p>Nothing of a file is queued before all of it is staged, so a file that turns out broken or too
 * long further in is refused whole ({@code failed}, its staged rows removed) and never half
 * imported. A hub stopped while staging finishes the file from its kept copy at the next start,
 * after the last staged row ({@link ImportService#resumeAtStartUp}).
 *
 * <p>Files wait their turn on the in-memory queue {@code seda:import-staging}, read by one consumer
 * ({@link ImportStagingRoute}); nothing is lost with it, as a file waiting there is in state {@code
 * reading} and resumed at the next start. When Camel stops, the file being read stops at the next
 * row, its kept copy left for that resume, rather than holding the hub's shutdown.
 */
@Component
class ImportStaging {

  private static final Logger log = LoggerFactory.getLogger(ImportStaging.class);

  /** Rows per transaction: large enough to amortise the commit, small enough to show progress. */
  static final int BATCH = 1000;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final PendingRows pending;
  private final Clock clock;
  private final RecordStandardizer standardizer = new RecordStandardizer();
  private final ProducerTemplate camel;

  private final HubMeters meters;
  private final Path workDir;
  private final String reader;

  ImportStaging(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      PendingRows pending,
      Clock clock,
      ProducerTemplate camel,
      HubMeters meters,
      com.onemember.hub.HubProperties properties) {
    this.meters = meters;
    this.workDir = properties.dataDir().resolve("imports");
    // computed once, here: ImportService and ImportHandover use this one
    this.reader = readerName(workDir);
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.pending = pending;
    this.clock = clock;
    this.camel = camel;
  }

  /** What staging one file needs; the stream is handed over and closed when staging ends. */
  record Job(
      UUID id, String source, SheetStream rows, ColumnMapping mapping, Path workFile, int skip) {}

  /** Queues the file for reading; returns at once. */
  void submit(Job job) {
    camel.sendBody(ImportStagingRoute.QUEUE, job);
  }

  /** Whether the hub is stopping: the read stops at the next row, to go on at the next start. */
  private boolean stopping() {
    CamelContext context = camel.getCamelContext();
    return Thread.currentThread().isInterrupted() || context.isStopping() || context.isStopped();
  }

  /** Reads one file into {@code import_row} and queues it; {@link ImportStagingRoute} calls it. */
  void stage(Job job) {
    try (Correlation.Scope scope = Correlation.open(Correlation.ofImport(job.id()));
        SheetStream rows = job.rows()) {
      List<Object[]> batch = new ArrayList<>(BATCH);
      for (SheetRow row = rows.next(); row != null; row = rows.next()) {
        if (stopping()) {
          return; // the next start resumes from the kept file
        }
        if (row.number() <= job.skip()) {
          continue;
        }
        batch.add(stagedRow(job, row));
        if (batch.size() == BATCH) {
          flush(job, batch, rows.rowsRead());
        }
      }
      flush(job, batch, rows.rowsRead());
      Integer done =
          transactions.execute(
              status ->
                  jdbc.update(
                      "update import_job set state = 'queued', row_count = rows_read,"
                          + " headers = ?::jsonb, work_file = null"
                          + " where id = ? and state = 'reading' and reader = ?",
                      RecordJson.write(rows.headers()),
                      job.id(),
                      reader));
      if (done == null || done == 0) {
        throw new StagingStopped();
      }
    } catch (StagingStopped e) {
      log.warn(
          "Import {} stopped being read here: it failed, or another hub took it over", job.id());
      if (!takenOver(job.id())) {
        deleteQuietly(job.workFile());
      } // else the other hub reads the kept copy on, and deletes it when done
      return;
    } catch (UnreadableFileException e) {
      if (stopping() || interrupted(e)) {
        return; // the hub is stopping mid-read; the next start reads on from the kept file
      }
      fail(job.id(), e.code(), e.getMessage());
      deleteQuietly(job.workFile());
      return;
    } catch (RuntimeException e) {
      if (stopping()) {
        return;
      }
      log.error("Import {} could not be staged", job.id(), e);
      fail(
          job.id(),
          "staging-failed",
          "读取文件时出错，文件未导入，请重新上传 / The hub failed while reading the file; nothing of it"
              + " was imported. Upload it again. ("
              + e.getClass().getSimpleName()
              + ")");
      deleteQuietly(job.workFile());
      return;
    }
    deleteQuietly(job.workFile());
    if (stopping()) {
      return; // stored whole: the next start queues its pending rows
    }
    try {
      int queued = pending.queue(job.id());
      log.info(
          "Import {} from {}: read, {} rows queued for matching", job.id(), job.source(), queued);
    } catch (TransactedSends.PartlySent e) {
      log.warn("Import {}: the queue failed while its rows were queued", job.id(), e);
    }
  }

  /** A read cut by the hub stopping (an interrupted file channel), not a broken file. */
  private static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.ClosedByInterruptException
          || t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  /**
   * One row as stored: mapped to the record that will be queued, with the warnings about its cells
   * (a formula, a value cut to the limit: kept in the raw cells, left out of the record). Whether
   * the row identifies a person at all is decided when it is matched, by the standardizer.
   */
  private Object[] stagedRow(Job job, SheetRow row) {
    SourceRecord record = MemberRowMapper.toSourceRecord(job.source(), job.mapping(), row);
    String warnings = row.hasWarnings() ? String.join("; ", row.warnings()) : null;
    // A row with no name and no identifier at all (a blank line of formulas, a row of notes) is
    // refused by the standardizer whatever else it holds: refused here, in the batch, it costs the
    // queue and a matching transaction nothing. Such rows are rare, so only they are standardised.
    if (nothingToIdentify(record)
        && standardizer.standardize(record, clock.instant())
            instanceof RecordStandardizer.Refused refused) {
      return new Object[] {
        job.id(),
        row.number(),
        record.sourceRecordId(),
        ImportRowEntity.REJECTED,
        refused.message(),
        warnings,
        RecordJson.write(row.cells()),
        RecordJson.write(record),
        Timestamp.from(clock.instant())
      };
    }
    return new Object[] {
      job.id(),
      row.number(),
      record.sourceRecordId(),
      ImportRowEntity.PENDING,
      null,
      warnings,
      RecordJson.write(row.cells()),
      RecordJson.write(record),
      null
    };
  }

  private static boolean nothingToIdentify(SourceRecord record) {
    return (record.name() == null || record.name().isBlank())
        && record.identifiers().stream().allMatch(i -> i.value() == null || i.value().isBlank());
  }

  private void flush(Job job, List<Object[]> batch, int rowsRead) {
    if (batch.isEmpty()) {
      return;
    }
    UUID id = job.id();
    boolean[] inserted = new boolean[batch.size()];
    transactions.executeWithoutResult(
        status -> {
          int[] written =
              jdbc.batchUpdate(
                  "insert into import_row (import_id, row_no, source_record_id, outcome, error,"
                      + " warnings, raw, record, processed_at)"
                      + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)"
                      + " on conflict do nothing",
                  batch);
          for (int i = 0; i < written.length; i++) {
            // a row staged before (a resumed file) is not counted again
            inserted[i] = written[i] != 0; // 0: on conflict, nothing written
          }
          // a job failed meanwhile, or taken over by another hub (which thought this one dead: its
          // database session was lost), is not written on: the other reads it on
          if (jdbc.update(
                  "update import_job set rows_read = ? where id = ? and state = 'reading'"
                      + " and reader = ?",
                  rowsRead,
                  id,
                  reader)
              == 0) {
            throw new StagingStopped();
          }
        });
    // rows refused as they were read are records in and refused, as those refused in matching
    for (int i = 0; i < batch.size(); i++) {
      if (inserted[i] && ImportRowEntity.REJECTED.equals(batch.get(i)[3])) {
        meters.ingested(HubMeters.Channel.IMPORT, job.source(), IngestOutcome.Kind.REJECTED);
      }
    }
    batch.clear();
  }

  /** Whether another hub is now the reader of import {@code id}. */
  private boolean takenOver(UUID id) {
    List<String> now =
        jdbc.queryForList("select reader from import_job where id = ?", String.class, id);
    return !now.isEmpty() && now.get(0) != null && !now.get(0).equals(reader);
  }

  /** Where this hub keeps its copies of the files it reads. */
  Path workDir() {
    return workDir;
  }

  /** This hub's name as the reader of the files it keeps ({@link ImportHandover}). */
  String reader() {
    return reader;
  }

  /** This hub as the reader of the files it keeps: its host and its copies' directory. */
  private static String readerName(Path workDir) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return host + ":" + workDir.toAbsolutePath().normalize();
  }

  /**
   * The file is refused whole: its staged rows go, the job keeps the reason. Only by its reader: a
   * hub whose import was taken over (it lost its database session a while) leaves it alone.
   */
  private void fail(UUID id, String code, String message) {
    transactions.executeWithoutResult(
        status -> {
          // only a file still being read can fail: one stored whole may already be in matching
          if (jdbc.update(
                  "update import_job set state = 'failed', error_code = ?, error = ?,"
                      + " row_count = 0, rows_read = 0, work_file = null"
                      + " where id = ? and state = 'reading' and reader = ?",
                  code,
                  message,
                  id,
                  reader)
              > 0) {
            jdbc.update("delete from import_row where import_id = ?", id);
          }
        });
    log.warn("Import {} was refused while reading: {}", id, code);
  }

  /** The job is no longer this worker's to stage. */
  private static final class StagingStopped extends RuntimeException {
    StagingStopped() {
      super(null, null, false, false);
    }
  }

  /** Rows already staged of an import being resumed. */
  int staged(UUID id) {
    Integer last =
        jdbc.queryForObject(
            "select coalesce(max(row_no), 0) from import_row where import_id = ?",
            Integer.class,
            id);
    return last == null ? 0 : last;
  }

  /**
   * Marks an import that was being read when the hub stopped and whose kept copy is gone; nothing
   * of it was queued, so nothing of it is imported.
   */
  void lost(UUID id) {
    fail(
        id,
        "file-lost",
        "导入过程中集线器停止，且文件副本已不存在，请重新上传 / The hub stopped while reading this file and"
            + " its kept copy is gone; nothing of it was imported. Upload it again.");
  }

  /** A file another hub was reading when it stopped, whose kept copy this hub cannot reach. */
  void unreachable(UUID id) {
    fail(
        id,
        "file-lost",
        "读取此文件的集线器已停止，其他集线器无法访问文件副本，请重新上传（多个集线器时，请将数据目录下的 imports 放在共享卷上）"
            + " / The hub reading this file stopped and the other hubs cannot reach its kept copy;"
            + " nothing of it was imported. Upload it again (with several hubs, put <data-dir>/imports"
            + " on a volume they share).");
  }

  static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete the import copy {}", file, e);
    }
  }
}
