package com.onemember.connectors.spreadsheet;

import java.util.List;

/** The rows of one sheet as cell texts, so CSV and workbooks share header and row rules. */
interface RowSource extends AutoCloseable {

  /**
   * The next physical row, possibly blank or shorter than the header; {@code null} after the last
   * row.
   */
  List<String> next() throws UnreadableFileException;

  /** Releases the file; reading stops. */
  @Override
  void close();
}
