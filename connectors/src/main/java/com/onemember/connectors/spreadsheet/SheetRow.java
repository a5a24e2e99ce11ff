package com.onemember.connectors.spreadsheet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One data row of an upload.
 *
 * @param number 1-based position among the file's non-blank data rows (the header and blank rows
 *     are not counted), which is what staff are told when a row is refused
 * @param cells header to cell text for every column, in column order; a blank cell is {@code ""},
 *     never {@code null}
 * @param problems cell-level reasons, in Chinese and English, why the row should not be imported as
 *     it is; empty when nothing is wrong. The reader does not drop such rows so that the caller can
 *     show them to staff.
 */
public record SheetRow(int number, Map<String, String> cells, List<String> problems) {

  public SheetRow {
    cells = Collections.unmodifiableMap(new LinkedHashMap<>(cells));
    problems = List.copyOf(problems);
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }
}
