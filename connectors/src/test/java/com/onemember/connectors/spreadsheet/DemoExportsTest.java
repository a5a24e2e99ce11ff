package com.onemember.connectors.spreadsheet;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.spreadsheet.Spreadsheet.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipped demo exports under {@code config/demo} are read the way an upload would be, so that a
 * change to the reader or to the files cannot quietly break the demo run or its deliberate
 * overlaps.
 */
class DemoExportsTest {

  private static final Path DEMO = Path.of("..", "config", "demo");

  private final SpreadsheetReader reader = new SpreadsheetReader(SpreadsheetLimits.defaults());

  @Test
  void thePosExportIsGbkWithItsOwnHeaders() throws Exception {
    Spreadsheet sheet = read("pos-store-12-members.csv");

    assertThat(sheet.format()).isEqualTo(Format.CSV);
    assertThat(sheet.encoding()).isEqualTo("GB18030");
    assertThat(sheet.headers())
        .containsExactly("会员卡号", "姓名", "手机号", "性别", "生日", "地址", "积分", "开卡门店");
    assertThat(sheet.rows()).hasSize(37).allMatch(row -> row.warnings().isEmpty());
    assertThat(records("pos-store-12", sheet))
        .allMatch(r -> r.sourceRecordId().startsWith("card:"))
        .allMatch(r -> r.name() != null && !mobiles(r).isEmpty());
  }

  @Test
  void theWebShopExportIsUtf8WithSplitNames() throws Exception {
    Spreadsheet sheet = read("web-shop-customers.csv");

    assertThat(sheet.encoding()).isEqualTo("UTF-8");
    assertThat(sheet.headers())
        .containsExactly(
            "First Name",
            "Last Name",
            "Email",
            "Phone",
            "Address1",
            "City",
            "Province",
            "Accepts Email Marketing",
            "Total Spent",
            "Total Orders");
    assertThat(sheet.rows()).hasSize(25).allMatch(row -> row.warnings().isEmpty());
    assertThat(records("web-shop", sheet)).extracting(SourceRecord::name).contains("Na Li", "张伟");
  }

  @Test
  void theStoreSheetHasTitlesNicknamesAndOneRowThatIdentifiesNobody() throws Exception {
    Spreadsheet sheet = read("store-hangzhou-01-sheet.xlsx");

    assertThat(sheet.format()).isEqualTo(Format.XLSX);
    assertThat(sheet.headers()).containsExactly("客户姓名", "联系电话", "生日", "性别", "备注", "微信昵称");
    assertThat(sheet.rows()).hasSize(25).allMatch(row -> row.warnings().isEmpty());
    List<SourceRecord> records = records("store-hangzhou-01", sheet);
    assertThat(records)
        .flatExtracting(SourceRecord::identifiers)
        .extracting(Identifier::value)
        .noneMatch(v -> v.contains("E") || v.contains("."));
    assertThat(records).extracting(SourceRecord::nickname).contains("🌸花花");
    assertThat(records)
        .filteredOn(r -> r.name() == null && r.identifiers().isEmpty())
        .singleElement()
        .satisfies(r -> assertThat(r.raw().get("备注")).isNotBlank());
  }

  @Test
  void theFilesOverlapOnPurpose() throws Exception {
    Map<String, SourceRecord> pos = byMobile("pos-store-12", "pos-store-12-members.csv");
    Map<String, SourceRecord> web = byMobile("web-shop", "web-shop-customers.csv");
    Map<String, SourceRecord> store = byMobile("store-hangzhou-01", "store-hangzhou-01-sheet.xlsx");

    assertThat(shared(pos.keySet(), web.keySet())).hasSize(10);
    // 8 people, plus the household number that two different people share
    assertThat(shared(pos.keySet(), store.keySet())).hasSize(9);
    assertThat(shared(shared(pos.keySet(), web.keySet()), store.keySet())).hasSize(3);

    SourceRecord husband = pos.get("13916882345");
    SourceRecord wife = store.get("13916882345");
    assertThat(husband.name()).isEqualTo("陈建国");
    assertThat(husband.gender()).isEqualTo("男");
    assertThat(wife.name()).isEqualTo("刘芳");
    assertThat(wife.gender()).isEqualTo("女");
  }

  private Spreadsheet read(String file) throws Exception {
    return reader.read(Files.readAllBytes(DEMO.resolve(file)), file);
  }

  private List<SourceRecord> records(String source, Spreadsheet sheet) throws Exception {
    ColumnMapping mapping = MemberColumns.detect(sheet.headers());
    return sheet.rows().stream()
        .map(row -> MemberRowMapper.toSourceRecord(source, mapping, row))
        .toList();
  }

  private Map<String, SourceRecord> byMobile(String source, String file) throws Exception {
    return records(source, read(file)).stream()
        .flatMap(r -> mobiles(r).stream().map(m -> Map.entry(m, r)))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
  }

  /** Just enough normalisation to compare the demo's formats; the real one lives in mdm. */
  private static Set<String> mobiles(SourceRecord record) {
    return record.identifiers().stream()
        .filter(i -> i.type() == IdentifierType.MOBILE)
        .map(i -> i.value().replaceAll("\\D", ""))
        .map(
            digits ->
                digits.length() == 13 && digits.startsWith("86") ? digits.substring(2) : digits)
        .collect(Collectors.toSet());
  }

  private static Set<String> shared(Set<String> a, Set<String> b) {
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    return both;
  }
}
