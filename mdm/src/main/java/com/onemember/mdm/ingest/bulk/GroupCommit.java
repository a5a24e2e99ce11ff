package com.onemember.mdm.ingest.bulk;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.trace.Correlation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for records that arrive one message at a time (a webhook, a POS row, a push): the
 * records several consumer threads hold at the same moment are loaded together by {@link BulkLoad}
 * in one transaction, so a burst of changes costs one set-wise write and one disk wait per group
 * rather than some forty statements and a disk wait per record.
 *
 * <p>The first thread to arrive leads. Until {@code maxGroup} records joined, it waits {@code wait}
 * (a few milliseconds), for as long as the group before it is loading, and {@code wait} after that
 * group's commit, when that group's callers come back with their next records; then it closes the
 * group and loads it, and the others wait for its commit. One group loads at a time unless one
 * fills up: groups loading side by side on a few cores only took turns and stayed small. A record's
 * {@code settle} runs in the group's transaction with the record's outcome, so what the caller
 * keeps about it (a connector's rejection, an import row) commits with the record or not at all.
 * Each caller acknowledges its own message only after {@link #ingest} returned, so a crash before
 * the commit redelivers every message of the group, and loading a record again is a no-op.
 *
 * <p>The records of a group arrived from different senders at the same moment and have no order
 * among themselves: {@link BulkLoad#loadArrivals} writes the new content of records the hub holds
 * first, then decides the new records one by one in the order they joined. Two changes of the same
 * record never share a group: they arrive in one message group of the queue, on one consumer, which
 * waits for the first one's commit.
 *
 * <p>A group that fails (a member changed under it more than {@value #ATTEMPTS} times, a record the
 * load cannot take, a settle that throws) is not retried as a group: {@link #ingest} returns false
 * to each of its callers, which ingests its record alone, so one bad record fails only its own
 * message.
 */
public final class GroupCommit {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** Loads of one group, when a member another writer changed meanwhile made it roll back. */
  static final int ATTEMPTS = 3;

  private final BulkLoad bulk;
  private final TransactionTemplate transactions;
  private final int maxGroup;
  private final long waitNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition full = lock.newCondition();
  private List<Arrival> forming = new ArrayList<>();

  private final LongAdder groups = new LongAdder();
  private final LongAdder grouped = new LongAdder();

  /** Groups loaded (or tried) since start. */
  public long groups() {
    return groups.sum();
  }

  /** Records in those groups: divided by {@link #groups()}, the mean group size. */
  public long grouped() {
    return grouped.sum();
  }

  /** Groups being loaded now. */
  private int loading;

  /** When the last group ended ({@link System#nanoTime()}). */
  private long lastCommit = System.nanoTime();

  /**
   * How often a leader waiting for an earlier group's commit looks again, should a signal be lost.
   */
  private static final long LOADING_CHECK = 50_000_000L;

  public GroupCommit(BulkLoad bulk, TransactionTemplate transactions, int maxGroup, Duration wait) {
    if (maxGroup < 1) {
      throw new IllegalArgumentException("a group holds at least one record");
    }
    this.bulk = bulk;
    this.transactions = transactions;
    this.maxGroup = maxGroup;
    this.waitNanos = wait.toNanos();
  }

  /** A caller's record in a group, and what becomes of it. */
  private static final class Arrival {
    final SourceRecord record;
    final Consumer<IngestOutcome> settle;
    final CountDownLatch done = new CountDownLatch(1);
    final String correlation = Correlation.current();
    volatile boolean committed;

    Arrival(SourceRecord record, Consumer<IngestOutcome> settle) {
      this.record = record;
      this.settle = settle;
    }
  }

  /**
   * Loads {@code record} with whatever records other threads bring at the same moment, and calls
   * {@code settle} with its outcome in the same transaction. Returns true once that transaction
   * committed; false when the group failed and nothing of it was kept, in which case the caller
   * ingests the record alone.
   */
  public boolean ingest(SourceRecord record, Consumer<IngestOutcome> settle) {
    Arrival self = new Arrival(record, settle);
    List<Arrival> group = null;
    lock.lock();
    try {
      forming.add(self);
      if (forming.size() == 1) {
        // lead: wait for others `wait`, for as long as an earlier group is loading, and `wait`
        // after it committed: its callers come back with their next messages then
        long started = System.nanoTime();
        while (forming.size() < maxGroup) {
          long left = Math.max(started, lastCommit) + waitNanos - System.nanoTime();
          if (left <= 0 && loading == 0) {
            break;
          }
          full.awaitNanos(left > 0 ? left : LOADING_CHECK);
        }
        group = forming;
        forming = new ArrayList<>();
        loading++;
      } else if (forming.size() >= maxGroup) {
        full.signalAll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (forming.contains(self)) {
        // the leader stops waiting and loads what joined so far
        group = forming;
        forming = new ArrayList<>();
        loading++;
      }
    } finally {
      lock.unlock();
    }
    if (group != null) {
      load(group);
    }
    try {
      self.done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return self.committed;
  }

  /** Loads a group in one transaction and releases its callers. */
  private void load(List<Arrival> group) {
    groups.increment();
    grouped.add(group.size());
    // the group's events carry the ids of all the work it loads; the leader's own comes back after
    try (Correlation.Scope scope =
        Correlation.open(Correlation.joined(group.stream().map(m -> m.correlation).toList()))) {
      List<SourceRecord> records = group.stream().map(m -> m.record).toList();
      for (int attempt = 1; ; attempt++) {
        try {
          transactions.executeWithoutResult(
              status -> {
                List<IngestOutcome> outcomes = bulk.loadArrivals(records);
                for (int i = 0; i < group.size(); i++) {
                  group.get(i).settle.accept(outcomes.get(i));
                }
              });
          group.forEach(m -> m.committed = true);
          return;
        } catch (BulkLoad.MemberChangedMeanwhile e) {
          if (attempt == ATTEMPTS) {
            log.debug(
                "A group of {} records lost to other writers {} times", group.size(), attempt);
            return;
          }
        }
      }
    } catch (RuntimeException e) {
      // each caller ingests its record alone; the one at fault fails on its own message. The
      // exception's text may quote a record's values: personal data stays out of the log
      log.debug(
          "A group of {} records failed ({}); each is ingested alone",
          group.size(),
          e.getClass().getSimpleName());
    } finally {
      lock.lock();
      try {
        loading--;
        lastCommit = System.nanoTime();
        full.signalAll();
      } finally {
        lock.unlock();
      }
      group.forEach(m -> m.done.countDown());
    }
  }
}
