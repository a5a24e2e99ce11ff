package com.onemember.hub.imports;

import com.onemember.api.model.ImportJob;
import com.onemember.api.model.ImportRollback;
import com.onemember.api.model.RollbackRequest;
import com.onemember.api.server.ImportsApi;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.rollback.ImportRollbacks;
import com.onemember.mdm.stewardship.StewardshipRefused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.core.io.ByteArrayResource;
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

  ImportsController(ImportService imports, ImportReport report, ImportRollbacks rollbacks) {
    this.imports = imports;
    this.report = report;
    this.rollbacks = rollbacks;
  }

  @Override
  public ResponseEntity<ImportJob> createImport(MultipartFile file, String source, String sheet) {
    byte[] content;
    try {
      content = file.getBytes();
    } catch (IOException e) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "upload-broken",
          "上传中断，请重新上传 / The upload was cut off; send the file again.");
    }
    ImportService.Started started =
        imports.begin(source, file.getOriginalFilename(), content, sheet);
    // the same file from the same source again: its first import, as it stands (200, not 202)
    return ResponseEntity.status(started.repeat() ? HttpStatus.OK : HttpStatus.ACCEPTED)
        .body(report.status(started.id()));
  }

  @Override
  public ResponseEntity<ImportJob> getImport(UUID id) {
    return ResponseEntity.ok(report.status(id));
  }

  @Override
  public ResponseEntity<Resource> getImportRows(UUID id) {
    byte[] csv = report.rowsCsv(id).getBytes(StandardCharsets.UTF_8);
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
        .header("Content-Disposition", "attachment; filename=\"import-" + id + "-rows.csv\"")
        .body(new ByteArrayResource(csv));
  }

  @Override
  public ResponseEntity<Resource> getImportReportXlsx(UUID id, String only) {
    if (only != null && !only.equals("rejected")) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "invalid-filter",
          "only 只能是 rejected / 'only' may only be 'rejected'.");
    }
    try {
      // a temporary file, not a byte array: a million-row report stays off the heap
      java.nio.file.Path file = java.nio.file.Files.createTempFile("import-report-", ".xlsx");
      try (var out = java.nio.file.Files.newOutputStream(file)) {
        report.rowsXlsx(id, only != null, out);
      } catch (RuntimeException | IOException e) {
        java.nio.file.Files.deleteIfExists(file);
        throw e;
      }
      long size = java.nio.file.Files.size(file);
      // deleted when the response has been read from it
      var in =
          java.nio.file.Files.newInputStream(
              file, java.nio.file.StandardOpenOption.DELETE_ON_CLOSE);
      return ResponseEntity.ok()
          .contentType(
              MediaType.parseMediaType(
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
          .contentLength(size)
          .header(
              "Content-Disposition",
              "attachment; filename=\"import-" + id + (only != null ? "-rejected" : "") + ".xlsx\"")
          .body(new org.springframework.core.io.InputStreamResource(in));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
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
    String actor = SecurityContextHolder.getContext().getAuthentication().getName();
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
            .reviewsWithdrawn(done.reviewsWithdrawn()));
  }
}
