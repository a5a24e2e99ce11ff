package com.onemember.connectors.spreadsheet;

import static com.onemember.connectors.spreadsheet.XlsxFixture.aWorkbook;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an upload row by row from its file. */
class SheetStreamTest {

  @TempDir Path dir;

  @Test
  void aGbkCsvIsReadRowByRowWithItsRowCountKnownBeforehand() throws Exception {
    StringBuilder csv = new StringBuilder("姓名,手机号\r\n");
    for (int i = 1; i <= 2500; i++) {
      csv.append("会员%d,1391000%04d\r\n".formatted(i, i));
    }
    csv.append("\r\n\u001A");
    Path file = write("pos.csv", csv.toString().getBytes(Charset.forName("GBK")));

    try (SheetStream stream = reader(100_000).open(file, "pos.csv", null)) {
      assertThat(stream.encoding()).isEqualTo("GB18030");
      assertThat(stream.rowsEstimate()).isEqualTo(2500);
      int rows = 0;
      SheetRow last = null;
      for (SheetRow row = stream.next(); row != null; row = stream.next()) {
        rows++;
        last = row;
      }
      assertThat(rows).isEqualTo(2500);
      assertThat(last.cells()).containsEntry("姓名", "会员2500").containsEntry("手机号", "13910002500");
    }
  }

  @Test
  void aCsvWithMoreRowsThanAllowedIsRefusedBeforeAnyRowIsRead() throws Exception {
    Path file = write("big.csv", "姓名\n张伟\n李娜\n王芳\n".getBytes(UTF_8));

    assertThatThrownBy(() -> reader(2).open(file, "big.csv", null))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "too-many-rows");
  }

  /** A workbook only says its size roughly, so the limit is found while reading. */
  @Test
  void aWorkbookWithMoreRowsThanAllowedIsRefusedWhenTheLimitIsPassed() throws Exception {
    Path file = write("big.xlsx", aWorkbook().row("姓名").row("张伟").row("李娜").row("王芳").bytes());

    try (SheetStream stream = reader(2).open(file, "big.xlsx", null)) {
      assertThat(stream.next().cells()).containsEntry("姓名", "张伟");
      assertThat(stream.next().cells()).containsEntry("姓名", "李娜");
      assertThatThrownBy(stream::next)
          .isInstanceOf(UnreadableFileException.class)
          .hasFieldOrPropertyWithValue("code", "too-many-rows");
    }
  }

  @Test
  void aRowWiderThanTheHeaderAddsANamelessColumnFromThenOn() throws Exception {
    Path file = write("wide.csv", "姓名,手机号\n张伟,13812345678\n李娜,13912345678,VIP\n".getBytes(UTF_8));

    try (SheetStream stream = reader(10).open(file, "wide.csv", null)) {
      assertThat(stream.next().cells()).containsOnlyKeys("姓名", "手机号");
      assertThat(stream.next().cells()).containsEntry("列3 column 3", "VIP");
      assertThat(stream.headers()).containsExactly("姓名", "手机号", "列3 column 3");
    }
  }

  private static SpreadsheetReader reader(int maxRows) {
    return new SpreadsheetReader(new SpreadsheetLimits(maxRows, 32_767));
  }

  private Path write(String name, byte[] content) throws Exception {
    return Files.write(dir.resolve(name), content);
  }
}
