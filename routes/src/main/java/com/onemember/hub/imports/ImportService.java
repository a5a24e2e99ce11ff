package com.onemember.hub.imports;

import com.onemember.connectors.spreadsheet.ColumnMapping;
import com.onemember.connectors.spreadsheet.MemberColumns;
import com.onemember.connectors.spreadsheet.MemberField;
import com.onemember.connectors.spreadsheet.SheetStream;
import com.onemember.connectors.spreadsheet.SpreadsheetLimits;
import com.onemember.connectors.spreadsheet.SpreadsheetReader;
import com.onemember.connectors.spreadsheet.UnreadableFileException;
import com.onemember.hub.HubProperties;
import com.onemember.hub.api.ApiProblem;
import com.onemember.hub.locks.LockSession;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.trace.Correlation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts imports: checks the file and its header while the uploader waits, keeps a copy, and hands
 * the rows to {@link ImportStaging}, which stages and queues them after the upload is answered.
 */
@Service
public class ImportService {

  private static final Logger log = LoggerFactory.getLogger(ImportService.class);

  /** How a header that is to be imported as raw data only is written in a stored mapping. */
  static final String IGNORE = "IGNORE";

  private final JdbcTemplate jdbc;
  private final ImportStaging staging;
  private final PendingRows pending;
  private final MappingTemplates templates;
  private final SpreadsheetReader spreadsheets;

  /**
   * Reads on a file accepted before (at a restart, or taken over from a hub that died) without the
   * row limit: the hub that accepted it judged it, and a hub configured with a lower limit must not
   * fail it half read.
   */
  private final SpreadsheetReader acceptedFiles;

  private final Path workDir;
  private final ImportHandover handover;
  private final String reader;
  private final Clock clock;
  private final TransactionTemplate transaction;

  public ImportService(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      ImportStaging staging,
      PendingRows pending,
      ImportHandover handover,
      MappingTemplates templates,
      HubProperties properties,
      Clock clock) {
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
    this.staging = staging;
    this.pending = pending;
    this.handover = handover;
    this.templates = templates;
    this.spreadsheets =
        new SpreadsheetReader(new SpreadsheetLimits(properties.imports().maxRows(), 32_767));
    this.acceptedFiles = new SpreadsheetReader(new SpreadsheetLimits(Integer.MAX_VALUE, 32_767));
    this.workDir = staging.workDir();
    this.reader = staging.reader();
    this.clock = clock;
  }

  /**
   * Reads {@code content} as a member list from {@code source} and queues its rows; for files small
   * enough to hold (the demo's).
   *
   * @return the new import's id
   * @throws ApiProblem 422 when the file cannot be read as a member list at all
   */
  public UUID start(String source, String fileName, byte[] content) {
    try {
      Path file = Files.createTempFile("onemember-upload-", ".part");
      try {
        Files.write(file, content);
        return begin(source, fileName, file, null, Map.of()).id();
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An import as started: its id, and whether it is an earlier import of the same file from the
   * same source, answered instead of reading the file again.
   */
  public record Started(UUID id, boolean repeat) {}

  /**
   * Checks {@code upload} and starts importing it; the file is copied, so the caller may delete it
   * when this returns. The same file from the same source answers with its first import, unless
   * that one was rolled back, failed, or had rows the queue did not take (then the file is imported
   * again, which is idempotent row by row).
   *
   * @param sheetName a workbook's sheet by name or number from 1; {@code null} for the first
   * @param chosen header to field name (or {@code IGNORE}) a person chose, winning over the
   *     source's mapping template, which wins over what the header names suggest
   * @throws ApiProblem 422 when the file cannot be read as a member list at all
   */
  public Started begin(
      String source, String fileName, Path upload, String sheetName, Map<String, String> chosen) {
    String sheetChoice = sheetName == null || sheetName.isBlank() ? null : sheetName.strip();
    // another sheet of the same workbook is another import: the digest names the sheet too
    UUID id = UUID.randomUUID();
    // the log lines of the upload already name the import it starts
    try (Correlation.Scope scope = Correlation.open(Correlation.ofImport(id))) {
      return begin(id, source, fileName, upload, sheetChoice, chosen);
    }
  }

  private Started begin(
      UUID id,
      String source,
      String fileName,
      Path upload,
      String sheetChoice,
      Map<String, String> chosen) {
    // the hub's copy is made first and digested as it is written: one read of the upload
    Path work = workDir.resolve(id + ".upload");
    String sha256 = keep(upload, work) + (sheetChoice == null ? "" : "#" + sheetChoice);
    UUID earlier = earlierImport(source, sha256);
    if (earlier != null) {
      ImportStaging.deleteQuietly(work);
      return new Started(earlier, true);
    }
    String shownName = fileName == null || fileName.isBlank() ? "upload" : fileName;
    SheetStream rows;
    ColumnMapping mapping;
    Map<String, String> stored = choices(source, chosen);
    try {
      rows = spreadsheets.open(work, shownName, sheetChoice);
    } catch (UnreadableFileException e) {
      ImportStaging.deleteQuietly(work);
      throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, e.code(), e.getMessage());
    }
    try {
      mapping = mapping(rows.headers(), stored);
    } catch (UnreadableFileException e) {
      rows.close();
      ImportStaging.deleteQuietly(work);
      throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      rows.close();
      ImportStaging.deleteQuietly(work);
      throw e;
    }
    UUID first;
    try {
      first =
          transaction.execute(
              status -> {
                // the same file from the same source twice at the same moment (a double click, a
                // retrying client, two hubs): one takes the lock and inserts, the other waits and
                // finds that import
                jdbc.query(
                    "select pg_advisory_xact_lock(" + LockSession.KEY_OF_NAME + ")",
                    rs -> {},
                    "import:" + source + ":" + sha256);
                UUID found = earlierImport(source, sha256);
                if (found == null) {
                  insertJob(id, source, shownName, sha256, rows, mapping, stored, work);
                }
                return found;
              });
    } catch (RuntimeException e) {
      rows.close();
      ImportStaging.deleteQuietly(work);
      throw e;
    }
    if (first != null) {
      rows.close();
      ImportStaging.deleteQuietly(work);
      return new Started(first, true);
    }
    staging.submit(new ImportStaging.Job(id, source, rows, mapping, work, 0));
    return new Started(id, false);
  }

  private void insertJob(
      UUID id,
      String source,
      String shownName,
      String sha256,
      SheetStream rows,
      ColumnMapping mapping,
      Map<String, String> stored,
      Path work) {
    jdbc.update(
        "insert into import_job (id, source, file_name, file_sha256, format, encoding, row_count,"
            + " unmapped_columns, headers, created_at, state, rows_read, sheet, work_file,"
            + " column_mapping, reader) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?,"
            + " 'reading', 0, ?, ?, ?::jsonb, ?)",
        id,
        source,
        shownName,
        sha256,
        rows.format().name(),
        rows.encoding(),
        Math.max(0, rows.rowsEstimate()),
        RecordJson.write(mapping.unmapped()),
        RecordJson.write(rows.headers()),
        Timestamp.from(clock.instant()),
        rows.sheetName(),
        work.toString(),
        RecordJson.write(stored(mapping)),
        reader);
    // no file name: store staff name files after people as often as after stores
    log.info("Import {} accepted from {}: {} ({})", id, source, rows.format(), rows.encoding());
  }

  /**
   * The mapping a file's rows are read with: the stored choices for the headers they name, the
   * headers' own names for the rest.
   */
  static ColumnMapping mapping(List<String> headers, Map<String, String> stored)
      throws UnreadableFileException {
    Map<String, MemberField> fields = new LinkedHashMap<>();
    java.util.Set<String> ignored = new java.util.HashSet<>();
    split(stored, fields, ignored);
    return MemberColumns.detect(headers, fields, ignored);
  }

  /** As {@link #mapping}, but one that identifies nobody is returned, for a preview to show. */
  static ColumnMapping suggestion(List<String> headers, Map<String, String> stored) {
    Map<String, MemberField> fields = new LinkedHashMap<>();
    java.util.Set<String> ignored = new java.util.HashSet<>();
    split(stored, fields, ignored);
    return MemberColumns.suggest(headers, fields, ignored);
  }

  private static void split(
      Map<String, String> stored, Map<String, MemberField> fields, java.util.Set<String> ignored) {
    stored.forEach(
        (header, field) -> {
          if (IGNORE.equals(field)) {
            ignored.add(header);
          } else {
            fields.put(header, MemberField.valueOf(field));
          }
        });
  }

  /** The mapping as stored with the job: every header, mapped or {@code IGNORE}. */
  static Map<String, String> stored(ColumnMapping mapping) {
    Map<String, String> stored = new LinkedHashMap<>();
    mapping.fields().forEach((header, field) -> stored.put(header, field.name()));
    mapping.unmapped().forEach(header -> stored.put(header, IGNORE));
    return stored;
  }

  /** The mapping an import's rows were read with: header to field name or {@code IGNORE}. */
  Map<String, String> mappingOf(UUID id) {
    String json =
        jdbc.queryForObject(
            "select column_mapping::text from import_job where id = ?", String.class, id);
    return json == null ? Map.of() : RecordJson.raw(json);
  }

  /**
   * Takes this hub's reader lock before the web server takes the first upload: without it, another
   * hub would take an import this hub is reading for one left by a hub that died.
   */
  @jakarta.annotation.PostConstruct
  void claimReader() {
    try {
      handover.holdOwn(reader);
    } catch (java.sql.SQLException e) {
      log.warn("Could not take this hub's import lock; the next handover check tries again", e);
    }
  }

  /**
   * Writes the hub's own copy of an upload, kept until every row of it is staged, and returns the
   * upload's SHA-256.
   */
  private String keep(Path upload, Path work) {
    try {
      Files.createDirectories(workDir);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(upload), sha)) {
        Files.copy(in, work, StandardCopyOption.REPLACE_EXISTING);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A person's choices over the source's mapping template: header to field name or IGNORE. */
  Map<String, String> choices(String source, Map<String, String> chosen) {
    Map<String, String> choices = new LinkedHashMap<>(templates.find(source));
    choices.putAll(chosen);
    return choices;
  }

  /** Opens an upload the way an import reads it (the same limits). */
  SheetStream open(Path file, String fileName, String sheet) throws UnreadableFileException {
    return spreadsheets.open(file, fileName, sheet);
  }

  /** Where the hub keeps its copies of uploads. */
  Path workDir() {
    return workDir;
  }

  private UUID earlierImport(String source, String sha256) {
    List<UUID> found =
        jdbc.queryForList(
            "select j.id from import_job j where j.source = ? and j.file_sha256 = ?"
                + " and j.rolled_back_at is null and j.state <> 'failed' and not exists"
                + " (select 1 from import_row r where r.import_id = j.id and r.error like ?)"
                + " order by j.created_at limit 1",
            UUID.class,
            source,
            sha256,
            PendingRows.QUEUE_UNAVAILABLE + "%");
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * At start-up: rows staged but not all queued are queued again, and files that were being read
   * when the hub stopped are read on from the row after the last one staged.
   */
  @EventListener(ApplicationReadyEvent.class)
  void resumeAtStartUp() {
    if (!handover.holds(reader)) {
      // another live hub runs under this reader name: resuming would read its files twice
      return;
    }
    pending.queueAll(reader);
    for (Map<String, Object> job : unfinished("reader = ? and state = 'reading'", reader)) {
      readOn(job, false);
    }
  }

  /**
   * Finishes the imports of hubs that died ({@link ImportHandover}): reads on from the kept copy of
   * a file that was being read, when this hub can reach it (a volume the hubs share), and queues
   * the rows still pending of the others.
   */
  void adoptOrphans() throws java.sql.SQLException {
    List<UUID> adopted = handover.adopt(reader);
    if (adopted.isEmpty()) {
      return;
    }
    for (UUID id : adopted) {
      try (Correlation.Scope scope = Correlation.open(Correlation.ofImport(id))) {
        List<Map<String, Object>> reading = unfinished("id = ? and state = 'reading'", id);
        if (reading.isEmpty()) {
          int queued = pending.queue(id);
          log.info("Import {}: queued {} pending rows of a hub that stopped", id, queued);
        } else {
          readOn(reading.get(0), true);
        }
      } catch (RuntimeException e) {
        // this hub is its reader now: its next start queues what is pending, and reads on
        log.warn("Import {}: taken over from a hub that stopped, but not finished yet", id, e);
      }
    }
  }

  private List<Map<String, Object>> unfinished(String condition, Object argument) {
    return jdbc.queryForList(
        "select id, source, file_name, sheet, work_file, column_mapping::text as mapping"
            + " from import_job where "
            + condition
            + " order by created_at",
        argument);
  }

  /**
   * Reads a file on after its last staged row, from the copy kept when it was accepted.
   *
   * @param adopted whether the file was being read by another hub, which stopped
   */
  private void readOn(Map<String, Object> job, boolean adopted) {
    UUID id = (UUID) job.get("id");
    String file = (String) job.get("work_file");
    if (file == null || !Files.isRegularFile(Path.of(file))) {
      if (adopted) {
        staging.unreachable(id);
      } else {
        staging.lost(id);
      }
      return;
    }
    SheetStream rows = null;
    try {
      rows =
          acceptedFiles.open(
              Path.of(file), (String) job.get("file_name"), (String) job.get("sheet"));
      Map<String, String> stored = RecordJson.raw((String) job.get("mapping"));
      ColumnMapping mapping = mapping(rows.headers(), stored);
      int skip = staging.staged(id);
      log.info(
          "Import {}: reading on after row {}, where {}",
          id,
          skip,
          adopted ? "a hub that stopped left it" : "the hub stopped");
      staging.submit(
          new ImportStaging.Job(
              id, (String) job.get("source"), rows, mapping, Path.of(file), skip));
    } catch (UnreadableFileException | RuntimeException e) {
      log.warn("Import {} could not be resumed", id, e);
      if (rows != null) {
        rows.close();
      }
      staging.lost(id);
      ImportStaging.deleteQuietly(Path.of(file));
    }
  }
}
