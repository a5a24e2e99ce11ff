package com.onemember.hub.bench;

import com.onemember.hub.support.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The packaged hub in a JVM of its own, as a user starts it ({@code java [options] -jar jar
 * [arguments]}), its output in a log file, its memory and CPU followed by a {@link Footprint}. The
 * benches that need the real jar (ImportBench, StartupBench) start it through this.
 */
final class HubProcess implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  final Process process;
  final Path log;
  final int port;
  final Footprint footprint;

  /** {@link System#nanoTime()} just before the process was launched. */
  final long launched;

  private HubProcess(Process process, long launched, Path log, int port, Path databaseDir) {
    this.process = process;
    this.launched = launched;
    this.log = log;
    this.port = port;
    this.footprint = new Footprint(process.pid(), databaseDir);
  }

  /**
   * Launches {@code java jvmOptions -jar jar arguments --server.port=port} with the bench's own
   * JDK. {@code -Dbench.hub-jvm="..."} adds JVM options to every hub a bench starts, e.g. {@code
   * -XX:StartFlightRecording=filename=/tmp/hub.jfr} to profile it.
   *
   * @param databaseDir the PostgreSQL data directory whose server's CPU the footprint reports
   */
  static HubProcess start(
      List<String> jvmOptions, Path jar, List<String> arguments, Path log, Path databaseDir)
      throws IOException {
    int port = ChildJvm.freePort();
    List<String> command = new ArrayList<>(jvmOptions);
    String extra = System.getProperty("bench.hub-jvm", "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(arguments);
    command.add("--server.port=" + port);
    Files.deleteIfExists(log); // each start's log on its own: a bench reads it after the run
    long launched = System.nanoTime();
    Process process = ChildJvm.start(command, log);
    System.out.printf(
        "hub: %s (built %s), pid %d, port %d%s%n  log: %s%n",
        jar,
        LocalDateTime.ofInstant(Files.getLastModifiedTime(jar).toInstant(), ZoneId.systemDefault())
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
        process.pid(),
        port,
        jvmOptions.isEmpty() ? "" : ", " + String.join(" ", jvmOptions),
        log);
    return new HubProcess(process, launched, log, port, databaseDir);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Waits for the first 200 of {@code /actuator/health}, asking every {@code poll}.
   *
   * @return seconds from the launch of the process to that answer: accurate to about {@code poll}
   */
  double awaitUp(Duration atMost, Duration poll) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
            .timeout(Duration.ofSeconds(5))
            .build();
    AtomicLong upAt = new AtomicLong();
    Awaitility.await()
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(poll)
        .ignoreExceptions()
        .failFast("the hub exited while starting; see " + log, () -> !process.isAlive())
        .until(
            () -> {
              boolean up =
                  http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
              if (up) {
                upAt.set(System.nanoTime());
              }
              return up;
            });
    return (upAt.get() - launched) / 1e9;
  }

  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the hub exited with status %d; see %s".formatted(process.exitValue(), log));
    }
  }

  /** The lines of the log, or an empty list when it cannot be read. */
  List<String> logLines() {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /** The last {@code lines} lines of the hub's log, which say why it failed more often than not. */
  void printLogTail(int lines) {
    ArrayDeque<String> tail = new ArrayDeque<>(lines);
    try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
      all.forEach(
          line -> {
            if (tail.size() == lines) {
              tail.removeFirst();
            }
            tail.addLast(line);
          });
    } catch (IOException | UncheckedIOException e) {
      System.out.println("(could not read " + log + ": " + e + ")");
      return;
    }
    System.out.println("last " + tail.size() + " lines of " + log + ":");
    tail.forEach(line -> System.out.println("  | " + line));
  }

  /** Lines of the log that mention an OutOfMemoryError (the hub may go on after one). */
  long outOfMemoryLines() {
    return logLines().stream().filter(l -> l.contains("OutOfMemoryError")).count();
  }

  /** Stops the hub as an operator would (SIGTERM), then for good after {@link #STOP_GRACE}. */
  @Override
  public void close() {
    long start = System.nanoTime();
    footprint.sampleNow();
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        System.out.printf(
            "hub: still running %d s after SIGTERM, killing it%n", STOP_GRACE.toSeconds());
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    footprint.close();
    System.out.printf("hub: stopped in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }
}
