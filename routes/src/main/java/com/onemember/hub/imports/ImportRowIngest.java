package com.onemember.hub.imports;

import com.onemember.canonical.SourceRecord;
import com.onemember.hub.metrics.HubMeters;
import com.onemember.mdm.ingest.IncomingRecord;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.bulk.BulkLoad;
import com.onemember.mdm.ingest.bulk.GroupCommit;
import com.onemember.mdm.ingest.bulk.SourceRecordIngest;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SetWise;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Handles what arrives on {@code onemember.inbound}: one source record (from a connector; or, from
 * imports queued before chunks, one import row), or a chunk of an import's rows. Each is ingested
 * and its import row settled in the same transaction. A row already settled is left alone, so a
 * redelivered message does not turn "created" into "unchanged".
 */
@Component
public class ImportRowIngest {

  private static final Logger log = LoggerFactory.getLogger(ImportRowIngest.class);

  /** Attempts of one row on its own before it is settled as failed. */
  private static final int ROW_ATTEMPTS = 3;

  private final SourceRecordIngest ingest;
  private final BulkLoad bulk;
  private final GroupCommit groups;
  private final JdbcTemplate jdbc;
  private final ImportRowRepository rows;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final com.onemember.hub.connectors.ConnectorStore connectors;
  private final com.onemember.mdm.ingest.SourceRecordWithdrawals withdrawals;

  /**
   * Withdraws a connector's record its system deleted (the member stays, unless it was the member's
   * last record), in its turn after the record's earlier changes. A record the hub never held (its
   * system created and deleted it before the hub heard) is nothing to withdraw.
   */
  public void withdraw(
      @Header(InboundHeaders.CONNECTOR) String connector,
      @Header(InboundHeaders.WITHDRAW) String key) {
    withdrawals.withdraw(
        connector,
        key,
        "在 " + connector + " 中已删除 / deleted in " + connector,
        "connector " + connector);
  }

  /**
   * Erases a connector's record at its system's request, in its turn after the record's earlier
   * changes (so none of them brings it back).
   */
  public void erase(
      @Header(InboundHeaders.CONNECTOR) String connector,
      @Header(InboundHeaders.ERASE) String key,
      @Header(InboundHeaders.ERASE_REQUEST) String request) {
    withdrawals.erase(connector, key, request, "connector " + connector);
  }

  private final HubMeters meters;

  public ImportRowIngest(
      SourceRecordIngest ingest,
      ImportRowRepository rows,
      TransactionTemplate transactions,
      Clock clock,
      com.onemember.hub.connectors.ConnectorStore connectors,
      com.onemember.mdm.ingest.SourceRecordWithdrawals withdrawals,
      BulkLoad bulk,
      JdbcTemplate jdbc,
      GroupCommit groups,
      HubMeters meters) {
    this.meters = meters;
    this.bulk = bulk;
    this.groups = groups;
    this.jdbc = jdbc;
    this.connectors = connectors;
    this.withdrawals = withdrawals;
    this.ingest = ingest;
    this.rows = rows;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Settles the pending rows {@code fromRow}..{@code toRow} of an import, in one transaction: their
   * records are loaded in row order by {@link BulkLoad} (decided one by one, written set-wise) and
   * the rows settled with what became of each. One transaction per row, as before, took some forty
   * statements and a disk wait per row; the chunk takes a dozen statements and one wait for a
   * thousand rows. The chunks of one import reach one consumer in order (a message group), so each
   * chunk is decided on all the rows before it. Rows already settled (a redelivered chunk, a chunk
   * sent again after a restart) are skipped. A chunk that fails {@value #ROW_ATTEMPTS} times (a
   * member changed under it each time, or a row that cannot be processed) is settled row by row as
   * before, where a row that fails {@value #ROW_ATTEMPTS} times on its own is settled as rejected
   * with the cause and the rows beside it go in.
   */
  public void handleChunk(
      @Header(InboundHeaders.IMPORT_ID) String importId,
      @Header(InboundHeaders.IMPORT_FROM_ROW) Integer fromRow,
      @Header(InboundHeaders.IMPORT_TO_ROW) Integer toRow) {
    UUID id = UUID.fromString(importId);
    RuntimeException last = null;
    for (int attempt = 1; attempt <= ROW_ATTEMPTS; attempt++) {
      try {
        Loaded loaded = transactions.execute(status -> settleChunk(id, fromRow, toRow));
        counted(HubMeters.Channel.IMPORT, loaded);
        return;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    log.warn(
        "Import {} rows {}-{} could not be loaded as one chunk; settling them one by one",
        id,
        fromRow,
        toRow,
        last);
    for (int rowNo : rows.pendingRowNumbers(id, fromRow, toRow)) {
      settleAlone(id, rowNo);
    }
  }

  /** Why a row is settled as failed: what could not process it, for IT staff to report. */
  private static String processingFailed(Exception cause) {
    return "处理失败 / Processing failed: " + cause.getClass().getSimpleName();
  }

  /** Records loaded together and what became of each, in the same order. */
  private record Loaded(List<SourceRecord> records, List<IngestOutcome> outcomes) {

    static Loaded one(SourceRecord record, IngestOutcome outcome) {
      return new Loaded(List.of(record), List.of(outcome));
    }
  }

  /**
   * Loads the chunk's pending rows and settles them, in the caller's transaction; returns the
   * records that could be read and what became of them.
   */
  private Loaded settleChunk(UUID importId, int fromRow, int toRow) {
    List<Integer> rowNumbers = new ArrayList<>();
    List<String> stored = new ArrayList<>();
    jdbc.query(
        "select row_no, record::text from import_row where import_id = ? and row_no between ? and ?"
            + " and outcome = 'pending' order by row_no for update",
        rs -> {
          rowNumbers.add(rs.getInt(1));
          stored.add(rs.getString(2));
        },
        importId,
        fromRow,
        toRow);
    if (rowNumbers.isEmpty()) {
      return new Loaded(List.of(), List.of());
    }
    // a row whose staged record cannot be read is settled as failed; the rows beside it go in
    IngestOutcome[] settled = new IngestOutcome[rowNumbers.size()];
    List<SourceRecord> records = new ArrayList<>();
    List<Integer> loaded = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      try {
        records.add(RecordJson.sourceRecord(stored.get(i)));
        loaded.add(i);
      } catch (RuntimeException e) {
        log.warn(
            "Import {} row {}: its staged record cannot be read", importId, rowNumbers.get(i), e);
        settled[i] = IngestOutcome.rejected(processingFailed(e));
      }
    }
    List<IngestOutcome> outcomes = bulk.load(records, importId);
    for (int j = 0; j < loaded.size(); j++) {
      settled[loaded.get(j)] = outcomes.get(j);
    }
    String[] kinds = new String[settled.length];
    String[] errors = new String[settled.length];
    String[] warnings = new String[settled.length];
    for (int i = 0; i < settled.length; i++) {
      IngestOutcome o = settled[i];
      kinds[i] = o.kind().name().toLowerCase(Locale.ROOT);
      errors[i] = o.error();
      warnings[i] = o.warningText();
    }
    // as ImportRowEntity#settle: the ingest's warnings after those the staging found
    SetWise.update(
        jdbc,
        "update import_row r set outcome = u.kind, error = u.error,"
            + " warnings = case when coalesce(r.warnings, '') = '' then nullif(u.warnings, '')"
            + " when coalesce(u.warnings, '') = '' then r.warnings"
            + " else r.warnings || '; ' || u.warnings end,"
            + " processed_at = ?"
            + " from unnest(?::int[], ?::text[], ?::text[], ?::text[])"
            + " as u(row_no, kind, error, warnings)"
            + " where r.import_id = ? and r.row_no = u.row_no",
        java.sql.Timestamp.from(clock.instant()),
        SetWise.array("int", rowNumbers),
        SetWise.array("text", kinds),
        SetWise.array("text", errors),
        SetWise.array("text", warnings),
        importId);
    return new Loaded(records, outcomes);
  }

  /** Counts records whose transaction committed. */
  private void counted(HubMeters.Channel channel, Loaded loaded) {
    for (int i = 0; i < loaded.records().size(); i++) {
      meters.ingested(channel, loaded.records().get(i).source(), loaded.outcomes().get(i).kind());
    }
  }

  private void settleAlone(UUID id, int rowNo) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= ROW_ATTEMPTS; attempt++) {
      try {
        Loaded loaded =
            transactions.execute(
                status -> {
                  List<SourceRecord> records = new ArrayList<>();
                  List<IngestOutcome> outcomes = new ArrayList<>();
                  for (ImportRowEntity row : rows.lockPending(id, rowNo, rowNo)) {
                    SourceRecord record = RecordJson.sourceRecord(row.getRecord());
                    records.add(record);
                    outcomes.add(settle(id, row, record));
                  }
                  return new Loaded(records, outcomes);
                });
        counted(HubMeters.Channel.IMPORT, loaded);
        return;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    log.warn("Import {} row {} could not be processed", id, rowNo, last);
    // if even this fails the database is gone, and the exception redelivers the chunk
    failChunk(id.toString(), rowNo, rowNo, processingFailed(last));
  }

  /** Ingests one locked, pending row and settles it, in the caller's transaction. */
  private IngestOutcome settle(UUID importId, ImportRowEntity row, SourceRecord record) {
    IngestOutcome outcome = ingest.ingest(record, importId);
    row.settle(
        outcome.kind().name().toLowerCase(Locale.ROOT),
        outcome.error(),
        outcome.warningText(),
        clock.instant());
    return outcome;
  }

  /**
   * Marks the still-pending rows of a chunk that could not be processed at all, so its import still
   * completes. In a transaction of its own, also when called from within this bean.
   */
  public void failChunk(String importId, Integer fromRow, Integer toRow, String error) {
    if (importId == null || fromRow == null || toRow == null) {
      return;
    }
    transactions.executeWithoutResult(
        status ->
            rows.lockPending(UUID.fromString(importId), fromRow, toRow)
                .forEach(
                    row -> row.settle(ImportRowEntity.REJECTED, error, null, clock.instant())));
  }

  /**
   * One source record: a connector's record is loaded with the records other consumers hold at the
   * same moment ({@link GroupCommit}), and, if its group fails, alone; a row of an import queued
   * before chunks existed is ingested and settled alone.
   */
  public void handle(
      String json,
      @Header(InboundHeaders.IMPORT_ID) String importId,
      @Header(InboundHeaders.IMPORT_ROW) Integer rowNo,
      @Header(InboundHeaders.CONNECTOR) String connector) {
    SourceRecord record = RecordJson.sourceRecord(json);
    java.util.concurrent.atomic.AtomicReference<IngestOutcome> became =
        new java.util.concurrent.atomic.AtomicReference<>();
    if (importId == null || rowNo == null) {
      if (!groups.ingest(
          record,
          outcome -> {
            became.set(outcome);
            kept(connector, record, outcome);
          })) {
        transactions.executeWithoutResult(
            status -> {
              became.set(ingest.ingest(record, null));
              kept(connector, record, became.get());
            });
      }
      counted(HubMeters.Channel.CONNECTOR, Loaded.one(record, became.get()));
      return;
    }
    transactions.executeWithoutResult(
        status -> {
          ImportRowEntity row =
              rows.lockById(new ImportRowEntity.Key(UUID.fromString(importId), rowNo)).orElse(null);
          if (row != null && !row.isPending()) {
            return;
          }
          IngestOutcome outcome =
              ingest.ingest(record, row == null ? null : UUID.fromString(importId));
          became.set(outcome);
          if (row != null) {
            row.settle(
                outcome.kind().name().toLowerCase(Locale.ROOT),
                outcome.error(),
                outcome.warningText(),
                clock.instant());
          } else {
            kept(connector, record, outcome);
          }
        });
    if (became.get() != null) {
      counted(HubMeters.Channel.IMPORT, Loaded.one(record, became.get()));
    }
  }

  /**
   * Keeps what IT staff need to know of a record that came without an import row, in the
   * transaction that ingested it: a connector's rejections and warnings in its lists, others in the
   * log.
   */
  private void kept(String connector, SourceRecord record, IngestOutcome outcome) {
    if (connector != null
        && outcome.kind() != IngestOutcome.Kind.REJECTED
        && outcome.warningText() != null) {
      // kept, without the values the warnings name: the connector's list tells IT staff which
      connectors.keptWithWarnings(
          connector,
          record.sourceRecordId(),
          outcome.warningText(),
          rawAsKept(record),
          clock.instant());
    } else if (connector != null && outcome.kind() == IngestOutcome.Kind.REJECTED) {
      // kept with the connector's rejections, where IT staff look (GET .../rejections)
      boolean erased = IngestOutcome.ERASED_REFUSAL.equals(outcome.error());
      connectors.reject(
          connector,
          record.sourceRecordId(),
          outcome.error(),
          erased ? "{}" : rawAsKept(record),
          clock.instant());
    } else if (outcome.kind() == IngestOutcome.Kind.REJECTED) {
      // The reason quotes the bad values, which may be personal data: keep it out of the log.
      log.warn(
          "Rejected source record {} from {} (not from an import; reason withheld from the log)",
          record.sourceRecordId(),
          record.source());
    }
  }

  /**
   * A record's raw values as the connector's list keeps them: without NUL characters, which the
   * database cannot store (the ingest took them out too, with a warning).
   */
  private static String rawAsKept(SourceRecord record) {
    return RecordJson.write(IncomingRecord.withoutNul(record).raw());
  }

  /** Marks a row whose message could not be processed at all, so its import still completes. */
  public void fail(String importId, Integer rowNo, String error) {
    failChunk(importId, rowNo, rowNo, error);
  }

  /**
   * Puts a connector's record whose message could not be processed at all (it goes to the dead
   * letter queue) on the connector's rejection list, where IT staff look, with the reason; the
   * record as sent when its message can still be read.
   */
  public void failRecord(String connector, String json, String error) {
    if (connector == null) {
      return;
    }
    String id = "?";
    String raw = "{}";
    try {
      SourceRecord record = RecordJson.sourceRecord(json);
      id = record.sourceRecordId();
      raw = rawAsKept(record);
    } catch (RuntimeException unreadable) {
      // the reason says the message failed; an unreadable body is kept in the dead letter queue
    }
    String recordId = id;
    String rawJson = raw;
    transactions.executeWithoutResult(
        status -> connectors.reject(connector, recordId, error, rawJson, clock.instant()));
  }
}
