package com.onemember.hub.support;

import com.onemember.api.client.invoker.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged hub ({@code target/onemember-hub.jar}, which {@code package} writes before the ITs)
 * in a JVM of its own, as an operator runs each instance of a cluster: what a test may kill with
 * SIGKILL. Its output goes to {@code <name>-<n>.log} in the test infrastructure's data directory.
 */
public final class HubJar implements AutoCloseable {

  private static final java.util.concurrent.atomic.AtomicInteger STARTS =
      new java.util.concurrent.atomic.AtomicInteger();

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  private final String token;

  private HubJar(String name, Process process, int port, Path log, String token) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
    this.token = token;
  }

  /**
   * Starts hub {@code name} ({@code onemember.hub-name}) with {@code properties} (Spring names),
   * its admin token {@code token}, on a free port; does not wait for it to be up.
   */
  public static HubJar start(String name, Map<String, String> properties, String token)
      throws IOException {
    Path jar = ChildJvm.packagedJar("onemember-hub.jar");
    int port = ChildJvm.freePort();
    // a log of its own per start: a name used again by another test starts an empty file
    Path log =
        HubInfrastructure.get().dataDir().resolve(name + "-" + STARTS.incrementAndGet() + ".log");
    List<String> arguments = new ArrayList<>();
    arguments.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
    properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    arguments.add("--server.port=" + port);
    arguments.add("--onemember.hub-name=" + name);
    arguments.add("--onemember.security.admin-token=" + token);
    Process process = ChildJvm.start(arguments, log);
    return new HubJar(name, process, port, log, token);
  }

  /** Waits for {@code /actuator/health} to answer 200. */
  public HubJar awaitUp() {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/actuator/health")).build();
    Awaitility.await("hub " + name + " up (log: " + log + ")")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .failFast("hub " + name + " exited; see " + log, () -> !process.isAlive())
        .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  /** A client of the hub's API with its admin token. */
  public ApiClient client() {
    ApiClient client = new ApiClient();
    client.updateBaseUri(url());
    client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
    return client;
  }

  /** SIGKILL: no shutdown hook, no goodbye to the database or the broker. */
  public void kill() {
    ChildJvm.kill(process);
  }

  /** SIGTERM, as an operator stops it; SIGKILL after a minute. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The process's log, for a failed assertion's message. */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
