package com.onemember.hub.imports;

import com.onemember.api.model.ImportJob;
import com.onemember.api.model.ImportStatus;
import com.onemember.hub.HubProperties;
import com.onemember.hub.api.ApiProblem;
import com.onemember.hub.camel.ErrorHandling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The drop folder ({@code onemember.imports.drop-folder}): a file put into {@code
 * <folder>/<source>/} is imported for that source like an upload. Once every row is settled it
 * moves to {@code <source>/done/} with {@code <file>.report.xlsx} beside it (the store's columns
 * plus outcome, member and error, ready to fix and drop again); a file that cannot be read at all
 * moves to {@code <source>/failed/} with {@code <file>.error.txt} saying why. Files still being
 * written are left alone until they have not changed for two seconds.
 */
@Component
class DropFolderRoute extends RouteBuilder {

  private static final Logger log = LoggerFactory.getLogger(DropFolderRoute.class);
  private static final Duration LONGEST_IMPORT = Duration.ofHours(6);

  private final HubProperties properties;
  private final ImportService imports;
  private final ImportReport report;

  DropFolderRoute(HubProperties properties, ImportService imports, ImportReport report) {
    this.properties = properties;
    this.imports = imports;
    this.report = report;
  }

  /** Moves a file that could not be imported to failed/, with why beside it. */
  private static void fail(Path file, String code, String message) throws IOException {
    Path dir = file.getParent();
    String name = file.getFileName().toString();
    Path failed = Files.createDirectories(dir.resolve("failed"));
    Files.move(file, failed.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(
        failed.resolve(name + ".error.txt"), // small: written in one go
        "无法导入 / Not imported (" + Instant.now() + "):\n" + message + "\n",
        StandardCharsets.UTF_8);
    log.warn("Drop folder: {} from {} could not be read ({})", name, dir.getFileName(), code);
  }

  @Override
  public void configure() {
    String folder = properties.imports().dropFolder();
    if (folder == null || folder.isBlank()) {
      return;
    }
    Path root = Path.of(folder).toAbsolutePath();
    // exactly <root>/<source>/<file>: done/ and failed/ lie one level deeper and are not read;
    // the file is moved by this route, so Camel itself leaves it where it is (noop)
    from("file:"
            + root
            + "?recursive=true&minDepth=2&maxDepth=2&noop=true&idempotent=false"
            + "&include=(?i).*\\.(csv|xlsx)&readLock=changed&readLockMinAge=2000&delay=2000")
        .routeId("import-drop-folder")
        // a file the route could not settle (the database down, a move refused) stays where it
        // is and is read again at the next poll
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(this::importFile);
  }

  private void importFile(Exchange exchange) throws IOException {
    Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
    Path dir = file.getParent();
    String source = dir.getFileName().toString();
    String name = file.getFileName().toString();
    UUID id;
    try {
      id = imports.begin(source, name, file, null, java.util.Map.of()).id();
    } catch (ApiProblem e) {
      fail(file, e.code(), e.getMessage());
      return;
    }
    Instant deadline = Instant.now().plus(LONGEST_IMPORT);
    ImportJob job = report.status(id);
    while (ImportReport.inFlight(job) && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // the hub is stopping: the file stays and is picked up again (a re-import is
        // harmless)
      }
      job = report.status(id);
    }
    if (job.getStatus() == ImportStatus.FAILED) {
      fail(file, job.getErrorCode(), job.getError());
      return;
    }
    Path done = Files.createDirectories(dir.resolve("done"));
    Files.move(file, done.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    // written beside it under a temporary name and then renamed: whoever waits for the report
    // never reads half of it
    Path partial = done.resolve(name + ".report.xlsx.part");
    try (var out = Files.newOutputStream(partial)) {
      // written beside the file for the operator who dropped it: no caller to log
      report.rowsXlsx(id, ImportReport.RowFilter.ALL, out, new java.util.HashSet<>());
    }
    Files.move(
        partial,
        done.resolve(name + ".report.xlsx"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    log.info(
        "Drop folder: {} from {} imported as {} ({} rows, {} rejected, {} with warnings)",
        name,
        source,
        id,
        job.getCounts().getRows(),
        job.getCounts().getRejected(),
        job.getCounts().getWarnings());
  }
}
