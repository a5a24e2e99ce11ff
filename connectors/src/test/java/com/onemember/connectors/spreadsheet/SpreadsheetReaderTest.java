package com.onemember.connectors.spreadsheet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class SpreadsheetReaderTest {

  private static final Charset GBK = Charset.forName("GBK");
  private static final String POS_EXPORT =
      "姓名,手机号,生日,性别,地址\r\n张伟,13812345678,1990-05-03,男,上海市浦东新区张杨路1188号\r\n"
          + "李娜,139-1234-5678,1992.7.8,女,\"杭州市西湖区文三路90号1号楼2单元301\"\r\n";

  private final SpreadsheetReader reader = new SpreadsheetReader(SpreadsheetLimits.defaults());

  @Test
  void aGbkExportIsDetectedAndRead() throws Exception {
    Spreadsheet sheet = reader.read(POS_EXPORT.getBytes(GBK), "pos.csv");
    assertThat(sheet.format()).isEqualTo(Spreadsheet.Format.CSV);
    assertThat(sheet.encoding()).isEqualTo("GB18030");
    assertThat(sheet.headers()).containsExactly("姓名", "手机号", "生日", "性别", "地址");
    assertThat(sheet.rows()).hasSize(2);
    assertThat(sheet.rows().get(1).cells()).containsEntry("姓名", "李娜");
  }

  @Test
  void utf8WithAndWithoutBomReadTheSame() throws Exception {
    byte[] plain = POS_EXPORT.getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[plain.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(plain, 0, bom, 3, plain.length);
    Spreadsheet a = reader.read(plain, "a.csv");
    Spreadsheet b = reader.read(bom, "b.csv");
    assertThat(a.encoding()).isEqualTo("UTF-8");
    assertThat(b.encoding()).isEqualTo("UTF-8");
    assertThat(b.headers()).isEqualTo(a.headers());
    assertThat(b.rows()).isEqualTo(a.rows());
  }

  @Test
  void blankRowsAreSkippedAndNotCounted() throws Exception {
    Spreadsheet sheet =
        reader.read("姓名,手机号\n\n张伟,13812345678\n,\n李娜,13912345678\n".getBytes(GBK), "x");
    assertThat(sheet.rows()).extracting(SheetRow::number).containsExactly(1, 2);
  }

  @Test
  void aSemicolonOrTabSeparatedFileIsRead() throws Exception {
    assertThat(reader.read("姓名;手机号\n张伟;13812345678\n".getBytes(GBK), "x").headers())
        .containsExactly("姓名", "手机号");
    assertThat(reader.read("姓名\t手机号\n张伟\t13812345678\n".getBytes(GBK), "x").headers())
        .containsExactly("姓名", "手机号");
  }

  @Test
  void duplicateAndBlankHeadersGetUniqueNames() throws Exception {
    Spreadsheet sheet = reader.read("姓名,电话,电话,\n张伟,138,139,x\n".getBytes(GBK), "x");
    assertThat(sheet.headers()).containsExactly("姓名", "电话", "电话 (2)", "列4 column 4");
  }

  @Test
  void aCsvFormulaCellPutsAProblemOnItsRowOnly() throws Exception {
    Spreadsheet sheet =
        reader.read(
            "姓名,手机号\n\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",13812345678\n李娜,13912345678\n"
                .getBytes(StandardCharsets.UTF_8),
            "x.csv");
    assertThat(sheet.rows().get(0).problems()).singleElement().asString().contains("formula");
    assertThat(sheet.rows().get(1).problems()).isEmpty();
  }

  @Test
  void anXlsxKeepsPhonesAsDigitsAndFlagsFormulas() throws Exception {
    byte[] xlsx;
    try (XSSFWorkbook book = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      XSSFSheet s = book.createSheet("会员");
      XSSFRow head = s.createRow(0);
      head.createCell(0).setCellValue("客户姓名");
      head.createCell(1).setCellValue("联系电话");
      XSSFRow one = s.createRow(1);
      one.createCell(0).setCellValue("王秀英");
      one.createCell(1).setCellValue(13812345678d);
      XSSFRow two = s.createRow(3);
      two.createCell(0).setCellFormula("HYPERLINK(\"http://x\",\"点我\")");
      two.createCell(1).setCellValue("13912345678");
      book.write(out);
      xlsx = out.toByteArray();
    }
    Spreadsheet sheet = reader.read(xlsx, "renamed.csv");
    assertThat(sheet.format()).isEqualTo(Spreadsheet.Format.XLSX);
    assertThat(sheet.encoding()).isNull();
    assertThat(sheet.rows().get(0).cells()).containsEntry("联系电话", "13812345678");
    assertThat(sheet.rows().get(1).number()).isEqualTo(2);
    assertThat(sheet.rows().get(1).problems()).singleElement().asString().contains("公式");
  }

  @Test
  void anEmptyFileIsRefused() {
    assertThat(refusal(new byte[0]).code()).isEqualTo("file-empty");
    assertThat(refusal("\r\n  \r\n".getBytes(StandardCharsets.UTF_8)).code())
        .isEqualTo("file-empty");
  }

  @Test
  void aHeaderWithoutRowsIsRefused() {
    assertThat(refusal("姓名,手机号\r\n\r\n".getBytes(GBK)).code()).isEqualTo("no-data-rows");
  }

  @Test
  void binaryContentIsNotASpreadsheet() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    assertThat(refusal(png).code()).isEqualTo("not-a-spreadsheet");
  }

  @Test
  void anOldOrEncryptedWorkbookIsRefusedSayingWhatToDo() {
    byte[] ole2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A};
    UnreadableFileException e = refusal(ole2);
    assertThat(e.code()).isEqualTo("unsupported-workbook");
    assertThat(e.getMessage()).contains("password").contains(".xlsx");
  }

  @Test
  void moreRowsThanTheLimitAreRefusedWhole() {
    SpreadsheetReader small = new SpreadsheetReader(new SpreadsheetLimits(2, 100));
    UnreadableFileException e =
        catchThrowableOfType(
            UnreadableFileException.class, () -> small.read("姓名\n张伟\n李娜\n王芳\n".getBytes(GBK), "x"));
    assertThat(e.code()).isEqualTo("too-many-rows");
  }

  @Test
  void anOverlongCellIsFlaggedOnItsRow() throws Exception {
    SpreadsheetReader small = new SpreadsheetReader(new SpreadsheetLimits(10, 20));
    Spreadsheet sheet = small.read(("姓名\n" + "吴".repeat(30) + "\n").getBytes(GBK), "x");
    assertThat(sheet.rows().get(0).problems()).singleElement().asString().contains("20");
  }

  private UnreadableFileException refusal(byte[] content) {
    return catchThrowableOfType(UnreadableFileException.class, () -> reader.read(content, "f"));
  }
}
