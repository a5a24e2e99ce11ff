package com.onemember.connectors.spreadsheet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** Builds real .xlsx bytes the way Excel stores what a clerk typed. */
final class XlsxFixture {

  private final XSSFWorkbook workbook = new XSSFWorkbook();
  private final XSSFSheet sheet = workbook.createSheet("会员");
  private XSSFRow row;
  private int column;

  static XlsxFixture aWorkbook() {
    return new XlsxFixture();
  }

  XlsxFixture row(Object... values) {
    row = sheet.createRow(sheet.getPhysicalNumberOfRows() == 0 ? 0 : sheet.getLastRowNum() + 1);
    column = 0;
    for (Object value : values) {
      XSSFCell cell = row.createCell(column++);
      if (value instanceof Number number) {
        cell.setCellValue(number.doubleValue());
      } else if (value != null) {
        cell.setCellValue(value.toString());
      }
    }
    return this;
  }

  XlsxFixture blankRow() {
    row = sheet.createRow(sheet.getLastRowNum() + 1);
    column = 0;
    return this;
  }

  /** Appends a date cell with an Excel number format to the current row. */
  XlsxFixture date(LocalDate date, String format) {
    XSSFCell cell = row.createCell(column++);
    cell.setCellValue(date);
    CellStyle style = workbook.createCellStyle();
    style.setDataFormat(workbook.createDataFormat().getFormat(format));
    cell.setCellStyle(style);
    return this;
  }

  /** Appends a date cell using one of Excel's built-in format numbers, as Excel writes them. */
  XlsxFixture date(LocalDate date, short builtinFormat) {
    XSSFCell cell = row.createCell(column++);
    cell.setCellValue(date);
    CellStyle style = workbook.createCellStyle();
    style.setDataFormat(builtinFormat);
    cell.setCellStyle(style);
    return this;
  }

  XlsxFixture formula(String formula) {
    row.createCell(column++).setCellFormula(formula);
    return this;
  }

  XlsxFixture sheet(String name) {
    workbook.createSheet(name).createRow(0).createCell(0).setCellValue("姓名");
    return this;
  }

  byte[] bytes() {
    try (workbook;
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      workbook.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
