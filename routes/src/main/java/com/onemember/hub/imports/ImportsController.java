package com.onemember.hub.imports;

import com.onemember.api.model.ColumnChoice;
import com.onemember.api.model.ImportJob;
import com.onemember.api.model.ImportJobPage;
import com.onemember.api.model.ImportPreview;
import com.onemember.api.model.ImportRollback;
import com.onemember.api.model.ImportStatus;
import com.onemember.api.model.MappingChoices;
import com.onemember.api.model.MappingTemplate;
import com.onemember.api.model.MemberFieldChoice;
import com.onemember.api.model.PreviewConfirmation;
import com.onemember.api.model.RollbackRequest;
import com.onemember.api.server.ImportsApi;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.rollback.ImportRollbacks;
import com.onemember.mdm.stewardship.StewardshipRefused;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code /api/v1/imports}, as the OpenAPI contract defines it. */
@RestController
class ImportsController implements ImportsApi {

  private final ImportService imports;
  private final ImportReport report;
  private final ImportRollbacks rollbacks;
  private final ImportPreviews previews;
  private final MappingTemplates templates;
  private final com.onemember.hub.privacy.AccessLog accessLog;

  ImportsController(
      ImportService imports,
      ImportReport report,
      ImportRollbacks rollbacks,
      ImportPreviews previews,
      MappingTemplates templates,
      com.onemember.hub.privacy.AccessLog accessLog) {
    this.accessLog = accessLog;
    this.previews = previews;
    this.templates = templates;
    this.imports = imports;
    this.report = report;
    this.rollbacks = rollbacks;
  }

  @Override
  public ResponseEntity<ImportJob> createImport(MultipartFile file, String source, String sheet) {
    return withUpload(
        file,
        upload -> {
          ImportService.Started started =
              imports.begin(source, file.getOriginalFilename(), upload, sheet, Map.of());
          return answer(started);
        });
  }

  /** 202 for a new import; 200 with the first import when the same file came again. */
  private ResponseEntity<ImportJob> answer(ImportService.Started started) {
    return ResponseEntity.status(started.repeat() ? HttpStatus.OK : HttpStatus.ACCEPTED)
        .body(report.status(started.id()));
  }

  @Override
  public ResponseEntity<ImportPreview> createImportPreview(
      MultipartFile file, String source, String sheet) {
    return withUpload(
        file,
        upload ->
            ResponseEntity.status(HttpStatus.CREATED)
                .body(previews.create(source, file.getOriginalFilename(), upload, sheet)));
  }

  @Override
  public ResponseEntity<ImportPreview> getImportPreview(UUID previewId) {
    return ResponseEntity.ok(previews.get(previewId));
  }

  @Override
  public ResponseEntity<ImportPreview> correctImportPreviewMapping(
      UUID previewId, MappingChoices choices) {
    return ResponseEntity.ok(previews.correct(previewId, choices.getMapping()));
  }

  @Override
  public ResponseEntity<ImportJob> confirmImportPreview(
      UUID previewId, PreviewConfirmation confirmation) {
    boolean save = confirmation != null && Boolean.TRUE.equals(confirmation.getSaveAsTemplate());
    return answer(previews.confirm(previewId, save, actor()));
  }

  @Override
  public ResponseEntity<MappingTemplate> getMappingTemplate(String source) {
    return ResponseEntity.ok(
        shown(
            templates
                .get(source)
                .orElseThrow(() -> ApiProblem.notFound("映射模板/mapping template", source))));
  }

  @Override
  public ResponseEntity<MappingTemplate> putMappingTemplate(String source, MappingChoices choices) {
    Map<String, String> mapping = ImportPreviews.choices(choices.getMapping());
    if (mapping.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "invalid-mapping",
          "模板至少要有一列 / a template needs at least one column.");
    }
    return ResponseEntity.ok(shown(templates.save(source, mapping, actor())));
  }

  @Override
  public ResponseEntity<Void> deleteMappingTemplate(String source) {
    if (!templates.delete(source)) {
      throw ApiProblem.notFound("映射模板/mapping template", source);
    }
    return ResponseEntity.noContent().build();
  }

  private static MappingTemplate shown(MappingTemplates.Template t) {
    MappingTemplate out =
        new MappingTemplate()
            .source(t.source())
            .updatedAt(t.updatedAt().atOffset(ZoneOffset.UTC))
            .updatedBy(t.updatedBy());
    t.mapping()
        .forEach(
            (header, field) ->
                out.addMappingItem(
                    new ColumnChoice()
                        .header(header)
                        .field(MemberFieldChoice.fromValue(field))
                        .decidedBy(ColumnChoice.DecidedByEnum.TEMPLATE)));
    return out;
  }

  private static String actor() {
    return SecurityContextHolder.getContext().getAuthentication().getName();
  }

  /**
   * Runs {@code use} with the upload in a file of its own, deleted afterwards: a big upload is
   * never held in memory, and the multipart machinery's own temporary file may go at any time.
   */
  private static <T> T withUpload(MultipartFile file, java.util.function.Function<Path, T> use) {
    Path upload;
    try {
      upload = Files.createTempFile("onemember-upload-", ".part");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      try {
        file.transferTo(upload);
      } catch (IOException e) {
        throw new ApiProblem(
            HttpStatus.BAD_REQUEST,
            "upload-broken",
            "上传中断，请重新上传 / The upload was cut off; send the file again.");
      }
      return use.apply(upload);
    } finally {
      ImportStaging.deleteQuietly(upload);
    }
  }

  @Override
  public ResponseEntity<ImportJobPage> listImports(
      String source,
      ImportStatus status,
      OffsetDateTime from,
      OffsetDateTime to,
      String after,
      Integer limit) {
    return ResponseEntity.ok(
        report.list(
            source,
            status,
            from == null ? null : from.toInstant(),
            to == null ? null : to.toInstant(),
            after,
            limit == null ? 50 : limit));
  }

  @Override
  public ResponseEntity<ImportJob> getImport(UUID id) {
    return ResponseEntity.ok(report.status(id));
  }

  @Override
  public ResponseEntity<Resource> getImportRows(UUID id) {
    java.util.Set<UUID> shown = new java.util.LinkedHashSet<>();
    ResponseEntity<Resource> file =
        fileResponse(
            // the CSV printer flushes and closes the writer when it is done
            out ->
                report.rowsCsv(
                    id, new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), shown),
            new MediaType("text", "csv", StandardCharsets.UTF_8),
            "import-" + id + "-rows.csv");
    // the rows' errors and warnings quote the cells they are about
    accessLog.read(shown, "getImportRows");
    return file;
  }

  @Override
  public ResponseEntity<Resource> getImportReportXlsx(UUID id, String only) {
    ImportReport.RowFilter filter;
    if (only == null) {
      filter = ImportReport.RowFilter.ALL;
    } else if (only.equals("rejected")) {
      filter = ImportReport.RowFilter.REJECTED;
    } else if (only.equals("warnings")) {
      filter = ImportReport.RowFilter.WARNINGS;
    } else {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "invalid-filter",
          "only 只能是 rejected 或 warnings / 'only' may only be 'rejected' or 'warnings'.");
    }
    java.util.Set<UUID> shown = new java.util.LinkedHashSet<>();
    ResponseEntity<Resource> file =
        fileResponse(
            out -> report.rowsXlsx(id, filter, out, shown),
            MediaType.parseMediaType(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "import-" + id + (only != null ? "-" + only : "") + ".xlsx");
    // the workbook gives the uploaded cells back
    accessLog.read(shown, "getImportReportXlsx");
    return file;
  }

  /** Writes a report. */
  private interface ReportWriter {
    void write(java.io.OutputStream out) throws IOException;
  }

  /**
   * A report written to a temporary file first, not to a byte array: a million-row report stays off
   * the heap, and a failure while writing it is still an error answer, not a cut-off download. The
   * file is deleted when the response has been read from it.
   */
  private static ResponseEntity<Resource> fileResponse(
      ReportWriter writer, MediaType type, String fileName) {
    try {
      Path file = Files.createTempFile("import-report-", ".tmp");
      try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
        writer.write(out);
      } catch (RuntimeException | IOException e) {
        Files.deleteIfExists(file);
        throw e;
      }
      long size = Files.size(file);
      var in = Files.newInputStream(file, java.nio.file.StandardOpenOption.DELETE_ON_CLOSE);
      return ResponseEntity.ok()
          .contentType(type)
          .contentLength(size)
          .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
          .body(new org.springframework.core.io.InputStreamResource(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ResponseEntity<ImportRollback> rollbackImport(UUID id, RollbackRequest request) {
    String reason = request.getReason() == null ? "" : request.getReason().trim();
    if (reason.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "reason-required",
          "请写明回滚原因 / a reason is required, for the auditors.");
    }
    String actor = actor();
    ImportRollbacks.Result done;
    try {
      done = rollbacks.rollback(id, actor, reason);
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "cannot-roll-back");
    }
    return ResponseEntity.ok(
        new ImportRollback()
            .importId(done.importId())
            .rolledBackAt(done.rolledBackAt().atOffset(ZoneOffset.UTC))
            .rolledBackBy(actor)
            .membersRestored(done.restored())
            .membersWithdrawn(done.withdrawn())
            .recordsRemoved(done.recordsRemoved())
            .recordsRestored(done.recordsRestored())
            .mergesUndone(done.mergesUndone())
            .reviewsWithdrawn(done.reviewsWithdrawn())
            .recordsKept(done.recordsKept()));
  }
}
