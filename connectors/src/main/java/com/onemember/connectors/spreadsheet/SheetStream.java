package com.onemember.connectors.spreadsheet;

import static com.onemember.connectors.spreadsheet.UnreadableFileException.TOO_MANY_ROWS;

import com.onemember.connectors.spreadsheet.Spreadsheet.Format;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An upload opened for reading one data row at a time, so that a file of a million rows needs no
 * more memory than one of ten. The header is read when the stream is opened; {@link #next()} gives
 * the non-blank data rows in file order. Not thread-safe; close it when done.
 *
 * <p>A data row wider than the header adds nameless columns ({@code 列12 column 12}) from then on;
 * {@link #headers()} at the end names every column any row had.
 */
public final class SheetStream implements AutoCloseable {

  /** Characters of a formula quoted in a warning; the raw record keeps all of it. */
  private static final int SHOWN_FORMULA = 40;

  private final Format format;
  private final String encoding;
  private final String sheetName;
  private final List<String> sheetNames;
  private final int rowsEstimate;
  private final RowSource source;
  private final SpreadsheetLimits limits;
  private final List<String> headers = new ArrayList<>();
  private final Set<String> taken = new HashSet<>();
  private List<String> first;
  private int number;

  SheetStream(
      Format format,
      String encoding,
      String sheetName,
      List<String> sheetNames,
      int rowsEstimate,
      RowSource source,
      SpreadsheetLimits limits)
      throws UnreadableFileException {
    this.format = format;
    this.encoding = encoding;
    this.sheetName = sheetName;
    this.sheetNames = List.copyOf(sheetNames);
    this.rowsEstimate = rowsEstimate;
    this.source = source;
    this.limits = limits;
    List<String> headerCells = nextNonBlank();
    if (headerCells == null) {
      throw new UnreadableFileException(
          UnreadableFileException.FILE_EMPTY, "文件为空 / The file is empty.");
    }
    first = nextNonBlank();
    if (first == null) {
      throw new UnreadableFileException(
          UnreadableFileException.NO_DATA_ROWS,
          "文件只有表头，没有数据行 / The file has a header row but no data rows.");
    }
    name(headerCells, Math.max(width(headerCells), width(first)));
  }

  public Format format() {
    return format;
  }

  /** As {@link Spreadsheet#encoding()}. */
  public String encoding() {
    return encoding;
  }

  /** The sheet being read; {@code null} for a CSV. */
  public String sheetName() {
    return sheetName;
  }

  /** Every sheet of the workbook in order; empty for a CSV. */
  public List<String> sheetNames() {
    return sheetNames;
  }

  /**
   * Data rows the file is expected to hold: exact for a CSV (records outside quotes), an upper
   * bound from the sheet's dimension for a workbook; -1 when unknown.
   */
  public int rowsEstimate() {
    return rowsEstimate;
  }

  /** Column names in column order, trimmed and made unique, as keys of {@link SheetRow#cells()}. */
  public List<String> headers() {
    return List.copyOf(headers);
  }

  /** Data rows returned so far. */
  public int rowsRead() {
    return number;
  }

  /**
   * The next non-blank data row, {@code null} after the last.
   *
   * @throws UnreadableFileException when the file holds more rows than allowed or turns out broken
   *     further in; the rows returned before stay valid, but the caller should not import a part of
   *     a file
   */
  public SheetRow next() throws UnreadableFileException {
    List<String> cells;
    if (first != null) {
      cells = first;
      first = null;
    } else {
      cells = nextNonBlank();
    }
    if (cells == null) {
      return null;
    }
    if (number == limits.maxRows()) {
      throw tooMany(limits);
    }
    if (width(cells) > headers.size()) {
      name(List.of(), width(cells));
    }
    return row(++number, cells);
  }

  static UnreadableFileException tooMany(SpreadsheetLimits limits) {
    return new UnreadableFileException(
        TOO_MANY_ROWS,
        "文件超过 %d 行数据，请拆分成几个文件分别上传 / The file has more than %d data rows; split it into several files and upload them separately."
            .formatted(limits.maxRows(), limits.maxRows()));
  }

  private List<String> nextNonBlank() throws UnreadableFileException {
    for (List<String> cells = source.next(); cells != null; cells = source.next()) {
      if (width(cells) > 0) {
        return cells;
      }
    }
    return null;
  }

  private SheetRow row(int number, List<String> cells) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    Set<String> untrusted = new LinkedHashSet<>();
    for (int column = 0; column < headers.size(); column++) {
      String header = headers.get(column);
      String value = column < cells.size() && cells.get(column) != null ? cells.get(column) : "";
      if (CellText.isBlank(value)) {
        value = "";
      }
      if (CellText.isFormula(value)) {
        String shown = CellText.strip(value);
        if (shown.length() > SHOWN_FORMULA) {
          shown = cut(shown, SHOWN_FORMULA) + "…";
        }
        warnings.add(
            "第 %d 列「%s」是公式“%s”，已原样保留，未用于匹配 / column %s holds a formula \"%s\"; it was kept as written and not used for matching"
                .formatted(column + 1, header, shown, header, shown));
        untrusted.add(header);
      }
      if (value.length() > limits.maxCellLength()) {
        warnings.add(
            "第 %d 列「%s」有 %d 个字符，超过上限 %d，已截断，未用于匹配 / column %s holds %d characters, more than the limit of %d; the value was cut and not used for matching"
                .formatted(
                    column + 1,
                    header,
                    value.length(),
                    limits.maxCellLength(),
                    header,
                    value.length(),
                    limits.maxCellLength()));
        value = cut(value, limits.maxCellLength());
        untrusted.add(header);
      }
      values.put(header, value);
    }
    return new SheetRow(number, values, warnings, untrusted);
  }

  /**
   * Names columns from {@code headers.size()} up to {@code width}. Names are made unique because
   * they key the row's cells; an export with two 电话 columns must keep both numbers. A nameless
   * column is named by position in both languages, as staff read it.
   */
  private void name(List<String> cells, int width) {
    for (int column = headers.size(); column < width; column++) {
      String name =
          column < cells.size() && cells.get(column) != null
              ? CellText.strip(cells.get(column))
              : "";
      if (name.isEmpty()) {
        name = "列" + (column + 1) + " column " + (column + 1);
      }
      String unique = name;
      for (int n = 2; taken.contains(unique); n++) {
        unique = name + " (" + n + ")";
      }
      taken.add(unique);
      headers.add(unique);
    }
  }

  /** Columns up to the last non-blank cell; trailing empty cells are formatting, not data. */
  static int width(List<String> cells) {
    for (int i = cells.size() - 1; i >= 0; i--) {
      if (!CellText.isBlank(cells.get(i))) {
        return i + 1;
      }
    }
    return 0;
  }

  private static String cut(String value, int length) {
    int end = Character.isHighSurrogate(value.charAt(length - 1)) ? length - 1 : length;
    return value.substring(0, end);
  }

  @Override
  public void close() {
    source.close();
  }
}
