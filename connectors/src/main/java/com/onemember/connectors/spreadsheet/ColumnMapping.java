package com.onemember.connectors.spreadsheet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which header holds which member field.
 *
 * @param fields header to field, in column order
 * @param unmapped headers that match no field; their cells are kept in the raw record
 */
public record ColumnMapping(Map<String, MemberField> fields, List<String> unmapped) {

  public ColumnMapping {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    unmapped = List.copyOf(unmapped);
  }
}
