package com.onemember.connectors.frame;

import com.onemember.canonical.SourceRecord;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Transport#JDBC_POLLING} kind reads its system's customers: one select over the whole
 * table (the hub compares each row's digest with the last sync's, as such tables keep no
 * last-modified column) and the mapping of one row to a source record.
 */
public interface SourceTable {

  /** The select of every customer row; its first column is the row key. */
  String select();

  /**
   * The record a row stands for.
   *
   * @param source the connector's id, the source name of its records
   * @param row column name (lower case) to its value as text; {@code null} for SQL NULL
   * @throws RowRejected when the row cannot be a record, with the reason in words
   */
  SourceRecord map(String source, Map<String, String> row);

  /** The columns of {@link #select()} that hold no customer data and are left out of the digest. */
  default List<String> ignoredInDigest() {
    return List.of();
  }

  /** A row that cannot become a source record; the sync goes on with the next. */
  final class RowRejected extends RuntimeException {
    public RowRejected(String reason) {
      super(reason);
    }
  }
}
