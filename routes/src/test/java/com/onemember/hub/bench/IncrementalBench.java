package com.onemember.hub.bench;

import com.onemember.canonical.SourceRecord;
import com.onemember.hub.camel.TransactedSends;
import com.onemember.mdm.bench.generator.ChineseMemberGenerator;
import com.onemember.mdm.bench.generator.GeneratedRecord;
import com.onemember.mdm.ingest.bulk.BulkLoad;
import com.onemember.mdm.ingest.bulk.GroupCommit;
import com.onemember.mdm.store.RecordJson;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How the hub's incremental path holds up: records that arrive one message each on {@code
 * onemember.inbound}, as a connector queues what a webhook, a POS poll or a push brought.
 *
 * <p>First {@code N} generated Chinese member records (default 100,000; several sources, 15% or so
 * of people in two or more of them, families sharing a phone) are queued as fast as the broker
 * takes them (500 per JMS transaction), and timed until the hub holds every one: the sustained rate
 * of new records, each matched against everything before it. Then {@code C} changes (default
 * 20,000) are sent at {@code R} per second (default 1,000), each in its own JMS transaction from
 * one of eight sender threads, as webhooks arrive: a record of a random member gets a new nickname,
 * which its golden record takes. Each change is timed from the moment the broker accepted it (its
 * send committed) to the moment its member's next golden event is visible in the database; one
 * change is in flight per member at a time, so events are told apart. The bench prints the rate the
 * changes were sent and taken at, and the delays' p50, p90, p99 and max.
 *
 * <p>The hub runs in this JVM on a durable PostgreSQL of its own (fsync, synchronous_commit and
 * full_page_writes on, printed), with its shipped ingest settings (consumers, group size and wait,
 * printed).
 *
 * <p>Run: {@code ./mvnw -q -pl routes -am install -DskipTests && ./mvnw -q -pl routes exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=com.onemember.hub.bench.IncrementalBench
 * -Dexec.args="100000 20000 1000"}; a fourth argument {@code bulk} seeds the base in chunks of
 * 1,000 as an import's rows are loaded ({@link BulkLoad}), not one message per record, for a base
 * of a million ({@code "1000000 20000 1000 bulk"}).
 */
public final class IncrementalBench {

  private static final long SEED = 20_261_207L;
  private static final int SENDERS = 8;
  private static final Duration SETTLE = Duration.ofMinutes(2);

  /** Records per transaction when the base is seeded in chunks ({@code bulk}), as an import. */
  private static final int CHUNK = 1_000;

  private IncrementalBench() {}

  public static void main(String[] args) throws Exception {
    int base = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int changes = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    boolean bulkSeed = args.length > 3 && args[3].equals("bulk");
    EmbeddedPostgres postgres = ConnectorBenches.durablePostgres();
    DataSource db = postgres.getPostgresDatabase();
    ConfigurableApplicationContext hub =
        ConnectorBenches.hub(postgres, Files.createTempDirectory("onemember-bench-connectors"));
    try {
      var env = hub.getEnvironment();
      System.out.printf(
          Locale.ROOT,
          "hub: %s ingest consumers, groups of up to %s records, group wait %s%n",
          env.getProperty("onemember.ingest.consumers"),
          env.getProperty("onemember.ingest.group-size"),
          env.getProperty("onemember.ingest.group-wait"));
      TransactedSends sends = hub.getBean(TransactedSends.class);
      List<SourceRecord> records = new ArrayList<>(base);
      for (GeneratedRecord g : new ChineseMemberGenerator(SEED).generate(base)) {
        records.add(g.record());
      }
      GroupCommit groups = hub.getBean(GroupCommit.class);
      if (bulkSeed) {
        seedInChunks(db, hub, records);
      } else {
        seed(db, sends, records);
        printGroups(groups, 0, 0);
      }
      long before = groups.groups();
      long beforeRecords = groups.grouped();
      change(db, sends, records, changes, rate);
      printGroups(groups, before, beforeRecords);
    } finally {
      hub.close();
      postgres.close();
    }
    System.exit(0);
  }

  /**
   * Loads the base as an import's chunks are loaded: {@link BulkLoad} over 1,000 records at a time,
   * each chunk in its own transaction; for a base of a million, which one message per record would
   * take hours to build.
   */
  private static void seedInChunks(
      DataSource db, ConfigurableApplicationContext hub, List<SourceRecord> records)
      throws Exception {
    BulkLoad load = hub.getBean(BulkLoad.class);
    TransactionTemplate chunk =
        new TransactionTemplate(hub.getBean(PlatformTransactionManager.class));
    long start = System.nanoTime();
    long lastReport = start;
    for (int from = 0; from < records.size(); from += CHUNK) {
      List<SourceRecord> part = records.subList(from, Math.min(records.size(), from + CHUNK));
      chunk.executeWithoutResult(status -> load.load(part, null));
      if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
        lastReport = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "  ... %d of %d records in the hub, %.0f records/s so far%n",
            from + part.size(),
            records.size(),
            (from + part.size()) / seconds(start));
      }
    }
    double took = seconds(start);
    System.out.printf(
        Locale.ROOT,
        "new records, in chunks of %d: %d in %.1f s = %.0f records/s; %d members%n",
        CHUNK,
        records.size(),
        took,
        records.size() / took,
        ConnectorBenches.count(db, "select count(*) from member where merged_into is null"));
  }

  /** Queues every record, 500 per broker transaction, and times them into the hub. */
  private static void seed(DataSource db, TransactedSends sends, List<SourceRecord> records)
      throws Exception {
    long start = System.nanoTime();
    Thread sender =
        new Thread(
            () ->
                sends.send(
                    TransactedSends.queue("onemember.inbound"),
                    records,
                    (session, r) -> message(session, r)));
    sender.start();
    long lastReport = start;
    long held;
    while (true) {
      Thread.sleep(1000);
      held = ConnectorBenches.count(db, "select count(*) from source_record");
      if (held >= records.size()) {
        break;
      }
      if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
        lastReport = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "  ... %d of %d records in the hub, %.0f records/s so far%n",
            held,
            records.size(),
            held / seconds(start));
      }
    }
    sender.join();
    double took = seconds(start);
    System.out.printf(
        Locale.ROOT,
        "new records, one message each: %d in %.1f s = %.0f records/s; %d members%n",
        records.size(),
        took,
        records.size() / took,
        ConnectorBenches.count(db, "select count(*) from member where merged_into is null"));
  }

  private static void printGroups(GroupCommit groups, long before, long beforeRecords) {
    long n = groups.groups() - before;
    System.out.printf(
        Locale.ROOT,
        "  loaded in %d groups, %.1f records a group on average%n",
        n,
        n == 0 ? 0.0 : (groups.grouped() - beforeRecords) / (double) n);
  }

  /** A record as a connector queues it: its JSON, in the record's message group. */
  private static jakarta.jms.Message message(jakarta.jms.Session session, SourceRecord r)
      throws jakarta.jms.JMSException {
    var message = session.createTextMessage(RecordJson.write(r));
    message.setStringProperty(
        "JMSXGroupID",
        "record:" + r.source() + ":" + Math.floorMod(r.sourceRecordId().hashCode(), 1024));
    return message;
  }

  /** Sends the changes at {@code rate} per second and prints what they took to become events. */
  private static void change(
      DataSource db, TransactedSends sends, List<SourceRecord> records, int count, int rate)
      throws Exception {
    Map<String, UUID> memberOf = members(db);
    Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
    Map<UUID, Long> lastSeq = new ConcurrentHashMap<>(lastEvents(db));
    List<Long> delays = java.util.Collections.synchronizedList(new ArrayList<>());
    Watcher watcher = new Watcher(db, sentAt, lastSeq, delays);
    watcher.start();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    Random random = new Random(SEED);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger busy = new AtomicInteger();
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long next = start;
    for (int i = 0; i < count; i++) {
      SourceRecord r = records.get(random.nextInt(records.size()));
      UUID member = memberOf.get(r.source() + ":" + r.sourceRecordId());
      if (member == null || sentAt.containsKey(member)) {
        busy.incrementAndGet();
        continue;
      }
      long now = System.nanoTime();
      if (now < next) {
        TimeUnit.NANOSECONDS.sleep(next - now);
      }
      next += interval;
      SourceRecord changed = renamed(r, i);
      sentAt.put(member, Long.MAX_VALUE);
      senders.submit(
          () -> {
            sends.send(
                TransactedSends.queue("onemember.inbound"),
                List.of(changed),
                (session, c) -> message(session, c));
            sentAt.replace(member, System.nanoTime());
            sent.incrementAndGet();
          });
    }
    senders.shutdown();
    senders.awaitTermination(10, TimeUnit.MINUTES);
    double sending = seconds(start);
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double taking = seconds(start);
    watcher.interrupt();
    watcher.join();
    long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "changes: %d sent in %.1f s = %.0f/s (asked %d/s; %d skipped, their member had one in"
            + " flight); %d became golden events by %.1f s = %.0f/s, %d without an event in %d s%n",
        sent.get(),
        sending,
        sent.get() / sending,
        rate,
        busy.get(),
        sorted.length,
        taking,
        sorted.length / taking,
        sentAt.size(),
        SETTLE.toSeconds());
    if (sorted.length > 0) {
      System.out.printf(
          Locale.ROOT,
          "accepted -> golden event: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          rank(sorted, 0.50) / 1e6,
          rank(sorted, 0.90) / 1e6,
          rank(sorted, 0.99) / 1e6,
          sorted[sorted.length - 1] / 1e6);
    }
  }

  /** The record with a new nickname, changed now: the newest value its golden record takes. */
  private static SourceRecord renamed(SourceRecord r, int i) {
    return new SourceRecord(
        r.source(),
        r.sourceRecordId(),
        Instant.now(),
        r.name(),
        "会员" + Integer.toString(i, 36),
        r.gender(),
        r.birthday(),
        r.identifiers(),
        r.addresses(),
        r.consents(),
        r.tags(),
        r.purchases(),
        r.raw(),
        r.servedBy());
  }

  /** Every record's member, by source and id. */
  private static Map<String, UUID> members(DataSource db) throws Exception {
    Map<String, UUID> out = new HashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select source, source_record_id, member_id from source_record");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1) + ":" + rs.getString(2), (UUID) rs.getObject(3));
      }
    }
    return out;
  }

  /** Every member's latest golden event, before any change is sent. */
  private static Map<UUID, Long> lastEvents(DataSource db) throws Exception {
    Map<UUID, Long> out = new HashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select member_id, max(seq) from golden_event group by member_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put((UUID) rs.getObject(1), rs.getLong(2));
      }
    }
    return out;
  }

  /** Nearest-rank percentile of sorted values. */
  private static long rank(long[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /**
   * Notes when each member with a change in flight has a golden event it did not have when the
   * change was sent. It asks by member rather than by sequence number: numbers are drawn before
   * commit, so an event can become visible after one with a higher number.
   */
  private static final class Watcher extends Thread {
    private final DataSource db;
    private final Map<UUID, Long> sentAt;
    private final Map<UUID, Long> lastSeq;
    private final List<Long> delays;

    Watcher(DataSource db, Map<UUID, Long> sentAt, Map<UUID, Long> lastSeq, List<Long> delays) {
      this.db = db;
      this.sentAt = sentAt;
      this.lastSeq = lastSeq;
      this.delays = delays;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (Connection c = db.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "select member_id, max(seq) from golden_event where member_id = any(?)"
                      + " group by member_id")) {
        while (!isInterrupted()) {
          UUID[] watched = sentAt.keySet().toArray(UUID[]::new);
          if (watched.length > 0) {
            ps.setArray(1, c.createArrayOf("uuid", watched));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                UUID member = (UUID) rs.getObject(1);
                long seq = rs.getLong(2);
                long before = lastSeq.getOrDefault(member, 0L);
                Long sent = sentAt.get(member);
                // MAX_VALUE: the change is still being sent
                if (sent != null && seq > before && sent != Long.MAX_VALUE) {
                  lastSeq.put(member, seq);
                  sentAt.remove(member);
                  delays.add(System.nanoTime() - sent);
                }
              }
            }
          }
          Thread.sleep(2);
        }
      } catch (InterruptedException e) {
        // done
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
