package com.onemember.connectors.spreadsheet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.onemember.connectors.spreadsheet.Spreadsheet.Format;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpreadsheetReaderCsvTest {

  private static final Charset GBK = Charset.forName("GBK");

  private final SpreadsheetReader reader = new SpreadsheetReader(SpreadsheetLimits.defaults());

  @Test
  void readsUtf8() throws Exception {
    byte[] csv = "姓名,手机号\n张伟,13812345678\n李娜,139-1234-5678\n".getBytes(UTF_8);

    Spreadsheet sheet = reader.read(csv, "members.csv");

    assertThat(sheet.format()).isEqualTo(Format.CSV);
    assertThat(sheet.encoding()).isEqualTo("UTF-8");
    assertThat(sheet.headers()).containsExactly("姓名", "手机号");
    assertThat(sheet.rows()).hasSize(2);
    assertThat(sheet.rows().get(1).number()).isEqualTo(2);
    assertThat(sheet.rows().get(1).cells())
        .containsExactly(entry("姓名", "李娜"), entry("手机号", "139-1234-5678"));
    assertThat(sheet.rows().get(1).warnings()).isEmpty();
  }

  @Test
  void stripsUtf8ByteOrderMark() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "姓名,手机号\r\n王秀英,+86 137 0000 1111\r\n".getBytes(UTF_8);
    byte[] csv = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, csv, 0, bom.length);
    System.arraycopy(body, 0, csv, bom.length, body.length);

    Spreadsheet sheet = reader.read(csv, "excel-csv-utf8.csv");

    assertThat(sheet.encoding()).isEqualTo("UTF-8");
    assertThat(sheet.headers().get(0)).isEqualTo("姓名");
    assertThat(sheet.rows().get(0).cells()).containsEntry("手机号", "+86 137 0000 1111");
  }

  @Test
  void detectsGbkFromAChineseStoreSystem() throws Exception {
    byte[] csv =
        ("姓名,手机号,生日,性别,地址\r\n"
                + "张伟,13812345678,1990-05-03,男,上海市徐汇区漕溪北路88号\r\n"
                + "王秀英,139-1234-5678,1985.11.2,女,浙江省杭州市西湖区文三路90号\r\n")
            .getBytes(GBK);

    Spreadsheet sheet = reader.read(csv, "pos.csv");

    assertThat(sheet.encoding()).isEqualTo("GB18030");
    assertThat(sheet.headers()).containsExactly("姓名", "手机号", "生日", "性别", "地址");
    assertThat(sheet.rows().get(1).cells())
        .containsExactly(
            entry("姓名", "王秀英"),
            entry("手机号", "139-1234-5678"),
            entry("生日", "1985.11.2"),
            entry("性别", "女"),
            entry("地址", "浙江省杭州市西湖区文三路90号"));
  }

  @Test
  void refusesAFilePastedTogetherFromGbkAndUtf8AndNamesALineOfEach() throws Exception {
    java.io.ByteArrayOutputStream csv = new java.io.ByteArrayOutputStream();
    csv.write("姓名,手机号\r\n张伟,13812345678\r\n".getBytes(GBK));
    csv.write("王秀英,13912345678\r\n".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> reader.read(csv.toByteArray(), "合并.csv"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "mixed-encodings")
        .hasMessageContaining("line 3 is UTF-8, line 1 is GBK");
  }

  @Test
  void aGbkFileWithOneLineThatHappensToBeAsciiIsStillGbk() throws Exception {
    byte[] csv = "姓名,手机号\r\nWang Wei,13812345678\r\n张伟,13712345678\r\n".getBytes(GBK);
    assertThat(reader.read(csv, "pos.csv").encoding()).isEqualTo("GB18030");
  }

  @ParameterizedTest
  @ValueSource(strings = {";", "\t"})
  void detectsTheDelimiterFromTheHeaderLine(String delimiter) throws Exception {
    byte[] csv =
        String.join(delimiter, "姓名", "手机号", "备注")
            .concat("\n")
            .concat(String.join(delimiter, "李娜", "13812345678", "喜欢素色, 偏爱棉麻"))
            .concat("\n")
            .getBytes(UTF_8);

    Spreadsheet sheet = reader.read(csv, "export.txt");

    assertThat(sheet.headers()).containsExactly("姓名", "手机号", "备注");
    assertThat(sheet.rows().get(0).cells()).containsEntry("备注", "喜欢素色, 偏爱棉麻");
  }

  @Test
  void keepsQuotedDelimitersAndLineBreaksInsideACell() throws Exception {
    byte[] csv =
        "First Name,Address1\nWei,\"No. 88, Caoxi North Rd\nRoom 1202\"\nNa,\"He said \"\"hi\"\"\"\n"
            .getBytes(UTF_8);

    Spreadsheet sheet = reader.read(csv, "shop.csv");

    assertThat(sheet.rows()).hasSize(2);
    assertThat(sheet.rows().get(0).cells())
        .containsEntry("Address1", "No. 88, Caoxi North Rd\nRoom 1202");
    assertThat(sheet.rows().get(1).cells()).containsEntry("Address1", "He said \"hi\"");
  }

  @Test
  void skipsBlankRowsAndNumbersOnlyDataRows() throws Exception {
    byte[] csv = "\n姓名,手机号\n\n张伟,13812345678\n , \n,,\n李娜,13912345678\n".getBytes(UTF_8);

    Spreadsheet sheet = reader.read(csv, "gaps.csv");

    assertThat(sheet.rows()).extracting(SheetRow::number).containsExactly(1, 2);
    assertThat(sheet.rows()).extracting(r -> r.cells().get("姓名")).containsExactly("张伟", "李娜");
  }

  @Test
  void warnsOfAFormulaAndKeepsItsTextAsUntrusted() throws Exception {
    byte[] csv =
        "姓名,手机号\n\" =HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",13812345678\n".getBytes(UTF_8);

    SheetRow row = reader.read(csv, "injected.csv").rows().get(0);

    assertThat(row.cells()).containsEntry("姓名", " =HYPERLINK(\"http://x\",\"点我\")");
    assertThat(row.warnings())
        .containsExactly(
            "第 1 列「姓名」是公式“=HYPERLINK(\"http://x\",\"点我\")”，已原样保留，未用于匹配 / column 姓名 holds"
                + " a formula \"=HYPERLINK(\"http://x\",\"点我\")\"; it was kept as written and not used"
                + " for matching");
    assertThat(row.untrustedColumns()).containsExactly("姓名");
  }

  @Test
  void cellsStartingWithPlusMinusOrAtAreFormulasTooButASignedPhoneOrNumberIsData()
      throws Exception {
    byte[] csv =
        ("姓名,手机号,备注,积分\n"
                + "\"@SUM(1+1)*cmd|' /C calc'!A0\",+86 139 1234 5678,\"+cmd|' /C calc'!A0\",-12.5\n"
                + "王芳,13812345678,\"-2+3+cmd|' /C calc'!A0\",+300\n")
            .getBytes(UTF_8);

    List<SheetRow> rows = reader.read(csv, "injected.csv").rows();

    assertThat(rows.get(0).untrustedColumns()).containsExactly("姓名", "备注");
    assertThat(rows.get(0).cells()).containsEntry("手机号", "+86 139 1234 5678");
    assertThat(rows.get(1).untrustedColumns()).containsExactly("备注");
    assertThat(rows.get(1).warnings())
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("第 3 列「备注」", "formula");
  }

  @Test
  void cutsAnOverlongCellAndWarnsOfIt() throws Exception {
    SpreadsheetReader strict = new SpreadsheetReader(new SpreadsheetLimits(10, 5));
    byte[] csv = "姓名,备注\n张伟,一二三四五六七\n".getBytes(UTF_8);

    SheetRow row = strict.read(csv, "long.csv").rows().get(0);

    assertThat(row.cells()).containsEntry("备注", "一二三四五");
    assertThat(row.warnings())
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("第 2 列「备注」", "column 备注", "not used for matching");
    assertThat(row.untrustedColumns()).containsExactly("备注");
  }

  @Test
  void namesEmptyDuplicateAndExtraColumns() throws Exception {
    byte[] csv = " 姓名 ,手机号,,手机号,\n张伟,13812345678,x,13912345678,,多出来的\n".getBytes(UTF_8);

    Spreadsheet sheet = reader.read(csv, "messy.csv");

    assertThat(sheet.headers())
        .containsExactly("姓名", "手机号", "列3 column 3", "手机号 (2)", "列5 column 5", "列6 column 6");
    assertThat(sheet.rows().get(0).cells())
        .containsEntry("手机号 (2)", "13912345678")
        .containsEntry("列5 column 5", "")
        .containsEntry("列6 column 6", "多出来的");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   \r\n\r\n", "\uFEFF", "\uFEFF \n"})
  void refusesAnEmptyFile(String content) {
    assertThatThrownBy(() -> reader.read(content.getBytes(UTF_8), "empty.csv"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "file-empty")
        .hasMessage("文件为空 / The file is empty.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"姓名,手机号", "姓名,手机号\r\n\r\n,\r\n"})
  void refusesAHeaderWithoutData(String content) {
    assertThatThrownBy(() -> reader.read(content.getBytes(UTF_8), "header-only.csv"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "no-data-rows");
  }

  @Test
  void refusesAnImage() {
    byte[] png =
        Base64.getDecoder()
            .decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    assertThatThrownBy(() -> reader.read(png, "会员.csv"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "not-a-spreadsheet")
        .hasMessageContaining("「会员.csv」")
        .hasMessageContaining(" / ");
  }

  @Test
  void refusesTextThatIsNeitherUtf8NorGbk() {
    byte[] latin = {'a', ',', 'b', '\n', (byte) 0x80, ',', (byte) 0xFF, '\n'};

    assertThatThrownBy(() -> reader.read(latin, "x.csv"))
        .hasFieldOrPropertyWithValue("code", "not-a-spreadsheet");
  }

  @Test
  void namesTheRealCauseOfAnHtmlExportNamedXls() {
    byte[] html = "<html><body><table><tr><td>姓名</td></tr></table></body></html>".getBytes(UTF_8);

    assertThatThrownBy(() -> reader.read(html, "导出.xls"))
        .hasFieldOrPropertyWithValue("code", "not-a-spreadsheet")
        .hasMessageContaining("HTML");
  }

  @Test
  void refusesAnOldOrEncryptedWorkbook() {
    byte[] ole2 = {
      (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0
    };

    assertThatThrownBy(() -> reader.read(ole2, "members.xls"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "unsupported-workbook")
        .hasMessageContaining(".xls")
        .hasMessageContaining("password");
  }

  @Test
  void refusesMoreRowsThanTheLimitButAcceptsExactlyTheLimit() throws Exception {
    SpreadsheetReader small = new SpreadsheetReader(new SpreadsheetLimits(3, 100));
    String three = "姓名\n张伟\n李娜\n\n王秀英\n";

    assertThat(small.read(three.getBytes(UTF_8), "three.csv").rows()).hasSize(3);
    assertThatThrownBy(() -> small.read((three + "陈建国\n").getBytes(UTF_8), "four.csv"))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "too-many-rows")
        .hasMessageContaining("3");
  }

  @Test
  void ignoresATrailingCtrlZFromOldPosSystems() throws Exception {
    byte[] csv = "会员卡号,姓名\r\n8801200001,张伟\r\n\u001A".getBytes(GBK);

    assertThat(reader.read(csv, "dos.csv").rows()).hasSize(1);
  }
}
