package com.onemember.hub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The hub process's memory, sampled every second: resident set from {@code /proc/<pid>/status},
 * heap from a {@code jstat -gc <pid> 1000} that runs alongside (one JVM for the whole run, not one
 * per sample, which on two cores would be felt). All sizes in KB.
 */
final class Footprint implements AutoCloseable {

  private final long pid;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "footprint");
            t.setDaemon(true);
            return t;
          });
  private Process jstat;
  private ProcessHandle postgres;
  private final Path databaseDir;

  volatile long rss;
  volatile long peakRss;
  volatile long heap = -1;
  volatile long peakHeap = -1;
  volatile long peakOld = -1;
  volatile long committed = -1;
  volatile long fullGcs;
  volatile double gcSeconds;
  volatile String jstatProblem;

  /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux the bench meets. */
  private static final int CLOCK_TICKS = 100;

  Footprint(long pid, Path databaseDir) {
    this.databaseDir = databaseDir;
    this.pid = pid;
    timer.scheduleAtFixedRate(this::sampleNow, 0, 1, TimeUnit.SECONDS);
  }

  /** Reads VmRSS and VmHWM (the kernel's own peak, so nothing between samples is missed). */
  synchronized void sampleNow() {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    String current = procField(status, "VmRSS");
    String peak = procField(status, "VmHWM");
    if (current != null && peak != null) {
      rss = kilobytes(current);
      peakRss = Math.max(peakRss, kilobytes(peak));
    }
  }

  private static long kilobytes(String procValue) {
    return Long.parseLong(procValue.split("\\s+")[0]);
  }

  void startJstat() {
    Path command = Path.of(System.getProperty("java.home"), "bin", "jstat");
    try {
      jstat =
          new ProcessBuilder(command.toString(), "-gc", Long.toString(pid), "1000")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      jstatProblem = "no heap samples: " + command + " did not start (" + e.getMessage() + ")";
      return;
    }
    Thread reader = new Thread(this::readJstat, "jstat");
    reader.setDaemon(true);
    reader.start();
  }

  /** jstat -gc: a header line, then one line of capacities and usages (KB) a second. */
  private void readJstat() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(jstat.getInputStream(), StandardCharsets.US_ASCII))) {
      List<String> header = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        List<String> cells = List.of(line.strip().split("\\s+"));
        if (header == null) {
          if (!cells.contains("EU")) {
            jstatProblem = "no heap samples: jstat said " + line.strip();
            return;
          }
          header = cells;
          continue;
        }
        if (cells.size() != header.size()) {
          continue;
        }
        Map<String, Double> v = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
          try {
            v.put(header.get(i), Double.parseDouble(cells.get(i)));
          } catch (NumberFormatException e) {
            // "-" for a counter this collector does not have
          }
        }
        long used = (long) (get(v, "S0U") + get(v, "S1U") + get(v, "EU") + get(v, "OU"));
        heap = used;
        peakHeap = Math.max(peakHeap, used);
        peakOld = Math.max(peakOld, (long) get(v, "OU"));
        committed = (long) (get(v, "S0C") + get(v, "S1C") + get(v, "EC") + get(v, "OC"));
        fullGcs = (long) get(v, "FGC");
        gcSeconds = get(v, "GCT");
      }
    } catch (IOException e) {
      // jstat ended with the hub
    }
  }

  private static double get(Map<String, Double> values, String name) {
    return values.getOrDefault(name, 0.0);
  }

  /**
   * CPU time so far, in clock ticks: of the hub, of PostgreSQL (the server and its backends, with
   * the backends that have ended), of this JVM (the broker and the bench), and the machine's busy
   * and total time.
   */
  Cpu cpu() {
    long[] t;
    try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
      // the first line, "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
      t =
          Stream.of(lines.findFirst().orElseThrow().split("\\s+"))
              .skip(1)
              .mapToLong(Long::parseLong)
              .toArray();
    } catch (IOException | RuntimeException e) {
      return new Cpu(-1, -1, -1, -1, -1);
    }
    // idle and iowait are not busy; guest time is already counted in user
    long total = t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + (t.length > 7 ? t[7] : 0);
    long postgres = -1;
    ProcessHandle server = postgresServer();
    if (server != null) {
      postgres =
          ticks(server.pid(), true)
              + server.descendants().mapToLong(p -> Math.max(0, ticks(p.pid(), false))).sum();
    }
    return new Cpu(
        ticks(pid, false),
        postgres,
        ticks(ProcessHandle.current().pid(), false),
        total - t[3] - t[4],
        total);
  }

  /** The hub's PostgreSQL server: the one serving its data directory. */
  private ProcessHandle postgresServer() {
    if (postgres == null || !postgres.isAlive()) {
      String dataDir = databaseDir.toString();
      postgres =
          ProcessHandle.allProcesses()
              .filter(
                  p -> p.info().commandLine().map(c -> c.contains("-D " + dataDir)).orElse(false))
              .findFirst()
              .orElse(null);
    }
    return postgres;
  }

  /**
   * utime + stime of a process from {@code /proc/<pid>/stat}, with the times of its children that
   * have ended when {@code reaped}; -1 when it cannot be read (not Linux, or gone).
   */
  private static long ticks(long pid, boolean reaped) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // after the parenthesised command name: state is field 3, utime 14, stime 15, cutime 16
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return reaped ? own + Long.parseLong(f[13]) + Long.parseLong(f[14]) : own;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Cores kept busy since {@code from}, on average: by the hub, by PostgreSQL, by this JVM (the
   * broker and the bench) and by whatever else runs; null when /proc does not say.
   */
  String cpuSince(Cpu from) {
    Cpu to = cpu();
    if (from.hub() < 0 || to.hub() < 0 || from.busy() < 0) {
      return null;
    }
    double cores = Runtime.getRuntime().availableProcessors();
    double share = cores / Math.max(1, to.all() - from.all());
    double hub = (to.hub() - from.hub()) * share;
    double postgres = from.postgres() < 0 ? 0 : (to.postgres() - from.postgres()) * share;
    double bench = from.bench() < 0 ? 0 : (to.bench() - from.bench()) * share;
    double busy = (to.busy() - from.busy()) * share;
    return ("hub %.2f cores, PostgreSQL %.2f, broker and bench %.2f, other %.2f, idle %.2f of %.0f"
            + " (hub CPU %.0f s)")
        .formatted(
            hub,
            postgres,
            bench,
            Math.max(0, busy - hub - postgres - bench),
            Math.max(0, cores - busy),
            cores,
            (to.hub() - from.hub()) / (double) CLOCK_TICKS);
  }

  String now() {
    return (heap < 0 ? "heap ?" : "heap %,d MB".formatted(heap >> 10))
        + ", RSS %,d MB (peak %,d MB)".formatted(rss >> 10, peakRss >> 10);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (jstat != null) {
      jstat.destroy();
    }
  }

  /** A moment's CPU counters, in clock ticks; -1 for what /proc did not tell. */
  record Cpu(long hub, long postgres, long bench, long busy, long all) {}

  /** The value of the first {@code name: value} line of a /proc file, or null. */
  static String procField(Path file, String name) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines
          .filter(l -> l.startsWith(name))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse(null);
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }
}
