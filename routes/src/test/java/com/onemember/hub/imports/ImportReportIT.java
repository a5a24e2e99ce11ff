package com.onemember.hub.imports;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.model.ImportJob;
import com.onemember.hub.support.HubIT;
import java.io.File;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * Store staff get their own sheet back with what became of each row and which values were left out,
 * fix the rows that were refused, resend.
 */
class ImportReportIT extends HubIT {

  @Test
  void theWorkbookReportGivesTheirColumnsBackAndTheFixedRowsGoInOnReupload() throws Exception {
    ImportJob first =
        importAndWait(
            "store-hangzhou-55",
            "会员登记表.xlsx",
            aSheet("姓名", "手机号", "生日", "备注")
                .row("韩雪", "13905500001", "1983-01-11", "老客户")
                .row("", "1390550002", "1983-08-08", "手机少一位，姓名没写")
                .row("胡歌", "13905500003", "1982-9-20", "")
                .row("黄渤", "13905500004", "1974-08-31", "=B5")
                .row("刘涛", "1390550005", "1978-07-12", "手机少一位")
                .xlsx());
    assertThat(first.getCounts().getRejected()).isEqualTo(1);
    assertThat(first.getCounts().getWarnings()).isEqualTo(2);

    List<List<String>> all = rows(imports().getImportReportXlsx(first.getId(), null));
    assertThat(all.get(0))
        .containsExactly(
            "姓名",
            "手机号",
            "生日",
            "备注",
            "OneMember 处理结果 / outcome",
            "OneMember 会员 / golden member",
            "OneMember 错误原因 / error",
            "OneMember 警告 / warnings");
    assertThat(all).hasSize(6);
    assertThat(all.get(1).get(4)).contains("created");
    assertThat(all.get(1).get(5)).matches("[0-9a-f-]{36}");
    assertThat(all.get(1).get(7)).isEmpty();
    assertThat(all.get(2).get(4)).contains("fix and upload again");
    assertThat(all.get(2).get(6)).contains("1390550002");
    // kept, with the value left out named beside the row; the formula stays as the clerk wrote it
    assertThat(all.get(4).get(3)).isEqualTo("=B5");
    assertThat(all.get(4).get(4)).contains("created");
    assertThat(all.get(4).get(6)).isEmpty();
    assertThat(all.get(4).get(7)).contains("column 备注 holds a formula");
    // ... and is shown as text by Excel and WPS, also once the cell is edited: quote-prefixed
    try (XSSFWorkbook book =
        new XSSFWorkbook(new FileInputStream(imports().getImportReportXlsx(first.getId(), null)))) {
      var formula = book.getSheetAt(0).getRow(4).getCell(3);
      assertThat(formula.getCellStyle().getQuotePrefixed()).isTrue();
      assertThat(book.getSheetAt(0).getRow(1).getCell(3).getCellStyle().getQuotePrefixed())
          .isFalse();
    }
    assertThat(all.get(5).get(4)).contains("created");
    assertThat(all.get(5).get(7)).contains("1390550005").contains("not a valid number");

    List<List<String>> warned = rows(imports().getImportReportXlsx(first.getId(), "warnings"));
    assertThat(warned).extracting(r -> r.get(0)).containsExactly("姓名", "黄渤", "刘涛");

    File rejected = imports().getImportReportXlsx(first.getId(), "rejected");
    List<List<String>> toFix = rows(rejected);
    assertThat(toFix).hasSize(2);
    assertThat(toFix.get(1).get(1)).isEqualTo("1390550002");

    // the clerk fixes the phone and fills in the name in the report itself and uploads it again
    try (XSSFWorkbook book = new XSSFWorkbook(new FileInputStream(rejected))) {
      // as Excel or WPS saves an edited cell: a new cell (the report writes inline strings)
      Row bad = book.getSheetAt(0).getRow(1);
      bad.removeCell(bad.getCell(1));
      bad.createCell(1).setCellValue("13905500002");
      if (bad.getCell(0) != null) {
        bad.removeCell(bad.getCell(0));
      }
      bad.createCell(0).setCellValue("佟丽娅");
      File fixed = Files.createTempFile("fixed-", ".xlsx").toFile();
      try (var out = Files.newOutputStream(fixed.toPath())) {
        book.write(out);
      }
      ImportJob again =
          importAndWait("store-hangzhou-55", "会员登记表-已改.xlsx", Files.readAllBytes(fixed.toPath()));
      assertThat(again.getCounts().getRejected()).isZero();
      assertThat(again.getCounts().getCreated()).isEqualTo(1);
      assertThat(again.getUnmappedColumns())
          .contains(
              "备注",
              "OneMember 处理结果 / outcome",
              "OneMember 错误原因 / error",
              "OneMember 警告 / warnings");
    }
    assertThat(members().findMembers("13905500002").getItems())
        .singleElement()
        .satisfies(m -> assertThat(m.getName()).isEqualTo("佟丽娅"));
  }

  private static List<List<String>> rows(File xlsx) throws Exception {
    List<List<String>> out = new ArrayList<>();
    DataFormatter text = new DataFormatter();
    try (XSSFWorkbook book = new XSSFWorkbook(new FileInputStream(xlsx))) {
      Sheet sheet = book.getSheetAt(0);
      int width = sheet.getRow(0).getLastCellNum();
      for (Row row : sheet) {
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < width; c++) {
          cells.add(text.formatCellValue(row.getCell(c)));
        }
        out.add(cells);
      }
    }
    return out;
  }
}
