package com.onemember.connectors.frame;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A row as a JDBC read gives it (column label to value) as the text a {@link SourceTable} maps:
 * labels in lower case and in column order, booleans and bits as {@code true}/{@code false}, SQL
 * NULL as {@code null}, everything else as its text.
 */
public final class JdbcRows {

  private JdbcRows() {}

  public static Map<String, String> text(Map<String, ?> row) {
    Map<String, String> text = new LinkedHashMap<>();
    row.forEach(
        (label, value) ->
            text.put(label.toLowerCase(Locale.ROOT), value == null ? null : text(value)));
    return text;
  }

  private static String text(Object value) {
    if (value instanceof byte[] bytes) {
      // a BIT(1) some drivers give as bytes
      return bytes.length == 1
          ? Boolean.toString(bytes[0] != 0)
          : java.util.HexFormat.of().formatHex(bytes);
    }
    return value.toString();
  }
}
