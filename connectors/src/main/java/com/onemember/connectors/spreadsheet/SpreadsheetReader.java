package com.onemember.connectors.spreadsheet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an uploaded member export into header and rows of text. The format is decided from the
 * bytes (a zip is a workbook, an OLE2 file is an old or encrypted workbook, anything else must be
 * text), because staff rename files freely. Problems of one cell are put on its row, not thrown, so
 * that one bad row never stops the good rows beside it.
 */
public final class SpreadsheetReader {

  private final SpreadsheetLimits limits;

  public SpreadsheetReader(SpreadsheetLimits limits) {
    this.limits = limits;
  }

  /**
   * @param fileName as uploaded; used only in messages
   * @throws UnreadableFileException when the file as a whole cannot be imported
   */
  public Spreadsheet read(byte[] content, String fileName) throws UnreadableFileException {
    String shown = fileName == null || fileName.isBlank() ? "上传的文件/upload" : fileName;
    if (content.length == 0) {
      throw new UnreadableFileException(
          UnreadableFileException.FILE_EMPTY, "文件为空 / The file is empty.");
    }
    if (CsvText.startsWith(content, 0xD0, 0xCF, 0x11, 0xE0)) {
      throw new UnreadableFileException(
          UnreadableFileException.UNSUPPORTED_WORKBOOK,
          ("「%s」是旧版 .xls 或带密码的工作簿，无法读取；请去掉密码并另存为 .xlsx / %s is an old .xls or a"
                  + " password-protected workbook; remove the password and save it as .xlsx.")
              .formatted(shown, shown));
    }
    if (CsvText.startsWith(content, 'P', 'K', 3, 4)) {
      try (XlsxSheet sheet = XlsxSheet.open(content, shown)) {
        return read(Spreadsheet.Format.XLSX, null, sheet);
      }
    }
    CsvText text = CsvText.decode(content, shown);
    return read(Spreadsheet.Format.CSV, text.encoding(), text.rows(shown));
  }

  private Spreadsheet read(Spreadsheet.Format format, String encoding, RowSource source)
      throws UnreadableFileException {
    List<String> raw = source.next();
    while (raw != null && raw.stream().allMatch(CellText::isBlank)) {
      raw = source.next();
    }
    if (raw == null) {
      throw new UnreadableFileException(
          UnreadableFileException.FILE_EMPTY, "文件为空 / The file is empty.");
    }
    List<String> headers = headers(raw);
    List<SheetRow> rows = new ArrayList<>();
    for (List<String> cells = source.next(); cells != null; cells = source.next()) {
      if (cells.stream().allMatch(CellText::isBlank)) {
        continue;
      }
      if (rows.size() == limits.maxRows()) {
        throw new UnreadableFileException(
            UnreadableFileException.TOO_MANY_ROWS,
            "文件超过 %d 行的上限，请拆分后再上传 / The file has more than %d rows, the limit; split it and upload the parts."
                .formatted(limits.maxRows(), limits.maxRows()));
      }
      rows.add(row(rows.size() + 1, headers, cells));
    }
    if (rows.isEmpty()) {
      throw new UnreadableFileException(
          UnreadableFileException.NO_DATA_ROWS,
          "文件只有表头，没有数据行 / The file has a header row but no data rows.");
    }
    return new Spreadsheet(format, encoding, headers, rows);
  }

  /** Trimmed, unique header names; a blank header cell gets a name from its position. */
  private static List<String> headers(List<String> raw) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < raw.size(); i++) {
      String name = CellText.strip(raw.get(i) == null ? "" : raw.get(i));
      if (name.isEmpty()) {
        name = "列" + (i + 1) + " column " + (i + 1);
      }
      int n = seen.merge(name, 1, Integer::sum);
      out.add(n == 1 ? name : name + " (" + n + ")");
    }
    return out;
  }

  private SheetRow row(int number, List<String> headers, List<String> cells) {
    Map<String, String> byHeader = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < Math.max(headers.size(), cells.size()); i++) {
      String header = i < headers.size() ? headers.get(i) : "列" + (i + 1) + " column " + (i + 1);
      String value = i < cells.size() && cells.get(i) != null ? cells.get(i) : "";
      if (CellText.isFormula(value)) {
        problems.add(
            "第 %d 列「%s」是公式，不接受公式，请填写数值本身 / column %s holds a formula, which is not accepted; type the value itself."
                .formatted(i + 1, header, header));
      }
      if (value.length() > limits.maxCellLength()) {
        problems.add(
            "第 %d 列「%s」超过 %d 个字符 / column %s is longer than %d characters."
                .formatted(i + 1, header, limits.maxCellLength(), header, limits.maxCellLength()));
        value = value.substring(0, limits.maxCellLength());
      }
      if (i >= headers.size() && CellText.isBlank(value)) {
        continue;
      }
      byHeader.put(header, value);
    }
    return new SheetRow(number, byHeader, problems);
  }
}
