package com.onemember.connectors.spreadsheet;

import static com.onemember.connectors.spreadsheet.XlsxFixture.aWorkbook;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.spreadsheet.Spreadsheet.Format;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class SpreadsheetReaderXlsxTest {

  private final SpreadsheetReader reader = new SpreadsheetReader(SpreadsheetLimits.defaults());

  @Test
  void readsAPhoneTypedAsANumberAsItsDigits() throws Exception {
    byte[] xlsx =
        aWorkbook()
            .row("客户姓名", "联系电话", "会员卡号")
            .row("张伟", 13812345678L, 8801200000012345L)
            .row("李娜", 8613912345678L, "0012")
            .bytes();

    Spreadsheet sheet = reader.read(xlsx, "store.xlsx");

    assertThat(sheet.format()).isEqualTo(Format.XLSX);
    assertThat(sheet.encoding()).isNull();
    assertThat(sheet.rows().get(0).cells())
        .containsEntry("联系电话", "13812345678")
        .containsEntry("会员卡号", "8801200000012345");
    assertThat(sheet.rows().get(1).cells())
        .containsEntry("联系电话", "8613912345678")
        .containsEntry("会员卡号", "0012");
  }

  @Test
  void readsDatesAsTheClerkSawThem() throws Exception {
    LocalDate may3 = LocalDate.of(1990, 5, 3);
    byte[] xlsx =
        aWorkbook()
            .row("姓名", "生日", "系统日期", "无年份生日", "中文内置格式", "转义格式")
            .row("王秀英")
            .date(may3, "yyyy-mm-dd")
            .date(may3, (short) 14)
            .date(LocalDate.of(2024, 5, 3), "m\"月\"d\"日\"")
            .date(may3, (short) 31)
            .date(may3, "yyyy\\年m\\月d\\日")
            .bytes();

    SheetRow row = reader.read(xlsx, "dates.xlsx").rows().get(0);

    assertThat(row.cells())
        .containsEntry("生日", "1990-05-03")
        .containsEntry("系统日期", "1990-05-03")
        .containsEntry("无年份生日", "5月3日")
        .containsEntry("中文内置格式", "1990年5月3日")
        .containsEntry("转义格式", "1990年5月3日");
  }

  @Test
  void keepsAFormulaAsTextWithAWarning() throws Exception {
    byte[] xlsx =
        aWorkbook()
            .row("姓名", "手机号")
            .row("张伟", "13812345678")
            .row(null, "13912345678")
            .formula("HYPERLINK(\"http://x\",\"点我\")")
            .bytes();

    Spreadsheet sheet = reader.read(xlsx, "clerk.xlsx");

    assertThat(sheet.rows().get(0).warnings()).isEmpty();
    SheetRow flagged = sheet.rows().get(1);
    assertThat(flagged.cells().values()).anyMatch(v -> v.equals("=HYPERLINK(\"http://x\",\"点我\")"));
    assertThat(flagged.warnings())
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("是公式", "formula", "not used for matching");
    assertThat(flagged.untrustedColumns()).containsExactly("列3 column 3");
  }

  @Test
  void decidesTheFormatByContentNotByName() throws Exception {
    byte[] xlsx = aWorkbook().row("姓名").row("李娜").bytes();

    assertThat(reader.read(xlsx, "renamed.csv").format()).isEqualTo(Format.XLSX);
  }

  @Test
  void readsOnlyTheFirstSheetAndSkipsBlankRows() throws Exception {
    byte[] xlsx =
        aWorkbook()
            .row("姓名", "手机号")
            .blankRow()
            .row("张伟", "13812345678")
            .row("", "  ")
            .row("李娜", "13912345678")
            .sheet("说明")
            .bytes();

    Spreadsheet sheet = reader.read(xlsx, "two-sheets.xlsx");

    assertThat(sheet.rows()).extracting(SheetRow::number).containsExactly(1, 2);
    assertThat(sheet.rows()).extracting(r -> r.cells().get("姓名")).containsExactly("张伟", "李娜");
  }

  @Test
  void refusesAWorkbookWithoutData() {
    assertThatThrownBy(() -> reader.read(aWorkbook().row("姓名", "手机号").bytes(), "h.xlsx"))
        .hasFieldOrPropertyWithValue("code", "no-data-rows");
    assertThatThrownBy(() -> reader.read(aWorkbook().blankRow().bytes(), "e.xlsx"))
        .hasFieldOrPropertyWithValue("code", "file-empty");
  }

  @Test
  void refusesAZipThatIsNoWorkbook() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("photo.txt"));
      zip.write("not a workbook".getBytes());
      zip.closeEntry();
    }

    assertThatThrownBy(() -> reader.read(bytes.toByteArray(), "members.xlsx"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "not-a-spreadsheet");
  }

  @Test
  void refusesAZipBombNamingItAsSuch() throws Exception {
    // a real workbook whose sheet was swapped for one that expands from about 100 KB to 100 MB
    byte[] workbook = aWorkbook().row("姓名", "手机号").row("张伟", "13812345678").bytes();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes);
        java.util.zip.ZipInputStream parts =
            new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(workbook))) {
      for (ZipEntry part = parts.getNextEntry(); part != null; part = parts.getNextEntry()) {
        zip.putNextEntry(new ZipEntry(part.getName()));
        if (!part.getName().equals("xl/worksheets/sheet1.xml")) {
          parts.transferTo(zip);
        } else {
          zip.write(
              ("<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
                      + "spreadsheetml/2006/main\"><sheetData>")
                  .getBytes());
          byte[] blanks = new byte[1024 * 1024];
          java.util.Arrays.fill(blanks, (byte) ' ');
          for (int i = 0; i < 100; i++) {
            zip.write(blanks);
          }
          zip.write("</sheetData></worksheet>".getBytes());
        }
        zip.closeEntry();
      }
    }
    assertThat(bytes.size()).isLessThan(1_000_000);

    assertThatThrownBy(() -> reader.read(bytes.toByteArray(), "会员.xlsx"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "zip-bomb")
        .hasMessageContaining("zip bomb");
  }

  @Test
  void readsTheSheetTheUploadNamesByNameOrNumber() throws Exception {
    byte[] xlsx = aWorkbook().row("姓名", "手机号").row("张伟", "13812345678").sheet("11月").bytes();
    // the fixture's second sheet holds only a header: named, it is read (and has no data)
    assertThat(reader.read(xlsx, "two.xlsx", "1").rows()).hasSize(1);
    assertThat(reader.read(xlsx, "two.xlsx", "会员").rows()).hasSize(1);
    assertThatThrownBy(() -> reader.read(xlsx, "two.xlsx", "11月"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "no-data-rows");
    assertThatThrownBy(() -> reader.read(xlsx, "two.xlsx", "12月"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "no-such-sheet")
        .hasMessageContaining("its sheets are: [会员, 11月]");
    assertThatThrownBy(() -> reader.read(xlsx, "two.xlsx", "3"))
        .hasFieldOrPropertyWithValue("code", "no-such-sheet");
  }

  @Test
  void aHeaderMergedOverTwoColumnsNamesBoth() throws Exception {
    byte[] xlsx;
    try (org.apache.poi.xssf.usermodel.XSSFWorkbook book =
        new org.apache.poi.xssf.usermodel.XSSFWorkbook()) {
      var sheet = book.createSheet("会员");
      var header = sheet.createRow(0);
      header.createCell(0).setCellValue("姓名");
      header.createCell(1).setCellValue("联系电话");
      sheet.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(0, 0, 1, 2));
      var data = sheet.createRow(1);
      data.createCell(0).setCellValue("张伟");
      data.createCell(1).setCellValue("13812345678");
      data.createCell(2).setCellValue("0571-88886666");
      var out = new java.io.ByteArrayOutputStream();
      book.write(out);
      xlsx = out.toByteArray();
    }

    Spreadsheet sheet = reader.read(xlsx, "merged.xlsx");

    assertThat(sheet.headers()).containsExactly("姓名", "联系电话", "联系电话 (2)");
    assertThat(sheet.rows().get(0).cells())
        .containsEntry("联系电话", "13812345678")
        .containsEntry("联系电话 (2)", "0571-88886666");
    assertThat(MemberColumns.detect(sheet.headers()).fields())
        .containsEntry("联系电话 (2)", MemberField.MOBILE);
  }
}
