package com.onemember.hub.imports;

import com.onemember.api.model.ImportJob;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/imports/{id}/progress}: the import's status as server-sent events, once a
 * second until it completes. Written by hand (the contract declares it under the tag {@code
 * import-progress}): a generated interface cannot return a stream.
 */
@RestController
class ImportProgressStream {

  private static final long TIMEOUT_MILLIS = 6 * 60 * 60 * 1000L;

  private final ImportReport report;
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "import-progress");
            t.setDaemon(true);
            return t;
          });

  ImportProgressStream(ImportReport report) {
    this.report = report;
  }

  @GetMapping(path = "/api/v1/imports/{id}/progress", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter progress(@PathVariable("id") UUID id) {
    report.status(id); // 404 before the stream opens
    SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
    ScheduledFuture<?>[] tick = new ScheduledFuture<?>[1];
    tick[0] =
        ticks.scheduleAtFixedRate(
            () -> {
              try {
                ImportJob job = report.status(id);
                boolean done = !ImportReport.inFlight(job);
                emitter.send(
                    SseEmitter.event()
                        .name(done ? "completed" : "progress")
                        .id(Integer.toString(job.getProgress().getProcessed()))
                        .data(job, MediaType.APPLICATION_JSON));
                if (done) {
                  emitter.complete();
                  tick[0].cancel(false);
                }
              } catch (IOException | RuntimeException e) {
                // the client went away, or the hub is stopping
                emitter.completeWithError(e);
                tick[0].cancel(false);
              }
            },
            // the first tick only after tick[0] is set
            50,
            1000,
            TimeUnit.MILLISECONDS);
    emitter.onCompletion(() -> tick[0].cancel(false));
    emitter.onTimeout(() -> tick[0].cancel(false));
    return emitter;
  }
}
