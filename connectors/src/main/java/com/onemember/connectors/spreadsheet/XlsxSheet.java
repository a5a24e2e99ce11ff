package com.onemember.connectors.spreadsheet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Row.MissingCellPolicy;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The first sheet of an .xlsx workbook, with every cell rendered as the clerk saw it in Excel. That
 * matters more than the stored value: a mobile number typed into a cell is stored as the double
 * 1.3812345678E10, and a birthday typed as 5月3日 is stored as a full date in the year it was typed,
 * so only the displayed text says what the clerk actually knew.
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

  private final XSSFWorkbook workbook;
  private final Sheet sheet;
  private final DataFormatter formatter = new DataFormatter();
  private int nextRow;

  private XlsxSheet(XSSFWorkbook workbook, Sheet sheet) {
    this.workbook = workbook;
    this.sheet = sheet;
    this.nextRow = sheet == null ? 0 : Math.max(0, sheet.getFirstRowNum());
  }

  /**
   * Decompression limits: a part may expand at most 100 times (POI's default) and to at most 256
   * MB, far more than the sheet of the largest member list the hub accepts, far less than a zip
   * bomb.
   */
  private static final double MIN_INFLATE_RATIO = 0.01;

  private static final long MAX_ENTRY_SIZE = 256L * 1024 * 1024;

  static {
    org.apache.poi.openxml4j.util.ZipSecureFile.setMinInflateRatio(MIN_INFLATE_RATIO);
    org.apache.poi.openxml4j.util.ZipSecureFile.setMaxEntrySize(MAX_ENTRY_SIZE);
  }

  static XlsxSheet open(byte[] content, String shownName) throws UnreadableFileException {
    return open(content, shownName, null);
  }

  /**
   * @param sheetName the sheet to read, by name or by number from 1; {@code null} for the first
   */
  static XlsxSheet open(byte[] content, String shownName, String sheetName)
      throws UnreadableFileException {
    XSSFWorkbook workbook;
    try {
      workbook = new XSSFWorkbook(new ByteArrayInputStream(content));
    } catch (IOException | RuntimeException e) {
      if (isZipBomb(e)) {
        throw new UnreadableFileException(
            UnreadableFileException.ZIP_BOMB,
            "「%s」解压后会膨胀到异常大小（压缩比超过 100 倍或单个部分超过 256 MB），为安全起见拒绝读取；请在 Excel 中重新另存为 .xlsx 后上传 / %s would expand far beyond its size (more than 100 times, or a part over 256 MB), as a zip bomb does; it was refused. Save it again as .xlsx in Excel and upload that."
                .formatted(shownName, shownName),
            e);
      }
      throw new UnreadableFileException(
          UnreadableFileException.NOT_A_SPREADSHEET,
          "「%s」是压缩文件，但不是可读取的 Excel .xlsx 工作簿 / %s is a zip archive but not a readable Excel .xlsx workbook."
              .formatted(shownName, shownName),
          e);
    }
    if (sheetName == null || sheetName.isBlank()) {
      Sheet first = workbook.getNumberOfSheets() == 0 ? null : workbook.getSheetAt(0);
      return new XlsxSheet(workbook, first);
    }
    String wanted = sheetName.strip();
    Sheet chosen = workbook.getSheet(wanted);
    if (chosen == null && wanted.matches("\\d{1,3}")) {
      int number = Integer.parseInt(wanted);
      chosen =
          number >= 1 && number <= workbook.getNumberOfSheets()
              ? workbook.getSheetAt(number - 1)
              : null;
    }
    if (chosen == null) {
      List<String> names = new ArrayList<>();
      workbook.forEach(sh -> names.add(sh.getSheetName()));
      try {
        workbook.close();
      } catch (IOException e) {
        // nothing more to read from it
      }
      throw new UnreadableFileException(
          UnreadableFileException.NO_SUCH_SHEET,
          "「%s」里没有工作表「%s」，它有：%s / %s has no sheet '%s'; its sheets are: %s"
              .formatted(shownName, wanted, names, shownName, wanted, names));
    }
    return new XlsxSheet(workbook, chosen);
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
  public List<String> next() {
    if (sheet == null || nextRow > sheet.getLastRowNum()) {
      return null;
    }
    Row row = sheet.getRow(nextRow++);
    if (row == null) {
      return List.of();
    }
    int width = Math.max(0, row.getLastCellNum());
    List<String> cells = new ArrayList<>(width);
    for (int column = 0; column < width; column++) {
      Cell cell = row.getCell(column, MissingCellPolicy.RETURN_BLANK_AS_NULL);
      cells.add(cell == null ? "" : text(cell));
    }
    if (!headerSeen && cells.stream().anyMatch(c -> !CellText.isBlank(c))) {
      headerSeen = true;
      spreadMergedHeaders(row.getRowNum(), cells);
    }
    return cells;
  }

  /** Whether the first non-blank row, the header, has been returned. */
  private boolean headerSeen;

  /**
   * A header cell merged across several columns (联系电话 over two phone columns) names each of them;
   * without this the second would be a nameless column. Only the header: in a data row a merged
   * cell holds one value, not one per column.
   */
  private void spreadMergedHeaders(int rowNum, List<String> cells) {
    for (org.apache.poi.ss.util.CellRangeAddress merged : sheet.getMergedRegions()) {
      if (merged.getFirstRow() > rowNum || merged.getLastRow() < rowNum) {
        continue;
      }
      Row top = sheet.getRow(merged.getFirstRow());
      Cell first =
          top == null
              ? null
              : top.getCell(merged.getFirstColumn(), MissingCellPolicy.RETURN_BLANK_AS_NULL);
      String name = first == null ? "" : text(first);
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
