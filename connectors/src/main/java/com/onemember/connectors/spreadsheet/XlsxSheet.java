package com.onemember.connectors.spreadsheet;

import com.github.pjfanning.xlsx.SharedStringsImplementationType;
import com.github.pjfanning.xlsx.StreamingReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;

/**
 * One sheet of an .xlsx workbook, streamed row by row, with every cell rendered as the clerk saw it
 * in Excel. That matters more than the stored value: a mobile number typed into a cell is stored as
 * the double 1.3812345678E10, and a birthday typed as 5月3日 is stored as a full date in the year it
 * was typed, so only the displayed text says what the clerk actually knew.
 */
final class XlsxSheet implements RowSource, AutoCloseable {

  /**
   * Excel's locale-dependent built-in date formats, which a Chinese Excel writes by number only;
   * POI knows them as "reserved" and would print the serial number. Values from ECMA-376 part 1,
   * §18.8.30, zh-cn.
   */
  private static final Map<Integer, String> ZH_CN_BUILTIN_FORMATS =
      Map.ofEntries(
          Map.entry(27, "yyyy\"年\"m\"月\""),
          Map.entry(28, "m\"月\"d\"日\""),
          Map.entry(29, "m\"月\"d\"日\""),
          Map.entry(30, "m-d-yy"),
          Map.entry(31, "yyyy\"年\"m\"月\"d\"日\""),
          Map.entry(32, "h\"时\"mm\"分\""),
          Map.entry(33, "h\"时\"mm\"分\"ss\"秒\""),
          Map.entry(34, "上午/下午h\"时\"mm\"分\""),
          Map.entry(35, "上午/下午h\"时\"mm\"分\"ss\"秒\""),
          Map.entry(36, "yyyy\"年\"m\"月\""),
          Map.entry(50, "yyyy\"年\"m\"月\""),
          Map.entry(51, "m\"月\"d\"日\""),
          Map.entry(52, "yyyy\"年\"m\"月\""),
          Map.entry(53, "m\"月\"d\"日\""),
          Map.entry(54, "m\"月\"d\"日\""),
          Map.entry(55, "上午/下午h\"时\"mm\"分\""),
          Map.entry(56, "上午/下午h\"时\"mm\"分\"ss\"秒\""),
          Map.entry(57, "yyyy\"年\"m\"月\""),
          Map.entry(58, "m\"月\"d\"日\""));

  /** Excel's short date (14) and date-time (22) follow the PC's locale; US m/d/yy is ambiguous. */
  private static final Map<Integer, String> LOCALE_SHORT_DATES =
      Map.of(14, "yyyy-mm-dd", 22, "yyyy-mm-dd hh:mm");

  /** Doubles are exact integers below 2^53; beyond that a "number" was never a number anyway. */
  private static final double LARGEST_EXACT_INTEGER = 9_007_199_254_740_992d;

  private final Workbook workbook;
  private final Sheet sheet;
  private final Path file;
  private final String shownName;
  private final Iterator<Row> rows;
  private final DataFormatter formatter = new DataFormatter();

  /** A physical row read ahead of its turn, so the header can be judged with the row after it. */
  private List<String> peeked;

  private int nextRowNum;

  /** Whether the first non-blank row, the header, has been returned. */
  private boolean headerSeen;

  private XlsxSheet(Workbook workbook, Sheet sheet, Path file, String shownName) {
    this.shownName = shownName;
    this.workbook = workbook;
    this.sheet = sheet;
    this.file = file;
    this.rows = sheet == null ? java.util.Collections.emptyIterator() : sheet.rowIterator();
  }

  /**
   * Decompression limits: a part may expand at most 100 times (POI's default) and to at most 1 GB,
   * more than the sheet of the largest member list the hub accepts (a million rows is about 250 MB
   * of XML), far less than a zip bomb.
   */
  private static final double MIN_INFLATE_RATIO = 0.01;

  private static final long MAX_ENTRY_SIZE = 1024L * 1024 * 1024;

  static {
    ZipSecureFile.setMinInflateRatio(MIN_INFLATE_RATIO);
    ZipSecureFile.setMaxEntrySize(MAX_ENTRY_SIZE);
  }

  /**
   * Opens the workbook for streaming: rows are parsed as they are asked for, 200 at a time, and the
   * shared strings (every distinct text in the workbook, a million names and addresses in a big
   * member list) are kept in a temporary file instead of the heap.
   *
   * @param sheetName the sheet to read, by name or by number from 1; {@code null} for the first
   */
  static XlsxSheet open(Path file, String shownName, String sheetName)
      throws UnreadableFileException {
    Workbook workbook;
    try {
      workbook =
          StreamingReader.builder()
              .rowCacheSize(200)
              .bufferSize(64 * 1024)
              .setSharedStringsImplementationType(SharedStringsImplementationType.TEMP_FILE_BACKED)
              .setReadComments(false)
              .setReadHyperlinks(false)
              .setReadShapes(false)
              .setReadCoreProperties(false)
              .open(file.toFile());
    } catch (RuntimeException e) {
      throw unreadable(e, shownName);
    }
    try {
      return new XlsxSheet(workbook, choose(workbook, shownName, sheetName), file, shownName);
    } catch (UnreadableFileException | RuntimeException e) {
      closeQuietly(workbook);
      if (e instanceof UnreadableFileException u) {
        throw u;
      }
      throw unreadable((RuntimeException) e, shownName);
    }
  }

  private static Sheet choose(Workbook workbook, String shownName, String sheetName)
      throws UnreadableFileException {
    if (sheetName == null || sheetName.isBlank()) {
      return workbook.getNumberOfSheets() == 0 ? null : workbook.getSheetAt(0);
    }
    String wanted = sheetName.strip();
    List<String> names = sheetNames(workbook);
    int index = names.indexOf(wanted);
    if (index < 0 && wanted.matches("\\d{1,3}")) {
      int number = Integer.parseInt(wanted);
      index = number >= 1 && number <= names.size() ? number - 1 : -1;
    }
    if (index < 0) {
      throw new UnreadableFileException(
          UnreadableFileException.NO_SUCH_SHEET,
          "「%s」里没有工作表「%s」，它有：%s / %s has no sheet '%s'; its sheets are: %s"
              .formatted(shownName, wanted, names, shownName, wanted, names));
    }
    return workbook.getSheetAt(index);
  }

  private static List<String> sheetNames(Workbook workbook) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
      names.add(workbook.getSheetName(i));
    }
    return names;
  }

  /** The workbook's sheets in order, for a preview to offer. */
  List<String> sheetNames() {
    return sheetNames(workbook);
  }

  /** The chosen sheet's name; {@code null} for a workbook without sheets. */
  String sheetName() {
    return sheet == null ? null : sheet.getSheetName();
  }

  /**
   * Rows the sheet says it has after the header, from its dimension record; an upper bound (Excel
   * counts formatted blank rows too), or -1 when the workbook does not say.
   */
  int rowsEstimate() {
    if (sheet == null) {
      return -1;
    }
    try {
      int last = sheet.getLastRowNum();
      return last > 0 ? last : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static UnreadableFileException unreadable(RuntimeException e, String shownName) {
    if (isZipBomb(e)) {
      return new UnreadableFileException(
          UnreadableFileException.ZIP_BOMB,
          "「%s」解压后会膨胀到异常大小（压缩比超过 100 倍或单个部分超过 1 GB），为安全起见拒绝读取；请在 Excel 中重新另存为 .xlsx 后上传 / %s would expand far beyond its size (more than 100 times, or a part over 1 GB), as a zip bomb does; it was refused. Save it again as .xlsx in Excel and upload that."
              .formatted(shownName, shownName),
          e);
    }
    return new UnreadableFileException(
        UnreadableFileException.NOT_A_SPREADSHEET,
        "「%s」是压缩文件，但不是可读取的 Excel .xlsx 工作簿 / %s is a zip archive but not a readable Excel .xlsx workbook."
            .formatted(shownName, shownName),
        e);
  }

  private static boolean isZipBomb(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null
          && (message.contains("Zip bomb") || message.contains("exceeds the max entry size"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<String> next() throws UnreadableFileException {
    List<String> cells;
    if (peeked != null) {
      cells = peeked;
      peeked = null;
      return cells;
    }
    cells = physicalNext();
    if (cells != null && !headerSeen && cells.stream().anyMatch(c -> !CellText.isBlank(c))) {
      headerSeen = true;
      int headerRow = nextRowNum - 1;
      peeked = physicalNext();
      int width = Math.max(cells.size(), peeked == null ? 0 : peeked.size());
      if (hasGap(cells, width)) {
        spreadMergedHeaders(headerRow, cells);
      }
    }
    return cells;
  }

  /**
   * The next row in sheet order; a row the sheet leaves out (a blank one) comes back as an empty
   * list so that the caller sees blank rows as the file has them.
   */
  private List<String> physicalNext() throws UnreadableFileException {
    try {
      if (!rows.hasNext()) {
        return null;
      }
      Row row = rows.next();
      nextRowNum = row.getRowNum() + 1;
      List<String> cells = new ArrayList<>(Math.max(0, row.getLastCellNum()));
      for (Cell cell : row) {
        int column = cell.getColumnIndex();
        while (cells.size() < column) {
          cells.add("");
        }
        cells.add(text(cell));
      }
      return cells;
    } catch (RuntimeException e) {
      throw unreadable(e, shownName);
    }
  }

  /** A blank header cell left of the last column in use: possibly one merged with its neighbour. */
  private static boolean hasGap(List<String> header, int width) {
    for (int column = 0; column < width; column++) {
      if (column >= header.size() || CellText.isBlank(header.get(column))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A header cell merged across several columns (联系电话 over two phone columns) names each of them;
   * without this the second would be a nameless column. Only the header: in a data row a merged
   * cell holds one value, not one per column. A streamed sheet lists its merged cells after its
   * rows, so they are read from a second, quick pass over the sheet's XML, and only when the header
   * has a blank cell that could be part of one.
   */
  private void spreadMergedHeaders(int rowNum, List<String> cells) throws UnreadableFileException {
    for (CellRangeAddress merged : MergedCells.of(file, shownName, sheet.getSheetName())) {
      if (merged.getFirstRow() > rowNum
          || merged.getLastRow() < rowNum
          || merged.getFirstColumn() >= cells.size()) {
        continue;
      }
      String name = cells.get(merged.getFirstColumn());
      for (int column = merged.getFirstColumn(); column <= merged.getLastColumn(); column++) {
        while (cells.size() <= column) {
          cells.add("");
        }
        if (CellText.isBlank(cells.get(column))) {
          cells.set(column, name);
        }
      }
    }
  }

  private static void closeQuietly(Workbook workbook) {
    try {
      workbook.close();
    } catch (IOException | RuntimeException e) {
      // nothing more to read from it
    }
  }

  @Override
  public void close() {
    try {
      workbook.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A formula is returned as its source text with a leading {@code =}, not its cached result, so
   * that the row is flagged like a CSV formula: what a formula shows depends on a calculation the
   * hub cannot check.
   */
  private String text(Cell cell) {
    return switch (cell.getCellType()) {
      case FORMULA -> "=" + formula(cell);
      case NUMERIC -> numeric(cell);
      case STRING -> cell.getStringCellValue();
      case BOOLEAN, ERROR -> formatter.formatCellValue(cell);
      case BLANK, _NONE -> "";
    };
  }

  private static String formula(Cell cell) {
    try {
      return cell.getCellFormula();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private String numeric(Cell cell) {
    double value = cell.getNumericCellValue();
    CellStyle style = cell.getCellStyle();
    int index = style == null ? 0 : style.getDataFormat();
    String stored = style == null ? null : style.getDataFormatString();
    String dateFormat = dateFormat(index, stored);
    if (DateUtil.isADateFormat(index, dateFormat) && DateUtil.isValidExcelDate(value)) {
      try {
        return formatter.formatRawCellContents(value, index, dateFormat);
      } catch (RuntimeException e) {
        return DateUtil.getLocalDateTime(value).toString();
      }
    }
    if (isGeneral(stored) && value == Math.rint(value) && Math.abs(value) < LARGEST_EXACT_INTEGER) {
      return BigDecimal.valueOf(value).toBigInteger().toString();
    }
    try {
      return formatter.formatRawCellContents(value, index, stored == null ? "General" : stored);
    } catch (RuntimeException e) {
      return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
  }

  /**
   * Excel's General format switches to scientific notation beyond 11 digits, which would destroy
   * 13-digit numbers such as 8613812345678 and long member card numbers.
   */
  private static boolean isGeneral(String format) {
    return format == null
        || format.isBlank()
        || "General".equalsIgnoreCase(format)
        || "@".equals(format);
  }

  /**
   * The date pattern POI can apply: locale built-ins replaced, and the quoting and escaping of
   * Chinese literals (m"月"d"日", yyyy\年) removed because POI would otherwise print the quotes.
   */
  private static String dateFormat(int index, String stored) {
    String format = LOCALE_SHORT_DATES.get(index);
    if (format == null && (stored == null || stored.startsWith("reserved"))) {
      format = ZH_CN_BUILTIN_FORMATS.get(index);
    }
    if (format == null) {
      format = stored == null ? "General" : stored;
    }
    String cleaned = format.replaceAll("\\[(?i:DBNum)\\d]", "").replace("上午/下午", "AM/PM");
    StringBuilder out = new StringBuilder(cleaned.length());
    for (int i = 0; i < cleaned.length(); i++) {
      char c = cleaned.charAt(i);
      if (c == '"') {
        int close = cleaned.indexOf('"', i + 1);
        int end = close < 0 ? cleaned.length() : close + 1;
        String literal = cleaned.substring(i + 1, close < 0 ? cleaned.length() : close);
        if (literal.chars().anyMatch(ch -> ch < 128 && Character.isLetter(ch))) {
          out.append(cleaned, i, end);
        } else {
          out.append(literal);
        }
        i = end - 1;
      } else if (c == '\\' && i + 1 < cleaned.length() && !isAsciiLetter(cleaned.charAt(i + 1))) {
        out.append(cleaned.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
