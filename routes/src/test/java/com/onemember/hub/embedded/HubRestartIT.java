package com.onemember.hub.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged hub on its embedded defaults, as a separate process the way an operator runs it:
 * killed with {@code kill -9}, it comes back on the next start (the embedded PostgreSQL it left
 * running is stopped first); stopped gracefully, it logs no connection errors from its timers.
 */
class HubRestartIT {

  private static final Path JAR = Path.of("target", "onemember-hub.jar");

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> started = new java.util.ArrayList<>();
  private final List<ProcessHandle> servers = new java.util.ArrayList<>();

  @AfterEach
  void stopEverything() {
    for (Process p : started) {
      p.destroyForcibly();
    }
    for (ProcessHandle server : servers) {
      server.destroyForcibly();
    }
  }

  private Process start(Path data, int port, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-jar",
                JAR.toAbsolutePath().toString(),
                "--server.port=" + port,
                "--onemember.data-dir=" + data)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("ONEMEMBER_ADMIN_TOKEN", "restart-it-token-5d1f8c2a");
    Process p = builder.start();
    started.add(p);
    return p;
  }

  private boolean healthy(Process p, int port, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return false;
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    return false;
  }

  /** An IPv4 address of this machine other than the loopback one, if it has any. */
  private static String nonLoopbackAddress() throws IOException {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (var address : java.util.Collections.list(nic.getInetAddresses())) {
        if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress()) {
          return address.getHostAddress();
        }
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void afterKillMinus9TheNextStartComesUpAndAGracefulStopLogsNoConnectionErrors() throws Exception {
    assertThat(JAR).as("the packaged hub (mvn package runs before the ITs)").exists();
    Path work = Files.createTempDirectory("onemember-restart-it");
    Path data = work.resolve("data");
    Path firstLog = work.resolve("first.log");
    int port = freePort();
    Process first = start(data, port, firstLog);
    assertThat(healthy(first, port, Duration.ofMinutes(3)))
        .as("first start: %s", tail(firstLog))
        .isTrue();
    ProcessHandle database = postmaster(data);

    // kill -9: no shutdown hook runs, and the database server (pg_ctl started it detached)
    // outlives the hub
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(database.isAlive()).isTrue();

    Path secondLog = work.resolve("second.log");
    int secondPort = freePort();
    Process second = start(data, secondPort, secondLog);
    assertThat(healthy(second, secondPort, Duration.ofMinutes(3)))
        .as("the start after kill -9: %s", tail(secondLog))
        .isTrue();
    assertThat(database.isAlive()).as("the orphaned database server was stopped").isFalse();
    // the embedded defaults listen on the loopback address only, and say so
    assertThat(Files.readString(secondLog, UTF_8)).contains("Listening on 127.0.0.1:" + secondPort);
    String outside = nonLoopbackAddress();
    if (outside != null) {
      try (java.net.Socket probe = new java.net.Socket()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> probe.connect(new java.net.InetSocketAddress(outside, secondPort), 2000))
            .isInstanceOf(IOException.class);
      }
    }
    Thread.sleep(3000); // the timers run a few times
    ProcessHandle secondDatabase = postmaster(data);

    // a graceful stop (SIGTERM, as Ctrl-C or systemd sends it)
    second.destroy();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(secondLog, UTF_8);
    assertThat(log)
        .doesNotContain("terminating connection due to administrator command")
        .doesNotContain("Connection to localhost")
        .doesNotContain("HikariPool-1 - Connection is not available");
    // and its database server stopped with it
    secondDatabase.onExit().get(30, TimeUnit.SECONDS);

    // the embedded database's superuser password and the merge log's key stay in their owner-only
    // files: neither start printed them
    String password =
        Files.readString(data.resolve(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE), UTF_8).strip();
    String key = Files.readString(data.resolve("merge-log-key"), UTF_8).strip();
    for (Path output : List.of(firstLog, secondLog)) {
      assertThat(Files.readString(output, UTF_8))
          .doesNotContain(password)
          .doesNotContain(key.split(":")[1]);
    }
  }

  /** The embedded PostgreSQL's server process, as its postmaster.pid names it. */
  private ProcessHandle postmaster(Path data) throws IOException {
    long pid =
        Long.parseLong(
            Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid"), UTF_8)
                .get(0)
                .strip());
    ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
    servers.add(server); // a test that fails midway leaves no server behind
    return server;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
