package com.onemember.hub.bench;

import com.onemember.hub.embedded.EmbeddedDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the packaged hub takes to start on its embedded defaults (embedded PostgreSQL and
 * Artemis in the given data directory): from the launch of {@code java} to the first 200 of {@code
 * /actuator/health}, polled every 50 ms, for each of the three ways to start it that a build
 * leaves:
 *
 * <ul>
 *   <li>{@code jar}: {@code java -jar routes/target/onemember-hub.jar}, the executable jar;
 *   <li>{@code extracted}: {@code java -jar routes/target/onemember-hub/onemember-hub.jar}, the jar
 *       extracted beside its libraries ({@code -Djarmode=tools extract}), without the archive;
 *   <li>{@code cds}: the same with {@code -XX:SharedArchiveFile=onemember-hub.jsa}, the class-data
 *       sharing archive of the build's training run (README's first command).
 * </ul>
 *
 * Each round starts every way once, in a rotating order (a shared machine's load drifts), and stops
 * the hub (SIGTERM) before the next start. A data directory without a database gets one first start
 * before the rounds (initdb, migrations, generated secrets), reported on its own. Each start also
 * reports the hub's own "Started OneMemberHub in" and the load average when it began; a {@code cds}
 * start whose JVM did not use the archive (its log carries a {@code [cds]} warning: another JDK, a
 * jar extracted again after the training run) fails the bench. The members in the base are counted
 * once, in the first started hub's database (the API has no count): golden members (neither merged
 * into another, withdrawn nor erased) and source records.
 *
 * <p>With {@code seed-rows} greater than 0 the bench first fills an empty data directory: it starts
 * the hub, uploads a generated member export of that many rows ({@link MemberFile}, the GBK CSV of
 * {@link ImportBench}) through {@code POST /api/v1/imports}, follows it to COMPLETED and prints
 * ImportBench's summary. The directory then serves any number of later runs without seeding.
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.StartupBench
 * -Dexec.args="/tmp/startup-1m 3 1000000"} (the data directory, rounds, rows to seed it with first;
 * 3 and 0 by default). The hubs' logs and the generated file go to {@code startup-bench/} in the
 * data directory. The exit status is 0 when every start became healthy (and the seeding, if asked
 * for, completed), 1 otherwise.
 */
public final class StartupBench {

  private static final Duration HUB_START = Duration.ofMinutes(5);
  private static final Duration SEEDING_HUB_START = Duration.ofMinutes(10);
  private static final Duration HEALTH_POLL = Duration.ofMillis(50);

  /** The heap of the hub that seeds the base, as ImportBench runs it; the timed starts set none. */
  private static final String SEEDING_HEAP = "1g";

  private static final Pattern STARTED =
      Pattern.compile("Started OneMemberHub in ([0-9.]+) seconds");

  private StartupBench() {}

  /** A way to start the hub that {@code package} leaves. */
  private enum Way {
    JAR("java -jar onemember-hub.jar"),
    EXTRACTED("java -jar onemember-hub/onemember-hub.jar"),
    CDS("java -XX:SharedArchiveFile=onemember-hub.jsa -jar onemember-hub/onemember-hub.jar");

    final String command;

    Way(String command) {
      this.command = command;
    }
  }

  /** One start: seconds from launch to healthy, and what the hub and the machine said. */
  private record Start(
      Way way, double healthy, double started, double load, List<String> cdsWarnings) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 3) {
      throw new IllegalArgumentException("usage: StartupBench data-dir [rounds] [seed-rows]");
    }
    Path dataDir = Path.of(args[0]).toAbsolutePath().normalize();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int seedRows = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    if (rounds < 0 || seedRows < 0) {
      throw new IllegalArgumentException("rounds and seed-rows must not be negative");
    }
    String machine = ImportBench.machine();
    System.out.println("machine: " + machine);
    Path jar = com.onemember.hub.support.ChildJvm.packagedJar("onemember-hub.jar");
    Path extracted =
        com.onemember.hub.support.ChildJvm.packagedJar("onemember-hub/onemember-hub.jar");
    Path archive = extracted.resolveSibling("onemember-hub.jsa");
    if (rounds > 0 && !Files.isRegularFile(archive)) {
      throw new IllegalStateException(
          "no class-data sharing archive "
              + archive
              + ": build without -Dcds.skip (./mvnw -q -pl routes -am install -DskipTests)");
    }
    Path work = dataDir.resolve("startup-bench");
    Files.createDirectories(work);
    System.out.println("data: " + dataDir);

    boolean ok = true;
    Counts counts = null;
    if (seedRows == 0 && !Files.isRegularFile(dataDir.resolve("postgres").resolve("PG_VERSION"))) {
      Start first = start(Way.JAR, jar, archive, dataDir, work.resolve("first-start.log"), null);
      System.out.printf(
          "first start on an empty directory (initdb, migrations): healthy after %.2f s%n",
          first.healthy());
    }
    if (seedRows > 0) {
      counts = seed(dataDir, work, jar, seedRows, machine);
      ok = counts != null;
    }

    Map<Way, List<Start>> starts = new EnumMap<>(Way.class);
    for (Way way : Way.values()) {
      starts.put(way, new ArrayList<>());
    }
    Way[] ways = Way.values();
    for (int round = 0; round < rounds && ok; round++) {
      for (int i = 0; i < ways.length; i++) {
        Way way = ways[(round + i) % ways.length];
        Path launched = way == Way.JAR ? jar : extracted;
        Path log = work.resolve("start-%d-%s.log".formatted(round + 1, way.name().toLowerCase()));
        Counts[] counted = {null};
        Start start;
        try {
          start = start(way, launched, archive, dataDir, log, counts == null ? counted : null);
        } catch (RuntimeException e) {
          System.out.println("  FAILED: " + e.getMessage());
          ok = false;
          break;
        }
        if (counted[0] != null) {
          counts = counted[0];
        }
        starts.get(way).add(start);
        System.out.printf(
            "round %d, %-9s healthy after %6.2f s (Started in %5.2f s, load %.2f)%s%n",
            round + 1,
            way.name().toLowerCase() + ":",
            start.healthy(),
            start.started(),
            start.load(),
            start.cdsWarnings().isEmpty() ? "" : "  ARCHIVE NOT USED: " + start.cdsWarnings());
        if (way == Way.CDS && !start.cdsWarnings().isEmpty()) {
          ok = false;
        }
      }
    }

    System.out.println();
    System.out.println("== start-up bench ==");
    line("machine", machine);
    line("data", dataDir.toString());
    if (counts != null) {
      line(
          "base",
          "%,d golden members, %,d source records".formatted(counts.members(), counts.records()));
    }
    for (Way way : Way.values()) {
      List<Start> done = starts.get(way);
      if (done.isEmpty()) {
        continue;
      }
      List<Double> healthy = done.stream().map(Start::healthy).sorted().toList();
      List<Double> started = done.stream().map(Start::started).sorted().toList();
      line(
          way.name().toLowerCase(),
          "healthy min %.2f s, median %.2f s, max %.2f s over %d starts (Started in: median %.2f s)"
              .formatted(
                  healthy.get(0),
                  median(healthy),
                  healthy.get(healthy.size() - 1),
                  healthy.size(),
                  median(started)));
      line("", way.command);
    }
    line("result", ok ? "OK" : "FAILED");
    System.exit(ok ? 0 : 1);
  }

  /**
   * Starts the hub {@code way} on {@code dataDir}'s embedded defaults, waits until it is healthy,
   * counts the base's members into {@code counted[0]} when given, and stops it.
   */
  private static Start start(
      Way way, Path jar, Path archive, Path dataDir, Path log, Counts[] counted)
      throws IOException {
    double load = loadAverage();
    List<String> options = way == Way.CDS ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
    try (HubProcess hub =
        HubProcess.start(
            options,
            jar,
            List.of("--onemember.data-dir=" + dataDir),
            log,
            dataDir.resolve("postgres"))) {
      double healthy;
      try {
        healthy = hub.awaitUp(HUB_START, HEALTH_POLL);
      } catch (RuntimeException e) {
        hub.printLogTail(40);
        throw e;
      }
      if (counted != null) {
        counted[0] = count(dataDir);
      }
      List<String> lines = hub.logLines();
      double started =
          lines.stream()
              .map(STARTED::matcher)
              .filter(Matcher::find)
              .mapToDouble(m -> Double.parseDouble(m.group(1)))
              .findFirst()
              .orElse(Double.NaN);
      List<String> cds = lines.stream().filter(l -> l.contains("[cds")).toList();
      return new Start(way, healthy, started, load, cds);
    }
  }

  /**
   * Fills the empty base: a generated member export of {@code rows} rows imported through the API.
   *
   * @return the base's counts after the import, or null when the import did not complete
   */
  private static Counts seed(Path dataDir, Path work, Path jar, int rows, String machine)
      throws Exception {
    List<String> arguments = new ArrayList<>(List.of("--onemember.data-dir=" + dataDir));
    arguments.addAll(ImportBench.hubLimits(rows));
    try (HubProcess hub =
        HubProcess.start(
            List.of("-Xmx" + SEEDING_HEAP),
            jar,
            arguments,
            work.resolve("seed.log"),
            dataDir.resolve("postgres"))) {
      System.out.printf(
          "seed: the hub is healthy after %.2f s%n",
          hub.awaitUp(SEEDING_HUB_START, Duration.ofMillis(250)));
      Counts before = count(dataDir);
      if (before.members() > 0) {
        throw new IllegalStateException(
            "%s already holds %,d members: seed an empty data directory"
                .formatted(dataDir, before.members()));
      }
      hub.footprint.startJstat();
      Path path = work.resolve("members-" + rows + ".csv");
      long generating = System.nanoTime();
      MemberFile.Written file =
          MemberFile.write(path, MemberFile.Format.CSV, rows, ImportBench.SEED);
      double generated = (System.nanoTime() - generating) / 1e9;
      System.out.printf(
          "seed: %s, %,d rows (%,d people), written in %.1f s%n",
          file.file(), file.rows(), file.people(), generated);
      ImportBench.Result result =
          new ImportBench.Result(
              rows,
              MemberFile.Format.CSV,
              SEEDING_HEAP,
              ImportBench.Mode.FULL,
              machine,
              file,
              generated);
      result.log = hub.log;
      try {
        ImportBench.importFile(hub, file, MemberFile.Format.CSV, ImportBench.Mode.FULL, result);
      } catch (Exception e) {
        e.printStackTrace();
        result.failure = e.toString();
        hub.printLogTail(40);
      }
      result.footprint = hub.footprint;
      result.print();
      Files.deleteIfExists(path);
      return result.ok() ? count(dataDir) : null;
    }
  }

  /** Golden members and source records in the base. */
  private record Counts(long members, long records) {}

  /**
   * Counted in the running hub's embedded database, as its superuser: the port is the fourth line
   * of {@code postmaster.pid}, the password in the hub's owner-only file.
   */
  private static Counts count(Path dataDir) throws IOException {
    List<String> pid =
        Files.readAllLines(
            dataDir.resolve("postgres").resolve("postmaster.pid"), StandardCharsets.UTF_8);
    String url = "jdbc:postgresql://localhost:" + pid.get(3).strip() + "/postgres";
    String password =
        Files.readString(
                dataDir.resolve(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE), StandardCharsets.UTF_8)
            .strip();
    try (Connection db = DriverManager.getConnection(url, EmbeddedDatabase.SUPERUSER, password);
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select (select count(*) from member where merged_into is null"
                    + " and withdrawn_at is null and erased_at is null),"
                    + " (select count(*) from source_record)")) {
      rs.next();
      return new Counts(rs.getLong(1), rs.getLong(2));
    } catch (SQLException e) {
      throw new IOException("could not count the members in " + url, e);
    }
  }

  /** The one-minute load average, or NaN where /proc/loadavg does not exist. */
  private static double loadAverage() {
    try {
      return Double.parseDouble(
          Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void line(String name, String value) {
    System.out.printf("%-10s %s%n", name.isEmpty() ? "" : name + ":", value);
  }
}
