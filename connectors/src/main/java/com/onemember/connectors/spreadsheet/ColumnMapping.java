package com.onemember.connectors.spreadsheet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which columns of an upload mean what. Several headers may map to the same field (手机 and 电话,
 * Address1 and Address2); {@link MemberRowMapper} decides how they combine.
 *
 * @param fields header to field, in column order
 * @param unmapped headers that mean nothing to the hub, in column order; their cells still travel
 *     in {@link com.onemember.canonical.SourceRecord#raw()}
 */
public record ColumnMapping(Map<String, MemberField> fields, List<String> unmapped) {

  public ColumnMapping {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    unmapped = List.copyOf(unmapped);
  }
}
