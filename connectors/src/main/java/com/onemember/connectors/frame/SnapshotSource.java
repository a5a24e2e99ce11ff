package com.onemember.connectors.frame;

import com.onemember.canonical.SourceRecord;
import java.util.List;
import java.util.Map;

/**
 * A system whose customers the hub reads whole on each sync through the kind's own client, as
 * systems without a last-modified field must be read (Pospal's signed customer pages): every row,
 * its key, and its mapping to a source record. (A database is read by the hub's route with the
 * kind's {@link SourceTable} instead.) The hub keeps each row's digest and queues only new and
 * changed rows; a key the last syncs saw and a complete read no longer gives was deleted in the
 * system.
 */
public interface SnapshotSource {

  /** Receives the rows of one read, in the system's order. */
  @FunctionalInterface
  interface Rows {
    void accept(String key, Map<String, String> row);
  }

  /**
   * Reads every customer row; returns only when the read was complete.
   *
   * @throws SourceUnavailable when the system could not be read to the end
   */
  void readAll(Rows rows) throws SourceUnavailable;

  /**
   * The record a row stands for.
   *
   * @param source the connector's id, the source name of its records
   * @throws SourceTable.RowRejected when the row cannot be a record, with the reason in words
   */
  SourceRecord map(String source, Map<String, String> row);

  /**
   * Of the keys a complete read did not give, those the system still holds: a system read page by
   * page can skip a row when another is deleted while it is read, and a skipped row must not be
   * taken for a deleted one. The keys answered here are not withdrawn. A kind that reads in one
   * consistent pass (a database select) answers none.
   *
   * @throws SourceUnavailable when the system could not be asked; then nothing is withdrawn
   */
  default java.util.Set<String> stillPresent(java.util.Collection<String> keys)
      throws SourceUnavailable {
    return java.util.Set.of();
  }

  /**
   * Whether {@code row} gives only some of its record's fields, the others being as the last read
   * or push left them (a WeCom customer whose staff member left: the list of them names only who
   * left and when). For a kind that also pushes, such a row is merged over the record's document
   * instead of replacing it; the default is a whole row.
   */
  default boolean partial(Map<String, String> row) {
    return false;
  }

  /**
   * The row completed with what the system gives only one customer at a time (a detail request),
   * asked only for a row new or changed since the last sync: a list read again and again should not
   * cost one more request per customer each time. The digest stays the listed row's, so a customer
   * is asked again when the list shows a change. The answer is {@code row} itself when the system
   * holds nothing more (the default), or when the customer is gone meanwhile.
   *
   * @throws SourceUnavailable when the system could not be asked; the read fails and is retried
   */
  default Map<String, String> detail(String key, Map<String, String> row) throws SourceUnavailable {
    return row;
  }

  /** Fields of a row that say nothing about the customer, left out of its digest. */
  default List<String> ignoredInDigest() {
    return List.of();
  }
}
