package com.onemember.connectors.spreadsheet;

import static com.onemember.connectors.spreadsheet.UnreadableFileException.FILE_EMPTY;
import static com.onemember.connectors.spreadsheet.UnreadableFileException.NO_DATA_ROWS;
import static com.onemember.connectors.spreadsheet.UnreadableFileException.TOO_MANY_ROWS;
import static com.onemember.connectors.spreadsheet.UnreadableFileException.UNSUPPORTED_WORKBOOK;

import com.onemember.connectors.spreadsheet.Spreadsheet.Format;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an uploaded member export into text rows. The format is decided by the content because
 * staff rename files freely (an .xlsx called .csv, a GBK text called .xls); the file name is used
 * only to tell them which file a message is about.
 *
 * <p>The first non-blank row is the header. A file is refused as a whole only when nothing in it
 * can be imported; a problem in a single cell is reported on its {@link SheetRow} instead, so one
 * bad cell does not cost a store its whole upload. Instances are immutable and thread-safe.
 */
public final class SpreadsheetReader {

  private final SpreadsheetLimits limits;

  public SpreadsheetReader(SpreadsheetLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * @param content the uploaded bytes, never {@code null}
   * @param fileName the name the file was uploaded under, for messages only; may be {@code null}
   * @throws UnreadableFileException when no row of the file can be imported; see its codes
   */
  public Spreadsheet read(byte[] content, String fileName) throws UnreadableFileException {
    return read(content, fileName, null);
  }

  /**
   * As {@link #read(byte[], String)}, reading the workbook sheet {@code sheet} (a name, or a number
   * from 1) instead of the first; {@code null} for the first. A CSV has one sheet only and ignores
   * it.
   */
  public Spreadsheet read(byte[] content, String fileName, String sheet)
      throws UnreadableFileException {
    Objects.requireNonNull(content, "content");
    String shownName = fileName == null || fileName.isBlank() ? "file" : fileName.strip();
    if (isBlankText(content)) {
      throw empty();
    }
    if (CsvText.startsWith(content, 0xD0, 0xCF, 0x11, 0xE0)) {
      throw new UnreadableFileException(
          UNSUPPORTED_WORKBOOK,
          "「%s」是旧版 .xls 工作簿或带密码的工作簿，无法读取；请在 Excel 中去掉密码并另存为 .xlsx / %s is an old .xls workbook or a password-protected workbook; remove the password and save it as .xlsx in Excel."
              .formatted(shownName, shownName));
    }
    if (isZip(content)) {
      try (XlsxSheet chosen = XlsxSheet.open(content, shownName, sheet)) {
        return assemble(Format.XLSX, null, chosen);
      }
    }
    CsvText text = CsvText.decode(content, shownName);
    return assemble(Format.CSV, text.encoding(), text.rows(shownName));
  }

  private Spreadsheet assemble(Format format, String encoding, RowSource source)
      throws UnreadableFileException {
    List<String> headerCells = null;
    List<List<String>> data = new ArrayList<>();
    for (List<String> cells = source.next(); cells != null; cells = source.next()) {
      if (width(cells) == 0) {
        continue;
      }
      if (headerCells == null) {
        headerCells = cells;
      } else if (data.size() == limits.maxRows()) {
        throw new UnreadableFileException(
            TOO_MANY_ROWS,
            "文件超过 %d 行数据，请拆分成几个文件分别上传 / The file has more than %d data rows; split it into several files and upload them separately."
                .formatted(limits.maxRows(), limits.maxRows()));
      } else {
        data.add(cells);
      }
    }
    if (headerCells == null) {
      throw empty();
    }
    if (data.isEmpty()) {
      throw new UnreadableFileException(
          NO_DATA_ROWS, "文件只有表头，没有数据行 / The file has a header row but no data rows.");
    }
    int width = width(headerCells);
    for (List<String> cells : data) {
      width = Math.max(width, width(cells));
    }
    List<String> headers = headerNames(headerCells, width);
    List<SheetRow> rows = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      rows.add(row(i + 1, headers, data.get(i)));
    }
    return new Spreadsheet(format, encoding, headers, rows);
  }

  private SheetRow row(int number, List<String> headers, List<String> cells) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int column = 0; column < headers.size(); column++) {
      String header = headers.get(column);
      String value = column < cells.size() && cells.get(column) != null ? cells.get(column) : "";
      if (CellText.isBlank(value)) {
        value = "";
      }
      if (CellText.isFormula(value)) {
        problems.add(
            "第 %d 列「%s」是公式，不接受公式 / column %s holds a formula, which is not accepted"
                .formatted(column + 1, header, header));
      }
      if (value.length() > limits.maxCellLength()) {
        problems.add(
            "第 %d 列「%s」有 %d 个字符，超过上限 %d，已截断 / column %s holds %d characters, more than the limit of %d; the value was cut"
                .formatted(
                    column + 1,
                    header,
                    value.length(),
                    limits.maxCellLength(),
                    header,
                    value.length(),
                    limits.maxCellLength()));
        value = cut(value, limits.maxCellLength());
      }
      values.put(header, value);
    }
    return new SheetRow(number, values, problems);
  }

  /**
   * Names are made unique because they key the row's cells; an export with two 电话 columns must keep
   * both numbers. A nameless column is named by position in both languages, as staff read it.
   */
  private static List<String> headerNames(List<String> cells, int width) {
    List<String> names = new ArrayList<>(width);
    Set<String> taken = new HashSet<>();
    for (int column = 0; column < width; column++) {
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
      names.add(unique);
    }
    return names;
  }

  /** Columns up to the last non-blank cell; trailing empty cells are formatting, not data. */
  private static int width(List<String> cells) {
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

  private static boolean isZip(byte[] content) {
    return CsvText.startsWith(content, 'P', 'K', 3, 4)
        || CsvText.startsWith(content, 'P', 'K', 5, 6)
        || CsvText.startsWith(content, 'P', 'K', 7, 8);
  }

  /** Empty, or only a UTF-8 byte order mark and ASCII whitespace. */
  private static boolean isBlankText(byte[] content) {
    int start = CsvText.startsWith(content, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    for (int i = start; i < content.length; i++) {
      byte b = content[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '\f' && b != 0x0B) {
        return false;
      }
    }
    return true;
  }

  private static UnreadableFileException empty() {
    return new UnreadableFileException(FILE_EMPTY, "文件为空 / The file is empty.");
  }
}
