package com.onemember.connectors.frame;

import java.time.Instant;

/**
 * A system that can say which customers changed since a time (a web shop's {@code updated_at}
 * filter), read through the kind's own client. Each sync reads from the position the last one
 * reached; the hub stores the position only after the rows it covers are queued, so a crash reads
 * them again (and their digests, unchanged, keep them from being queued twice). A read from no
 * position at all reads every customer, which is when deletions are found: a key the last syncs saw
 * that a complete read no longer gives was deleted in the system (between complete reads, the
 * system's own deletion pushes say so).
 *
 * <p>Positions are ISO-8601 instants ({@code 2026-12-06T08:00:00Z}), so that a person can start the
 * next read from a time of their choosing ({@code POST .../resync?from=}).
 */
public interface ChangesSource extends SnapshotSource {

  /**
   * Reads the customers changed at or after {@code since} (every customer when {@code null}), in
   * the system's order; returns the position the next read starts from.
   *
   * @throws SourceUnavailable when the system could not be read to the end
   */
  Instant readChanges(Instant since, Rows rows) throws SourceUnavailable;

  @Override
  default void readAll(Rows rows) throws SourceUnavailable {
    readChanges(null, rows);
  }
}
