package com.onemember.connectors.spreadsheet;

import java.util.List;
import java.util.Objects;

/**
 * The content of an uploaded member export, as text, before any column is interpreted.
 *
 * @param encoding the character set the CSV was decoded with, {@code "UTF-8"} or {@code "GB18030"}
 *     (which also covers GBK files); {@code null} for workbooks, which carry no text encoding
 * @param headers column names in column order, trimmed and made unique, so they can key {@link
 *     SheetRow#cells()}
 * @param rows the non-blank data rows in file order
 */
public record Spreadsheet(
    Format format, String encoding, List<String> headers, List<SheetRow> rows) {

  /** How the file was stored; decided from its bytes, never from its name. */
  public enum Format {
    CSV,
    XLSX
  }

  public Spreadsheet {
    Objects.requireNonNull(format, "format");
    headers = List.copyOf(headers);
    rows = List.copyOf(rows);
  }
}
