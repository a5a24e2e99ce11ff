package com.onemember.connectors.spreadsheet;

/**
 * Bounds that keep one upload from exhausting the hub.
 *
 * @param maxRows data rows (blank rows not counted) beyond which the whole file is refused, so that
 *     a wrong file never half-imports
 * @param maxCellLength characters a cell may hold; longer cells are cut, with a warning on their
 *     row, 32 767 being what Excel itself allows
 */
public record SpreadsheetLimits(int maxRows, int maxCellLength) {

  public SpreadsheetLimits {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
    }
    if (maxCellLength < 1) {
      throw new IllegalArgumentException("maxCellLength must be at least 1, was " + maxCellLength);
    }
  }

  /** 100 000 rows and 32 767 characters per cell. */
  public static SpreadsheetLimits defaults() {
    return new SpreadsheetLimits(100_000, 32_767);
  }
}
