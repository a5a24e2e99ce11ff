package com.onemember.hub.imports;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.support.HubIT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A store's IT person copies exports into a shared folder instead of calling the API. */
class DropFolderIT extends HubIT {

  @Test
  void aFileDroppedIntoASourcesFolderIsImportedAndMovedToDoneWithItsReport() throws Exception {
    Path store = Files.createDirectories(dropFolder().resolve("pos-store-58"));
    Path file = store.resolve("会员导出-2026-11.csv");
    // written elsewhere first and moved in, as a careful copy does
    Path tmp = Files.createTempFile("export", ".csv");
    Files.write(
        tmp,
        aSheet("会员卡号", "姓名", "手机号", "生日")
            .row("5800001", "邓紫棋", "13905800001", "1991-08-16")
            .row("5800002", "", "12345", "")
            .gbkCsv());
    Files.move(tmp, file);

    Path done = store.resolve("done");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(done.resolve("会员导出-2026-11.csv.report.xlsx")));
    assertThat(done.resolve("会员导出-2026-11.csv")).exists();
    assertThat(file).doesNotExist();
    assertThat(members().findMembers("13905800001").getItems())
        .singleElement()
        .satisfies(m -> assertThat(m.getName()).isEqualTo("邓紫棋"));
  }

  @Test
  void aFileThatIsNotASpreadsheetGoesToFailedWithTheReasonBesideIt() throws Exception {
    Path store = Files.createDirectories(dropFolder().resolve("store-suzhou-58"));
    Path tmp = Files.createTempFile("notes", ".xlsx");
    Files.writeString(tmp, "这不是表格，只是店长的备忘 / not a workbook", StandardCharsets.UTF_8);
    Files.move(tmp, store.resolve("店长备忘.xlsx"));

    Path failed = store.resolve("failed");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(failed.resolve("店长备忘.xlsx.error.txt")));
    assertThat(failed.resolve("店长备忘.xlsx")).exists();
    assertThat(Files.readString(failed.resolve("店长备忘.xlsx.error.txt"), StandardCharsets.UTF_8))
        .contains("Not imported");
  }
}
