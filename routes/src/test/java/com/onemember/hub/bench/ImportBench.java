package com.onemember.hub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.onemember.hub.support.HubInfrastructure;
import com.onemember.mdm.store.RecordJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * How fast the hub imports a big member file, and what it costs in memory. Writes a seeded member
 * export ({@link MemberFile}: GBK CSV or streaming .xlsx, 15% of its rows an earlier person typed
 * differently), starts the packaged hub ({@code routes/target/onemember-hub.jar}) as its own
 * process with the given {@code -Xmx} against a durable PostgreSQL of its own (fsync,
 * synchronous_commit and full_page_writes on, printed) and the Artemis broker of {@link
 * HubInfrastructure}, uploads the file as a browser does (multipart POST /api/v1/imports, streamed
 * from disk, so the bench's heap never holds it) and polls the import every second.
 *
 * <p>Two phases are timed from the start of the upload. Parse and stage: until the import's status
 * is no longer {@code READING}, in the upload's answer or a later poll (a hub that stages every row
 * before it answers, as the hub did before {@code READING} existed, answers {@code PROCESSING} and
 * the phase ends with the answer). Whole import, in mode {@code full}: until it is {@code
 * COMPLETED}. Polling makes both accurate to about a second. Meanwhile the hub's memory is sampled
 * every second: peak RSS from {@code VmHWM} in {@code /proc/<pid>/status}, heap in use
 * (S0U+S1U+EU+OU, garbage included) and old generation in use from one {@code jstat -gc <pid> 1000}
 * of the running JDK, which reads the hub's perf counters without attaching to it. Each phase also
 * reports the cores the hub kept busy and those the rest of the machine did (PostgreSQL, the broker
 * in the bench's JVM, the bench): on two cores they compete. The hub always stops at the end; the
 * exit status is 0 when the phase asked for finished with every row of the file accounted for, 1
 * otherwise.
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.ImportBench
 * -Dexec.args="1000000 csv 1g full"} (rows, {@code csv} or {@code xlsx}, the hub's -Xmx, {@code
 * stage} to stop once every row is read and staged or {@code full} to wait for COMPLETED; these are
 * the defaults). Rebuild the jar after changing the hub: the bench prints when the one it runs was
 * built. The generated file, the hub's log and the database stay under the printed data directory.
 */
public final class ImportBench {

  static final String SOURCE = "pos-store-bench";
  static final String TOKEN = "bench-admin-token-91c4d7";
  static final long SEED = 20_260_301L;

  private static final Duration HUB_START = Duration.ofMinutes(3);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(30);

  /** No change in the import's progress for this long ends the bench as failed. */
  private static final Duration STALL = Duration.ofMinutes(10);

  private static final String READING = "READING";
  private static final String COMPLETED = "COMPLETED";

  private ImportBench() {}

  /** Where the bench stops: once the rows are staged, or once the import is complete. */
  enum Mode {
    STAGE,
    FULL
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    MemberFile.Format format = MemberFile.Format.of(args.length > 1 ? args[1] : "csv");
    String heap = args.length > 2 ? args[2] : "1g";
    Mode mode = args.length > 3 ? Mode.valueOf(args[3].toUpperCase(Locale.ROOT)) : Mode.FULL;
    if (rows < 1 || !heap.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException(
          "usage: ImportBench [rows] [csv|xlsx] [hub -Xmx, e.g. 1g] [stage|full]");
    }
    String machine = machine();
    System.out.println("machine: " + machine);

    // the services start before anything configures logging: keep their start-up chatter out
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    // the test broker has no dead-letter or expiry address configured, and says so
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.activemq.artemis"))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
    HubInfrastructure infra = HubInfrastructure.get();
    System.out.println("data: " + infra.dataDir());

    Path path =
        infra.dataDir().resolve("members-" + rows + "-" + format.argument + "." + format.extension);
    long generating = System.nanoTime();
    MemberFile.Written file = MemberFile.write(path, format, rows, SEED);
    double generated = (System.nanoTime() - generating) / 1e9;
    System.out.printf(
        "file: %s, %,d rows (%,d people, %,d rows repeat one), %s, written in %.1f s%n",
        file.file(),
        file.rows(),
        file.people(),
        file.repeated(),
        megabytes(file.bytes()),
        generated);
    file.repeats()
        .forEach((variant, n) -> System.out.printf("  %,9d %s%n", n, variant.description));

    Result result = new Result(rows, format, heap, mode, machine, file, generated);
    // the hub's database is made durable as production runs it (the shared test server is not)
    Path durableData = Files.createTempDirectory(infra.dataDir(), "durable-pg");
    io.zonky.test.db.postgres.embedded.EmbeddedPostgres durable =
        ConnectorBenches.durablePostgres(durableData);
    HubProcess hub = null;
    try {
      hub = startHub(infra, heap, rows, durable.getPort(), durableData);
      result.log = hub.log;
      double up = hub.awaitUp(HUB_START, Duration.ofMillis(250));
      System.out.printf("  up in %.1f s; %s%n", up, hub.footprint.now());
      hub.footprint.startJstat();
      org.springframework.jdbc.core.JdbcTemplate db =
          new org.springframework.jdbc.core.JdbcTemplate(durable.getPostgresDatabase());
      String walBefore = db.queryForObject("select pg_current_wal_lsn()::text", String.class);
      importFile(hub, file, format, mode, result);
      printStorage(db, walBefore, rows);
      if (format == MemberFile.Format.CSV && mode == Mode.FULL) {
        copyReference(durable.getPostgresDatabase(), file, result);
      }
    } catch (Exception e) {
      e.printStackTrace();
      result.failure = e.toString();
      if (hub != null) {
        hub.printLogTail(40);
      }
    } finally {
      if (hub != null) {
        hub.close();
        result.footprint = hub.footprint;
        result.outOfMemory = hub.outOfMemoryLines();
      }
      durable.close();
    }
    result.print();
    System.exit(result.ok() ? 0 : 1);
  }

  /**
   * The physical reference: PostgreSQL's own COPY of the same file into a table of its columns (all
   * text) with an index on the phone column, on the same durable database, timed from the first
   * byte to the commit. Whatever the hub does beyond this (reading, standardising, matching,
   * survivorship, history, events, the merge log) is what the ratio measures.
   */
  private static void copyReference(
      javax.sql.DataSource database, MemberFile.Written file, Result result) throws Exception {
    try (java.sql.Connection con = database.getConnection()) {
      try (var st = con.createStatement()) {
        st.execute("drop table if exists copy_reference");
        st.execute(
            "create table copy_reference ("
                + String.join(
                    ", ", MemberFile.HEADERS.stream().map(h -> "\"" + h + "\" text").toList())
                + ")");
        st.execute("create index copy_reference_phone on copy_reference (\"手机号\")");
      }
      con.setAutoCommit(false);
      long start = System.nanoTime();
      long copied;
      try (var in = Files.newInputStream(file.file())) {
        copied =
            new org.postgresql.copy.CopyManager(
                    con.unwrap(org.postgresql.core.BaseConnection.class))
                .copyIn(
                    "copy copy_reference from stdin with (format csv, header true, encoding 'GBK')",
                    in);
      }
      con.commit();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "COPY reference: %,d rows into an indexed table in %.1f s, %,.0f rows/s; the whole"
              + " import took %.1f times as long%n",
          copied, seconds, copied / seconds, result.completedSeconds / seconds);
    }
  }

  /**
   * What the import wrote, per row of the file: the WAL PostgreSQL wrote from the upload to the end
   * (what a replica or a backup receives) and the size of each table the ingest fills, indexes and
   * TOAST included.
   */
  private static void printStorage(
      org.springframework.jdbc.core.JdbcTemplate db, String walBefore, int rows) {
    long wal =
        db.queryForObject(
            "select pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint",
            Long.class,
            walBefore);
    System.out.printf(
        "storage: WAL %s, %,.0f bytes per row%n", megabytes(wal), (double) wal / rows);
    for (String table :
        List.of(
            "source_record",
            "match_key",
            "member",
            "member_version",
            "golden_event",
            "golden_event_position",
            "merge_log",
            "merge_log_chain",
            "match_review",
            "import_row")) {
      long bytes =
          db.queryForObject("select pg_total_relation_size(?::regclass)", Long.class, table);
      // dead row versions: what an update after commit (event positions, merge-log seals) leaves
      long[] tuples =
          db.queryForObject(
              "select n_live_tup, n_dead_tup from pg_stat_user_tables where relname = ?",
              (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)},
              table);
      System.out.printf(
          "  %-15s %10s, %,7.0f bytes per row; %,d rows live, %,d dead%n",
          table, megabytes(bytes), (double) bytes / rows, tuples[0], tuples[1]);
    }
  }

  /** Uploads the file and follows the import until the phase {@code mode} asks for is over. */
  static void importFile(
      HubProcess hub, MemberFile.Written file, MemberFile.Format format, Mode mode, Result result)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    String fileName = "会员导出-" + file.rows() + "." + format.extension;
    HttpRequest upload =
        multipartUpload(hub.baseUrl(), file.file(), fileName, Map.of("source", SOURCE));
    System.out.printf("upload: %s as %s, source %s%n", megabytes(file.bytes()), fileName, SOURCE);

    long start = System.nanoTime();
    Footprint.Cpu uploadStart = hub.footprint.cpu();
    CompletableFuture<HttpResponse<String>> answer =
        http.sendAsync(upload, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    long nextReport = start + REPORT_EVERY.toNanos();
    HttpResponse<String> response = null;
    while (response == null) {
      try {
        response = answer.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        hub.requireAlive();
        if (System.nanoTime() >= nextReport) {
          System.out.printf(
              "  [%5.0f s] uploading, no answer yet; %s%n", seconds(start), hub.footprint.now());
          nextReport += REPORT_EVERY.toNanos();
        }
      }
    }
    long answeredAt = System.nanoTime();
    result.answerSeconds = (answeredAt - start) / 1e9;
    if (response.statusCode() != 202 && response.statusCode() != 200) {
      throw new IllegalStateException(
          "the upload was answered %d after %.1f s: %s"
              .formatted(response.statusCode(), result.answerSeconds, cut(response.body())));
    }
    JsonNode job = RecordJson.mapper().readTree(response.body());
    UUID id = UUID.fromString(job.path("id").asText());
    System.out.printf(
        "answer: %d after %.1f s, import %s, status %s%s%n",
        response.statusCode(),
        result.answerSeconds,
        id,
        status(job),
        response.statusCode() == 200
            ? " (200: the hub took it for a file it had imported before)"
            : "");

    HttpRequest poll =
        HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/api/v1/imports/" + id))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(30))
            .build();
    long now = answeredAt;
    String lastProgress = progressKey(job);
    long lastChange = now;
    long next = now;
    while (true) {
      String status = status(job);
      result.job = job;
      if (status.equals("FAILED") || status.equals("ROLLED_BACK")) {
        throw new IllegalStateException(
            "the import is %s after %.1f s: %s"
                .formatted(
                    status,
                    (now - start) / 1e9,
                    job.hasNonNull("error")
                        ? (job.path("errorCode").asText("") + " " + job.get("error").asText())
                            .strip()
                        : cut(job.toString())));
      }
      if (result.stagedSeconds < 0 && !status.equals(READING)) {
        result.stagedSeconds = (now - start) / 1e9;
        result.stagedCpu = hub.footprint.cpuSince(uploadStart);
        result.stagedJob = job;
        System.out.printf(
            "  [%5.0f s] staged: %s, %,d rows read; %s%n",
            result.stagedSeconds, status, progress(job, "rowsRead"), hub.footprint.now());
        if (mode == Mode.STAGE) {
          return;
        }
      }
      if (status.equals(COMPLETED)) {
        result.completedSeconds = (now - start) / 1e9;
        result.completedCpu = hub.footprint.cpuSince(uploadStart);
        System.out.printf(
            "  [%5.0f s] completed; %s%n", result.completedSeconds, hub.footprint.now());
        return;
      }
      if (now >= nextReport) {
        System.out.printf(
            "  [%5.0f s] %s; %s%n", (now - start) / 1e9, progressLine(job), hub.footprint.now());
        nextReport += REPORT_EVERY.toNanos() * (1 + (now - nextReport) / REPORT_EVERY.toNanos());
      }
      String key = progressKey(job);
      if (!key.equals(lastProgress)) {
        lastProgress = key;
        lastChange = now;
      } else if (now - lastChange > STALL.toNanos()) {
        throw new IllegalStateException(
            "no progress for %d minutes: %s".formatted(STALL.toMinutes(), progressLine(job)));
      }

      // a poll that took longer than the period is followed at once, not by a burst of them
      next = Math.max(next + POLL.toNanos(), System.nanoTime());
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      hub.requireAlive();
      try {
        HttpResponse<String> got = http.send(poll, HttpResponse.BodyHandlers.ofString());
        if (got.statusCode() == 200) {
          job = RecordJson.mapper().readTree(got.body());
        } else {
          System.out.printf(
              "  [%5.0f s] GET %s answered %d: %s%n",
              seconds(start), poll.uri().getPath(), got.statusCode(), cut(got.body()));
        }
      } catch (IOException e) {
        System.out.printf(
            "  [%5.0f s] GET %s failed: %s%n", seconds(start), poll.uri().getPath(), e);
      }
      now = System.nanoTime();
    }
  }

  /**
   * The multipart POST a browser or curl sends, every text part in UTF-8, with the file's bytes
   * streamed from disk between a prefix and a suffix (HubIT's {@code browserUpload} builds the same
   * request from a byte array, which a million-row file should not become).
   */
  private static HttpRequest multipartUpload(
      String baseUrl, Path file, String fileName, Map<String, String> fields) throws IOException {
    String boundary = "----onemember" + UUID.randomUUID();
    StringBuilder head = new StringBuilder();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      head.append("--")
          .append(boundary)
          .append("\r\nContent-Disposition: form-data; name=\"")
          .append(field.getKey())
          .append("\"\r\n\r\n")
          .append(field.getValue())
          .append("\r\n");
    }
    head.append("--")
        .append(boundary)
        .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
        .append(fileName)
        .append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    return HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/imports"))
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(
            HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofByteArray(
                    head.toString().getBytes(StandardCharsets.UTF_8)),
                HttpRequest.BodyPublishers.ofFile(file),
                HttpRequest.BodyPublishers.ofByteArray(
                    ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  private static String status(JsonNode job) {
    return job.path("status").asText("?");
  }

  private static long progress(JsonNode job, String field) {
    return job.path("progress").path(field).asLong();
  }

  private static long count(JsonNode job, String field) {
    return job.path("counts").path(field).asLong();
  }

  /** What changes while the import moves; equal keys a poll apart mean it did not. */
  private static String progressKey(JsonNode job) {
    return status(job)
        + "/"
        + progress(job, "rowsRead")
        + "/"
        + progress(job, "processed")
        + "/"
        + progress(job, "rejected");
  }

  private static String progressLine(JsonNode job) {
    JsonNode p = job.path("progress");
    StringBuilder line =
        new StringBuilder(
            "%s, rows read %,d of ~%,d, processed %,d, rejected %,d"
                .formatted(
                    status(job),
                    p.path("rowsRead").asLong(),
                    p.path("totalEstimate").asLong(),
                    p.path("processed").asLong(),
                    p.path("rejected").asLong()));
    if (p.hasNonNull("rowsPerSecond")) {
      line.append(", hub says %.0f rows/s".formatted(p.path("rowsPerSecond").asDouble()));
    }
    if (p.hasNonNull("etaSeconds")) {
      line.append(", eta %d s".formatted(p.path("etaSeconds").asLong()));
    }
    return line.toString();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String megabytes(long bytes) {
    return "%.1f MB".formatted(bytes / 1_048_576.0);
  }

  private static String cut(String text) {
    return text.length() <= 2_000 ? text : text.substring(0, 2_000) + "...";
  }

  /**
   * The packaged hub, configured as CrashSafetyIT starts it, on {@code databasePort} with the
   * limits raised to the file's size; its output goes to a log file beside the generated file.
   */
  private static HubProcess startHub(
      HubInfrastructure infra, String heap, int rows, int databasePort, Path databaseDir)
      throws IOException {
    List<String> arguments = new ArrayList<>(infra.hubArguments("import-hub"));
    arguments.removeIf(a -> a.startsWith("--spring.datasource.url="));
    arguments.add(
        "--spring.datasource.url=jdbc:postgresql://localhost:" + databasePort + "/postgres");
    arguments.addAll(hubLimits(rows));
    return HubProcess.start(
        List.of("-Xmx" + heap),
        com.onemember.hub.support.ChildJvm.packagedJar("onemember-hub.jar"),
        arguments,
        infra.dataDir().resolve("import-hub.log"),
        databaseDir);
  }

  /**
   * What the bench asks of a hub that imports its file: its admin token, no tag sweep and no drop
   * folder meanwhile, and room for {@code rows} rows.
   */
  static List<String> hubLimits(int rows) {
    return List.of(
        "--onemember.security.admin-token=" + TOKEN,
        "--onemember.tags.sweep-period=1000d",
        "--onemember.imports.drop-folder=",
        "--onemember.imports.max-rows=" + rows,
        "--onemember.imports.max-file-size=1GB");
  }

  /** Cores, processor, memory, Java and OS, as far as this machine tells them. */
  static String machine() {
    String cpu = Footprint.procField(Path.of("/proc/cpuinfo"), "model name");
    String memory = Footprint.procField(Path.of("/proc/meminfo"), "MemTotal");
    return "%d cores%s%s, Java %s (%s), %s %s"
        .formatted(
            Runtime.getRuntime().availableProcessors(),
            cpu == null ? "" : " (" + cpu + ")",
            memory == null
                ? ""
                : ", %.1f GB memory"
                    .formatted(Long.parseLong(memory.split("\\s+")[0]) / 1_048_576.0),
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            System.getProperty("os.name"),
            System.getProperty("os.version"));
  }

  /** Everything the summary reports; the timings are seconds from the start of the upload. */
  static final class Result {

    final int rows;
    final MemberFile.Format format;
    final String heap;
    final Mode mode;
    final String machine;
    final MemberFile.Written file;
    final double generated;

    Path log;
    double answerSeconds = -1;
    double stagedSeconds = -1;
    double completedSeconds = -1;
    String stagedCpu;
    String completedCpu;
    JsonNode stagedJob;
    JsonNode job;
    Footprint footprint;
    long outOfMemory;
    String failure;

    Result(
        int rows,
        MemberFile.Format format,
        String heap,
        Mode mode,
        String machine,
        MemberFile.Written file,
        double generated) {
      this.rows = rows;
      this.format = format;
      this.heap = heap;
      this.mode = mode;
      this.machine = machine;
      this.file = file;
      this.generated = generated;
    }

    /** Why the run does not count, or null when it does. */
    String problem() {
      String memory =
          outOfMemory > 0
              ? "the hub ran out of memory (%d log lines name an OutOfMemoryError)"
                  .formatted(outOfMemory)
              : null;
      if (failure != null) {
        return memory == null ? failure : failure + "; " + memory;
      }
      if (stagedSeconds < 0) {
        return "the rows were never staged";
      }
      if (progress(stagedJob, "rowsRead") != rows) {
        return "the hub read %,d rows of the file's %,d"
            .formatted(progress(stagedJob, "rowsRead"), rows);
      }
      if (mode == Mode.FULL) {
        if (completedSeconds < 0) {
          return "the import never completed";
        }
        long settled =
            Stream.of("created", "merged", "updated", "unchanged", "rejected")
                .mapToLong(f -> count(job, f))
                .sum();
        if (count(job, "rows") != rows || settled != rows) {
          return "the completed import counts %,d rows, %,d of them settled, of the file's %,d"
              .formatted(count(job, "rows"), settled, rows);
        }
      }
      return memory;
    }

    boolean ok() {
      return problem() == null;
    }

    void print() {
      System.out.println();
      System.out.println("== import bench ==");
      line("machine", machine);
      line(
          "file",
          "%,d rows, %s, %s (%,d rows repeat an earlier person), written in %.1f s"
              .formatted(
                  rows,
                  switch (format) {
                    case CSV -> "csv (GBK)";
                    case XLSX -> "xlsx (inline strings)";
                    case XLSX_SHARED -> "xlsx (shared strings, as Excel saves)";
                  },
                  megabytes(file.bytes()),
                  file.repeated(),
                  generated));
      line("hub", "-Xmx" + heap + ", mode " + mode.name().toLowerCase(Locale.ROOT));
      if (answerSeconds >= 0) {
        line("upload answered", "%.1f s".formatted(answerSeconds));
      }
      if (stagedSeconds >= 0) {
        line(
            "parse+stage",
            "%.1f s, %,.0f rows/s (upload start -> status no longer READING: %s)"
                .formatted(stagedSeconds, rows / stagedSeconds, status(stagedJob)));
      }
      if (stagedCpu != null) {
        line("  cpu", stagedCpu);
      }
      if (completedSeconds >= 0) {
        line(
            "whole import",
            "%.1f s, %,.0f rows/s (upload start -> COMPLETED); after staging %.1f s, %,.0f rows/s"
                .formatted(
                    completedSeconds,
                    rows / completedSeconds,
                    completedSeconds - stagedSeconds,
                    rows / Math.max(0.001, completedSeconds - stagedSeconds)));
        if (completedCpu != null) {
          line("  cpu", completedCpu);
        }
      }
      if (footprint != null) {
        if (footprint.peakHeap >= 0) {
          line(
              "peak heap used",
              "%,d MB of -Xmx%s (garbage included; old gen peak %,d MB, last committed %,d MB),"
                      .formatted(
                          footprint.peakHeap >> 10,
                          heap,
                          footprint.peakOld >> 10,
                          footprint.committed >> 10)
                  + " %d full GCs, %.1f s in GC".formatted(footprint.fullGcs, footprint.gcSeconds));
        } else {
          line(
              "peak heap used",
              footprint.jstatProblem == null ? "no samples" : footprint.jstatProblem);
        }
        line(
            "peak RSS",
            "%,d MB (VmHWM), %,d MB at the end (VmRSS)"
                .formatted(footprint.peakRss >> 10, footprint.rss >> 10));
      }
      if (job != null) {
        line(
            "counts",
            "rows %,d: created %,d, merged %,d, updated %,d, unchanged %,d, rejected %,d, pending %,d (%s)"
                .formatted(
                    count(job, "rows"),
                    count(job, "created"),
                    count(job, "merged"),
                    count(job, "updated"),
                    count(job, "unchanged"),
                    count(job, "rejected"),
                    count(job, "pending"),
                    status(job)));
      }
      if (log != null) {
        line("hub log", log.toString());
      }
      String problem = problem();
      line("result", problem == null ? "OK" : "FAILED: " + problem);
    }

    private static void line(String name, String value) {
      System.out.printf("%-16s %s%n", name + ":", value);
    }
  }
}
