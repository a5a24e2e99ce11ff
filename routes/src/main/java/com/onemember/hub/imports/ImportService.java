package com.onemember.hub.imports;

import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.spreadsheet.ColumnMapping;
import com.onemember.connectors.spreadsheet.MemberColumns;
import com.onemember.connectors.spreadsheet.MemberRowMapper;
import com.onemember.connectors.spreadsheet.SheetRow;
import com.onemember.connectors.spreadsheet.Spreadsheet;
import com.onemember.connectors.spreadsheet.SpreadsheetLimits;
import com.onemember.connectors.spreadsheet.SpreadsheetReader;
import com.onemember.connectors.spreadsheet.UnreadableFileException;
import com.onemember.hub.HubProperties;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.store.RecordJson;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Starts imports: reads the file, records every row, queues the readable ones. */
@Service
public class ImportService {

  /** One row on its way to the queue. */
  private record Queued(int row, String json) {}

  private final EntityManager entityManager;
  private final TransactionTemplate transactions;
  private final InboundQueue inbound;
  private final SpreadsheetLimits limits;
  private final Clock clock;

  public ImportService(
      EntityManager entityManager,
      TransactionTemplate transactions,
      InboundQueue inbound,
      HubProperties properties,
      Clock clock) {
    this.entityManager = entityManager;
    this.transactions = transactions;
    this.inbound = inbound;
    this.limits = new SpreadsheetLimits(properties.imports().maxRows(), 32_767);
    this.clock = clock;
  }

  /**
   * Reads {@code content} as a member list from {@code source} and queues its rows.
   *
   * @return the new import's id
   * @throws ApiProblem 422 when the file cannot be read as a member list at all
   */
  public UUID start(String source, String fileName, byte[] content) {
    return begin(source, fileName, content, null).id();
  }

  /**
   * An import as started: its id, and whether it is an earlier import of the same file from the
   * same source, answered instead of reading the file again.
   */
  public record Started(UUID id, boolean repeat) {}

  /**
   * As {@link #start}, but the same file from the same source answers with its first import, unless
   * that one was rolled back or had rows the queue did not take (then the file is imported again,
   * which is idempotent row by row).
   */
  public Started begin(String source, String fileName, byte[] content, String sheetName) {
    String sheetChoice = sheetName == null || sheetName.isBlank() ? null : sheetName.strip();
    // another sheet of the same workbook is another import: the digest names the sheet too
    String sha256 = RecordJson.sha256(content) + (sheetChoice == null ? "" : "#" + sheetChoice);
    UUID earlier = earlierImport(source, sha256);
    if (earlier != null) {
      return new Started(earlier, true);
    }
    Spreadsheet sheet;
    ColumnMapping mapping;
    try {
      sheet = new SpreadsheetReader(limits).read(content, fileName, sheetChoice);
      mapping = MemberColumns.detect(sheet.headers());
    } catch (UnreadableFileException e) {
      throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, e.code(), e.getMessage());
    }
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    List<Queued> queued = new ArrayList<>();
    transactions.executeWithoutResult(
        status -> {
          entityManager.persist(
              new ImportJobEntity(
                  id,
                  source,
                  fileName == null ? "upload" : fileName,
                  sha256,
                  sheet.format().name(),
                  sheet.encoding(),
                  sheet.rows().size(),
                  RecordJson.write(mapping.unmapped()),
                  RecordJson.write(sheet.headers()),
                  now));
          for (SheetRow row : sheet.rows()) {
            ImportRowEntity.Key key = new ImportRowEntity.Key(id, row.number());
            String raw = RecordJson.write(row.cells());
            if (!row.problems().isEmpty()) {
              ImportRowEntity refused = new ImportRowEntity(key, null, raw);
              refused.settle(ImportRowEntity.REJECTED, String.join("; ", row.problems()), now);
              entityManager.persist(refused);
              continue;
            }
            SourceRecord record = MemberRowMapper.toSourceRecord(source, mapping, row);
            String json = RecordJson.write(record);
            entityManager.persist(new ImportRowEntity(key, record.sourceRecordId(), raw, json));
            queued.add(new Queued(row.number(), json));
          }
        });
    try {
      inbound.send(queued.stream().map(q -> new InboundQueue.Row(id, q.row(), q.json())).toList());
    } catch (InboundQueue.PartlySent e) {
      settleUnsent(id, queued.subList(e.sent, queued.size()));
      throw new ApiProblem(
          HttpStatus.SERVICE_UNAVAILABLE,
          "queue-unavailable",
          "消息队列暂时不可用，已收到的行会继续处理，其余行请稍后重新上传同一文件（不会产生重复）/ The message queue"
              + " is not reachable. Rows already queued will be processed; upload the same file"
              + " again later for the rest (it will not create duplicates). Import "
              + id);
    }
    return new Started(id, false);
  }

  private UUID earlierImport(String source, String sha256) {
    List<UUID> found =
        entityManager
            .createNativeQuery(
                "select cast(j.id as text) from import_job j where j.source = ?1"
                    + " and j.file_sha256 = ?2 and j.rolled_back_at is null and not exists"
                    + " (select 1 from import_row r where r.import_id = j.id and r.error like ?3)"
                    + " order by j.created_at limit 1")
            .setParameter(1, source)
            .setParameter(2, sha256)
            .setParameter(3, QUEUE_UNAVAILABLE + "%")
            .getResultList()
            .stream()
            .map(o -> UUID.fromString((String) o))
            .toList();
    return found.isEmpty() ? null : found.get(0);
  }

  private static final String QUEUE_UNAVAILABLE = "消息队列不可用";

  /**
   * Rows that never reached the queue are settled as rejected so that the import completes and its
   * report tells staff to send them again; nothing is left pending forever.
   */
  private void settleUnsent(UUID id, List<Queued> unsent) {
    Instant now = clock.instant();
    transactions.executeWithoutResult(
        status -> {
          for (Queued q : unsent) {
            ImportRowEntity row =
                entityManager.find(ImportRowEntity.class, new ImportRowEntity.Key(id, q.row()));
            row.settle(
                ImportRowEntity.REJECTED,
                QUEUE_UNAVAILABLE
                    + "，本行未处理，请重新上传 / The message queue was not reachable; this row was"
                    + " not processed. Upload the file again.",
                now);
          }
        });
  }
}
