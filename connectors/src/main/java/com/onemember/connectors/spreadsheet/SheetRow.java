package com.onemember.connectors.spreadsheet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One data row of an upload.
 *
 * @param number 1-based position among the file's non-blank data rows (the header and blank rows
 *     are not counted), which is what staff are told about a row
 * @param cells header to cell text for every column, in column order, as the row is kept in the raw
 *     record (a formula as its text, an over-long value cut to the limit); a blank cell is {@code
 *     ""}, never {@code null}
 * @param warnings cell-level reasons, in Chinese and English, why a cell's value is not taken as
 *     member data; empty when there are none. The row itself is still imported: the reader does not
 *     judge rows, and one bad cell must not cost staff the customer beside it.
 * @param untrustedColumns the headers of those cells (a formula, whose shown value depends on a
 *     calculation the hub cannot repeat; a value cut to the limit, which is no longer what the
 *     source holds): {@link MemberRowMapper} leaves them out of the member's fields, and keeps them
 *     in the raw record
 */
public record SheetRow(
    int number, Map<String, String> cells, List<String> warnings, Set<String> untrustedColumns) {

  public SheetRow {
    cells = Collections.unmodifiableMap(new LinkedHashMap<>(cells));
    warnings = List.copyOf(warnings);
    untrustedColumns = Collections.unmodifiableSet(new LinkedHashSet<>(untrustedColumns));
  }

  public boolean hasWarnings() {
    return !warnings.isEmpty();
  }
}
