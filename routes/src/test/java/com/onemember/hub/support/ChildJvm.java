package com.onemember.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM the tests and benches start as a process of its own (a packaged hub, a broker), so that it
 * can be killed with SIGKILL: launched with the running JDK, its output appended to a log file,
 * killed when the test JVM exits.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /** Starts {@code java arguments...}, its output (and errors) appended to {@code log}. */
  public static Process start(List<String> arguments, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    // an interrupted run (Ctrl-C, a failed test) must leave nothing behind
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    return process;
  }

  /** SIGKILL, and waits for the process to be gone. */
  public static void kill(Process process) {
    try {
      process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A free TCP port (free when asked; a process started soon after takes it). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The hub as {@code package} leaves it ({@code onemember-hub.jar}, or the extracted {@code
   * onemember-hub/onemember-hub.jar}), under routes/target from the repository (the benches) or
   * target from routes (the ITs).
   */
  public static Path packagedJar(String name) {
    for (String target : List.of("routes/target", "target")) {
      Path jar = Path.of(target, name);
      if (Files.isRegularFile(jar)) {
        return jar.toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        "no "
            + name
            + " under "
            + Path.of("").toAbsolutePath()
            + ": ./mvnw package builds it (before the ITs), or ./mvnw -q -pl routes -am install"
            + " -DskipTests for a bench");
  }
}
