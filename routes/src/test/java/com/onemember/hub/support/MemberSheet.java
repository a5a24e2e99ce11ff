package com.onemember.hub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Builds member exports as store systems write them: {@code aSheet("姓名", "手机号").row("张伟",
 * "13812345678").gbkCsv()}.
 */
public final class MemberSheet {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  private MemberSheet(List<String> header) {
    this.header = header;
  }

  public static MemberSheet aSheet(String... header) {
    return new MemberSheet(List.of(header));
  }

  public MemberSheet row(String... cells) {
    rows.add(List.of(cells));
    return this;
  }

  public byte[] utf8Csv() {
    return csv(StandardCharsets.UTF_8);
  }

  /** GBK, as most Chinese POS systems and Excel on Chinese Windows export CSV. */
  public byte[] gbkCsv() {
    return csv(Charset.forName("GBK"));
  }

  private byte[] csv(Charset charset) {
    StringBuilder sb = new StringBuilder(String.join(",", header)).append("\r\n");
    for (List<String> row : rows) {
      sb.append(String.join(",", row.stream().map(MemberSheet::quote).toList())).append("\r\n");
    }
    return sb.toString().getBytes(charset);
  }

  /** An .xlsx workbook; a cell starting with '=' becomes a formula cell. */
  public byte[] xlsx() {
    try (XSSFWorkbook book = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      XSSFSheet sheet = book.createSheet("会员");
      XSSFRow head = sheet.createRow(0);
      for (int c = 0; c < header.size(); c++) {
        head.createCell(c).setCellValue(header.get(c));
      }
      for (int r = 0; r < rows.size(); r++) {
        XSSFRow row = sheet.createRow(r + 1);
        for (int c = 0; c < rows.get(r).size(); c++) {
          String v = rows.get(r).get(c);
          if (v.startsWith("=")) {
            row.createCell(c).setCellFormula(v.substring(1));
          } else {
            row.createCell(c).setCellValue(v);
          }
        }
      }
      book.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quote(String cell) {
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
      return "\"" + cell.replace("\"", "\"\"") + "\"";
    }
    return cell;
  }
}
