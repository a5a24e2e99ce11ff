package com.onemember.hub.imports;

import com.onemember.api.model.ImportCounts;
import com.onemember.api.model.ImportJob;
import com.onemember.api.model.ImportJobPage;
import com.onemember.api.model.ImportProgress;
import com.onemember.api.model.ImportStatus;
import com.onemember.hub.api.ApiProblem;
import com.onemember.hub.api.ExportCells;
import com.onemember.mdm.store.RecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What an import did: status and counts, and the per-row report. */
@Service
public class ImportReport {

  private final ImportJobRepository jobs;
  private final ImportRowRepository rows;
  private final JdbcTemplate jdbc;
  private final java.time.Clock clock;

  public ImportReport(
      ImportJobRepository jobs,
      ImportRowRepository rows,
      JdbcTemplate jdbc,
      java.time.Clock clock) {
    this.clock = clock;
    this.jobs = jobs;
    this.rows = rows;
    this.jdbc = jdbc;
  }

  /** Whether the import is still being read or matched. */
  public static boolean inFlight(ImportJob job) {
    return job.getStatus() == ImportStatus.READING || job.getStatus() == ImportStatus.PROCESSING;
  }

  /**
   * One page of imports, newest first (created at, then id, descending), each as {@link #status}
   * tells it; {@code status} is decided in SQL the same way: rolled back, failed, reading, then
   * processing while any row waits to be matched, else completed.
   *
   * @param after the {@code next} of the previous page ({@code <epoch micros>_<id>})
   */
  /**
   * The SQL condition on {@code import_job j} that its status is {@code status}, as {@link #status}
   * decides it: rolled back, failed, reading, then processing while any row waits to be matched,
   * else completed.
   */
  private static String statusIs(ImportStatus status) {
    String pending =
        "exists (select 1 from import_row r where r.import_id = j.id and r.outcome = 'pending')";
    return switch (status) {
      case ROLLED_BACK -> "j.rolled_back_at is not null";
      case FAILED -> "(j.rolled_back_at is null and j.state = 'failed')";
      case READING -> "(j.rolled_back_at is null and j.state = 'reading')";
      case PROCESSING ->
          "(j.rolled_back_at is null and j.state not in ('failed', 'reading') and " + pending + ")";
      case COMPLETED ->
          "(j.rolled_back_at is null and j.state not in ('failed', 'reading') and not "
              + pending
              + ")";
    };
  }

  /** Imports reading their file or with rows still to match. */
  @Transactional(readOnly = true)
  public long running() {
    Long n =
        jdbc.queryForObject(
            "select count(*) from import_job j where "
                + statusIs(ImportStatus.READING)
                + " or "
                + statusIs(ImportStatus.PROCESSING),
            Long.class);
    return n == null ? 0 : n;
  }

  @Transactional(readOnly = true)
  public ImportJobPage list(
      String source, ImportStatus status, Instant from, Instant to, String after, int limit) {
    StringBuilder where = new StringBuilder("true");
    java.util.List<Object> args = new java.util.ArrayList<>();
    if (source != null) {
      where.append(" and j.source = ?");
      args.add(source.strip());
    }
    if (from != null) {
      where.append(" and j.created_at >= ?");
      args.add(java.sql.Timestamp.from(from));
    }
    if (to != null) {
      where.append(" and j.created_at < ?");
      args.add(java.sql.Timestamp.from(to));
    }
    if (status != null) {
      where.append(" and ").append(statusIs(status));
    }
    if (after != null) {
      String[] cursor = after.split("_", 2);
      Instant at;
      UUID id;
      try {
        long micros = Long.parseLong(cursor[0]);
        at = Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
        id = UUID.fromString(cursor[1]);
      } catch (RuntimeException e) {
        throw new ApiProblem(
            org.springframework.http.HttpStatus.BAD_REQUEST,
            "bad-after",
            "after 不是上一页给出的 next 值 / after is not the next value of a previous page: " + after);
      }
      where.append(" and (j.created_at, j.id) < (?, ?)");
      args.add(java.sql.Timestamp.from(at));
      args.add(id);
    }
    args.add(limit + 1);
    record Key(UUID id, Instant createdAt) {}
    java.util.List<Key> keys =
        jdbc.query(
            "select j.id, j.created_at from import_job j where "
                + where
                + " order by j.created_at desc, j.id desc limit ?",
            (rs, i) -> new Key(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()),
            args.toArray());
    ImportJobPage page = new ImportJobPage().items(new java.util.ArrayList<>());
    for (Key key : keys.subList(0, Math.min(limit, keys.size()))) {
      page.addItemsItem(status(key.id()));
    }
    if (keys.size() > limit) {
      Key last = keys.get(limit - 1);
      long micros = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, last.createdAt());
      page.next(micros + "_" + last.id());
    }
    return page;
  }

  @Transactional(readOnly = true)
  public ImportJob status(UUID id) {
    ImportJobEntity job = jobs.findById(id).orElseThrow(() -> ApiProblem.notFound("导入/import", id));
    Counted counted = counted(id, job);
    Map<String, Integer> byOutcome = counted.byOutcome();
    int rejected = byOutcome.getOrDefault(ImportRowEntity.REJECTED, 0);
    boolean reading = "reading".equals(job.getState());
    boolean failed = "failed".equals(job.getState());
    // while reading, the rows counted are those staged so far: the job's count was read before
    // the rows were counted, and more may have been staged in between (a thousand per
    // transaction), which once made "processed" negative
    int rowsSoFar =
        reading
            ? Math.max(
                job.getRowsRead(), byOutcome.values().stream().mapToInt(Integer::intValue).sum())
            : job.getRowCount();
    // a reused count lags: rows staged or queued since are pending, not settled
    int pending =
        counted.reused()
            ? Math.max(
                byOutcome.getOrDefault(ImportRowEntity.PENDING, 0), rowsSoFar - counted.settled())
            : byOutcome.getOrDefault(ImportRowEntity.PENDING, 0);
    ImportCounts counts =
        new ImportCounts()
            .rows(rowsSoFar)
            .accepted(rowsSoFar - rejected)
            .rejected(rejected)
            .pending(pending)
            .created(byOutcome.getOrDefault("created", 0))
            .merged(byOutcome.getOrDefault("merged", 0))
            .updated(byOutcome.getOrDefault("updated", 0))
            .unchanged(byOutcome.getOrDefault("unchanged", 0))
            .warnings(counted.warnings());
    ImportJob dto =
        new ImportJob()
            .id(job.getId())
            .source(job.getSource())
            .fileName(job.getFileName())
            .format(ImportJob.FormatEnum.fromValue(job.getFormat()))
            .encoding(job.getEncoding())
            .status(
                reading
                    ? ImportStatus.READING
                    : failed
                        ? ImportStatus.FAILED
                        : pending > 0 ? ImportStatus.PROCESSING : ImportStatus.COMPLETED)
            .sheet(job.getSheet())
            .errorCode(job.getErrorCode())
            .error(job.getError())
            .counts(counts)
            .unmappedColumns(RecordJson.lines(job.getUnmappedColumns()))
            .createdAt(job.getCreatedAt().atOffset(ZoneOffset.UTC));
    if (job.getColumnMapping() != null) {
      RecordJson.raw(job.getColumnMapping())
          .forEach(
              (header, field) ->
                  dto.addMappingItem(
                      new com.onemember.api.model.ColumnChoice()
                          .header(header)
                          .field(com.onemember.api.model.MemberFieldChoice.fromValue(field))));
    }
    if (pending == 0 && !reading) {
      Instant done = rows.lastProcessedAt(id);
      dto.completedAt((done != null ? done : job.getCreatedAt()).atOffset(ZoneOffset.UTC));
    }
    dto.progress(progress(job, counts, counted));
    if (job.getRolledBackAt() != null) {
      dto.status(ImportStatus.ROLLED_BACK)
          .rolledBackAt(job.getRolledBackAt().atOffset(ZoneOffset.UTC))
          .rolledBackBy(job.getRolledBackBy())
          .rollbackReason(job.getRollbackReason());
    }
    return dto;
  }

  /**
   * Rows settled per second over the last {@code RATE_WINDOW} (or since the start when nothing
   * settled in it), and the time left at that rate.
   */
  private ImportProgress progress(ImportJobEntity job, ImportCounts counts, Counted counted) {
    int processed = Math.max(0, counts.getRows() - counts.getPending());
    boolean reading = "reading".equals(job.getState());
    ImportProgress p =
        new ImportProgress()
            .rowsRead(job.getRowsRead())
            .processed(processed)
            .rejected(counts.getRejected())
            .warnings(counts.getWarnings())
            // while reading: the file's own estimate, or the rows read when that is short
            .totalEstimate(
                reading ? Math.max(job.getRowCount(), job.getRowsRead()) : job.getRowCount());
    if (counts.getPending() == 0 && !reading) {
      return p;
    }
    Instant now = counted.at();
    double rate =
        counted.rowsPerSecond() != null
            ? counted.rowsPerSecond()
            : processed
                / Math.max(1.0, java.time.Duration.between(job.getCreatedAt(), now).toSeconds());
    if (rate > 0) {
      p.rowsPerSecond(java.math.BigDecimal.valueOf(Math.round(rate * 10) / 10.0))
          .etaSeconds(
              (int)
                  Math.ceil(
                      Math.max(counts.getPending(), p.getTotalEstimate() - processed) / rate));
    }
    return p;
  }

  /**
   * The rate is the rows settled between the newest count and the oldest kept count at most this
   * old, or three recount periods for a big import (and at least {@link #RATE_MIN_SPAN} old);
   * without such a count, the average since the import began.
   */
  private static final java.time.Duration RATE_WINDOW = java.time.Duration.ofSeconds(30);

  private static final java.time.Duration RATE_MIN_SPAN = java.time.Duration.ofSeconds(3);

  /**
   * An import's rows counted by outcome at {@code at}, in the job's {@code state} then, and the
   * rows settled per second before then ({@code null} when no earlier count is recent enough to
   * tell).
   *
   * @param settled rows of every outcome but pending
   * @param warnings rows kept (settled, not rejected) with at least one warning
   * @param reused whether this count is served again rather than just made
   */
  private record Counted(
      Instant at,
      String state,
      Map<String, Integer> byOutcome,
      int settled,
      int warnings,
      Double rowsPerSecond,
      boolean reused) {

    Counted again() {
      return new Counted(at, state, byOutcome, settled, warnings, rowsPerSecond, true);
    }

    /**
     * Whether the count may serve again for the job at {@code now}: the same phase, younger than
     * {@code recount}, and not so old that the import may have finished since, at its rate (the
     * completion is always seen on a fresh count).
     */
    boolean stillServes(ImportJobEntity job, Instant now, java.time.Duration recount) {
      if (!java.util.Objects.equals(state, job.getState()) || !at.plus(recount).isAfter(now)) {
        return false;
      }
      double seconds = java.time.Duration.between(at, now).toMillis() / 1000.0;
      double expected = settled + (rowsPerSecond == null ? 0 : rowsPerSecond * seconds);
      return expected < Math.max(job.getRowCount(), job.getRowsRead());
    }
  }

  /** Rows settled (every outcome but pending) at the time of a count. */
  private record Settled(Instant at, int rows) {}

  /**
   * Imports with at least this many rows are counted at most every {@link #recountEvery} rather
   * than at each request, so that a progress page or an event stream asking every second does not
   * make the database count a million rows every second.
   */
  static final int BIG_IMPORT = 50_000;

  /**
   * How long a big import's count is reused: 5 s per 100,000 rows (50 s for a million). Counting
   * costs the database about half a CPU-second per million rows even from the index, so the share
   * of its time spent on progress stays the same whatever the size.
   */
  static java.time.Duration recountEvery(int rows) {
    return rows < BIG_IMPORT
        ? java.time.Duration.ZERO
        : java.time.Duration.ofMillis(Math.max(5_000, rows / 20L));
  }

  private final Map<UUID, Counted> recentCounts = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Each in-flight import's recent counts, oldest first: the rate comes from them rather than from
   * a second count of the rows settled lately, which read the whole import each time.
   */
  private final Map<UUID, java.util.Deque<Settled>> settledHistory =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Counted counted(UUID id, ImportJobEntity job) {
    Instant now = clock.instant();
    java.time.Duration recount = recountEvery(Math.max(job.getRowCount(), job.getRowsRead()));
    boolean big = !recount.isZero();
    Counted cached = big ? recentCounts.get(id) : null;
    if (cached != null && cached.stillServes(job, now, recount)) {
      return cached.again();
    }
    Map<String, Integer> byOutcome = new HashMap<>();
    int settled = 0;
    for (Object[] r : rows.countByOutcome(id)) {
      int n = ((Number) r[1]).intValue();
      byOutcome.put((String) r[0], n);
      settled += ImportRowEntity.PENDING.equals(r[0]) ? 0 : n;
    }
    // a second, small count: only the rows with warnings, from their own partial index
    int warnings = (int) rows.countKeptWithWarnings(id);
    boolean inFlight =
        byOutcome.getOrDefault(ImportRowEntity.PENDING, 0) > 0 || "reading".equals(job.getState());
    Counted counted =
        new Counted(
            now,
            job.getState(),
            byOutcome,
            settled,
            warnings,
            inFlight ? rateSince(id, new Settled(now, settled), recount) : null,
            false);
    if (big && inFlight) {
      recentCounts.put(id, counted);
    } else {
      recentCounts.remove(id);
    }
    if (!inFlight) {
      settledHistory.remove(id);
    }
    // imports nobody asks about any more are forgotten
    Instant forgotten = now.minus(java.time.Duration.ofMinutes(5));
    recentCounts.values().removeIf(c -> c.at().isBefore(forgotten));
    settledHistory.values().removeIf(h -> h.isEmpty() || h.peekLast().at().isBefore(forgotten));
    return counted;
  }

  /**
   * Rows settled per second from the oldest kept count within the rate window to {@code latest},
   * which is kept for the next time; {@code null} when no count is old enough.
   */
  private Double rateSince(UUID id, Settled latest, java.time.Duration recount) {
    java.util.Deque<Settled> history =
        settledHistory.computeIfAbsent(id, k -> new java.util.ArrayDeque<>());
    synchronized (history) {
      java.time.Duration window = recount.multipliedBy(3);
      Instant oldest = latest.at().minus(window.compareTo(RATE_WINDOW) > 0 ? window : RATE_WINDOW);
      while (!history.isEmpty() && history.peekFirst().at().isBefore(oldest)) {
        history.pollFirst();
      }
      Settled from = history.peekFirst();
      history.addLast(latest);
      if (from == null || from.at().plus(RATE_MIN_SPAN).isAfter(latest.at())) {
        return null;
      }
      double seconds = java.time.Duration.between(from.at(), latest.at()).toMillis() / 1000.0;
      return Math.max(0, latest.rows() - from.rows()) / seconds;
    }
  }

  /** The columns the .xlsx report adds after the uploaded ones; ignored when it is re-uploaded. */
  static final List<String> REPORT_COLUMNS =
      List.of(
          "OneMember 处理结果 / outcome",
          "OneMember 会员 / golden member",
          "OneMember 错误原因 / error",
          "OneMember 警告 / warnings");

  /** Which rows a workbook report holds. */
  public enum RowFilter {
    /** Every row. */
    ALL("true"),
    /** The rows that were not imported: to fix and upload again. */
    REJECTED("r.outcome = 'rejected'"),
    /** The rows kept with a value left out, as {@code counts.warnings} counts them. */
    WARNINGS("r.warnings is not null and r.outcome not in ('rejected', 'pending')");

    private final String condition;

    RowFilter(String condition) {
      this.condition = condition;
    }
  }

  /**
   * The per-row report as a workbook written to {@code out}: the uploaded columns in their order,
   * then outcome, member, error and warnings. Streamed (100 rows in memory), so a million-row
   * report needs no more heap than a small one.
   */
  @Transactional(readOnly = true)
  public void rowsXlsx(UUID id, RowFilter only, java.io.OutputStream out, java.util.Set<UUID> shown)
      throws IOException {
    ImportJobEntity job = jobs.findById(id).orElseThrow(() -> ApiProblem.notFound("导入/import", id));
    List<String> headers =
        job.getHeaders() != null ? RecordJson.lines(job.getHeaders()) : firstRowKeys(id);
    try (org.apache.poi.xssf.streaming.SXSSFWorkbook book =
        new org.apache.poi.xssf.streaming.SXSSFWorkbook(100)) {
      var sheet = book.createSheet("report");
      var asText = book.createCellStyle();
      asText.setQuotePrefixed(true);
      var header = sheet.createRow(0);
      int c = 0;
      for (String h : headers) {
        header.createCell(c++).setCellValue(h);
      }
      for (String h : REPORT_COLUMNS) {
        header.createCell(c++).setCellValue(h);
      }
      int[] r = {1};
      jdbc.query(
          "select r.raw::text, r.outcome, s.member_id, r.error, r.warnings"
              + " from import_row r"
              + " left join source_record s on r.outcome <> 'rejected'"
              + "   and s.source = ? and s.source_record_id = r.source_record_id"
              + " where r.import_id = ? and "
              + only.condition
              + " order by r.row_no",
          rs -> {
            Map<String, String> cells = RecordJson.raw(rs.getString(1));
            var row = sheet.createRow(r[0]++);
            int col = 0;
            for (String h : headers) {
              String v = cells.get(h);
              if (v != null) {
                var cell = row.createCell(col);
                cell.setCellValue(v);
                if (ExportCells.risky(v)) {
                  // shown as the text it is, also after the cell is edited, and read back as such
                  cell.setCellStyle(asText);
                }
              }
              col++;
            }
            row.createCell(col++).setCellValue(outcomeText(rs.getString(2)));
            String member = rs.getString(3);
            if (member != null) {
              row.createCell(col).setCellValue(member);
              shown.add(UUID.fromString(member));
            }
            col++;
            String error = rs.getString(4);
            if (error != null) {
              row.createCell(col).setCellValue(error);
            }
            col++;
            String warnings = rs.getString(5);
            if (warnings != null) {
              row.createCell(col).setCellValue(warnings);
            }
          },
          job.getSource(),
          id);
      book.write(out);
    }
  }

  /** An outcome in both languages, for store staff. */
  private static String outcomeText(String outcome) {
    return switch (outcome) {
      case "created" -> "新建会员 / created";
      case "merged" -> "并入已有会员 / merged";
      case "updated" -> "已更新 / updated";
      case "unchanged" -> "无变化 / unchanged";
      case "rejected" -> "未导入，请修改后重新上传 / rejected: fix and upload again";
      case "pending" -> "处理中 / pending";
      default -> outcome;
    };
  }

  /** Header order for imports older than V15: the keys of the first row. */
  private List<String> firstRowKeys(UUID id) {
    List<String> raw =
        jdbc.queryForList(
            "select raw::text from import_row where import_id = ? order by row_no limit 1",
            String.class,
            id);
    return raw.isEmpty() ? List.of() : List.copyOf(RecordJson.raw(raw.get(0)).keySet());
  }

  /**
   * The per-row report as CSV: {@code row,source_record_id,outcome,member_id,error,warnings}. The
   * member is read through the source record at the time of the request, so it names the member the
   * row belongs to now, after any later merges. {@code warnings} came last (V20) so that readers of
   * the first five columns by position read on unchanged.
   */
  @Transactional(readOnly = true)
  public void rowsCsv(UUID id, java.io.Writer out, java.util.Set<UUID> shown) throws IOException {
    ImportJobEntity job = jobs.findById(id).orElseThrow(() -> ApiProblem.notFound("导入/import", id));
    try (CSVPrinter csv =
        CSVFormat.DEFAULT
            .builder()
            .setHeader("row", "source_record_id", "outcome", "member_id", "error", "warnings")
            .setRecordSeparator("\n")
            .get()
            .print(out)) {
      jdbc.query(
          "select r.row_no, r.source_record_id, r.outcome, s.member_id, r.error, r.warnings"
              + " from import_row r"
              + " left join source_record s on r.outcome <> 'rejected'"
              + "   and s.source = ? and s.source_record_id = r.source_record_id"
              + " where r.import_id = ? order by r.row_no",
          rs -> {
            String member = rs.getString(4);
            if (member != null) {
              shown.add(UUID.fromString(member));
            }
            try {
              csv.printRecord(
                  rs.getInt(1),
                  ExportCells.neutral(rs.getString(2)),
                  rs.getString(3),
                  rs.getString(4),
                  ExportCells.neutral(rs.getString(5)),
                  ExportCells.neutral(rs.getString(6)));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          },
          job.getSource(),
          id);
    }
  }
}
