package com.onemember.connectors.spreadsheet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberRowMapperTest {

  private final SpreadsheetReader reader = new SpreadsheetReader(SpreadsheetLimits.defaults());

  @Test
  void mapsAPosRowKeepingValuesAsWritten() throws Exception {
    SourceRecord record =
        mapOne(
            "pos-store-12",
            """
            会员卡号,姓名,手机号,性别,生日,省份,城市,区,地址,积分
            8801200001, 张伟 ,138-1234-5678,男,1990.5.3,上海市,上海市,徐汇区,漕溪北路88号3号楼1202室,1260
            """);

    assertThat(record.source()).isEqualTo("pos-store-12");
    assertThat(record.sourceRecordId()).isEqualTo("card:8801200001");
    assertThat(record.name()).isEqualTo("张伟");
    assertThat(record.gender()).isEqualTo("男");
    assertThat(record.birthday()).isEqualTo("1990.5.3");
    assertThat(record.identifiers())
        .containsExactly(
            Identifier.of(IdentifierType.MOBILE, "138-1234-5678"),
            new Identifier(IdentifierType.MEMBER_CARD, "8801200001", "pos-store-12"));
    assertThat(record.addresses())
        .containsExactly(new Address("上海市", "上海市", "徐汇区", "漕溪北路88号3号楼1202室"));
    assertThat(record.sourceUpdatedAt()).isNull();
  }

  @Test
  void keepsEveryColumnInRawIncludingMappedAndUnmappedOnes() throws Exception {
    SourceRecord record = mapOne("pos-store-12", "姓名,手机号,积分,开卡门店\n李娜,13912345678,300,徐汇日月光店\n");

    assertThat(record.raw())
        .containsExactly(
            entry("姓名", "李娜"),
            entry("手机号", "13912345678"),
            entry("积分", "300"),
            entry("开卡门店", "徐汇日月光店"));
  }

  @Test
  void joinsSplitNamesTheWayEachScriptWritesThem() throws Exception {
    List<SourceRecord> records =
        mapAll(
            "web-shop",
            "First Name,Last Name,Email\nWei,Wang,wei.wang@163.com\n伟,王,\n,李,li@qq.com\n");

    assertThat(records).extracting(SourceRecord::name).containsExactly("Wei Wang", "王伟", "李");
  }

  @Test
  void leavesAFormulaCellOutOfTheMembersFieldsButKeepsItInRaw() throws Exception {
    SourceRecord record = mapOne("pos-store-12", "会员卡号,姓名,手机号\n8801200002,李娜,=A1+1\n");

    assertThat(record.identifiers())
        .containsExactly(new Identifier(IdentifierType.MEMBER_CARD, "8801200002", "pos-store-12"));
    assertThat(record.name()).isEqualTo("李娜");
    assertThat(record.raw()).containsEntry("手机号", "=A1+1");
  }

  @Test
  void leavesACutCellOutOfTheMembersFieldsButKeepsWhatWasKeptInRaw() throws Exception {
    SpreadsheetReader strict = new SpreadsheetReader(new SpreadsheetLimits(10, 11));
    Spreadsheet sheet = strict.read("姓名,手机号\n李娜,138123456789999\n".getBytes(UTF_8), "long.csv");

    SourceRecord record =
        MemberRowMapper.toSourceRecord(
            "pos", MemberColumns.detect(sheet.headers()), sheet.rows().get(0));

    assertThat(record.identifiers()).isEmpty();
    assertThat(record.raw()).containsEntry("手机号", "13812345678");
  }

  @Test
  void neverUsesANicknameAsTheName() throws Exception {
    SourceRecord record = mapOne("store-hangzhou-01", "客户姓名,联系电话,微信昵称\n,13700001111,🌸花花\n");

    assertThat(record.name()).isNull();
    assertThat(record.nickname()).isEqualTo("🌸花花");
  }

  @Test
  void splitsSeveralNumbersInOneCell() throws Exception {
    SourceRecord record =
        mapOne(
            "store-hangzhou-01",
            "姓名,电话\n王秀英,\"13812345678/139-1234-5678、+86 137 0000 1111; 13500002222，\"\n");

    assertThat(record.identifiers())
        .extracting(Identifier::value)
        .containsExactly("13812345678", "139-1234-5678", "+86 137 0000 1111", "13500002222");
    assertThat(record.identifiers()).allMatch(i -> i.type() == IdentifierType.MOBILE);
  }

  @Test
  void scopesWeChatAndSourceIdsToWhereTheyAreUnique() throws Exception {
    SourceRecord record =
        mapOne(
            "wechat-mini-shop",
            "客户编号,openid,unionid,邮箱\nC-1001,oW3x_5aBcDeFgHiJkLmNoPqRsTu,oU7y_1aBcDeFgHiJkLmNoPqRsTu,Zhang.Wei@163.COM\n");

    assertThat(record.sourceRecordId()).isEqualTo("ext:C-1001");
    assertThat(record.identifiers())
        .containsExactlyInAnyOrder(
            new Identifier(IdentifierType.EXTERNAL_ID, "C-1001", "wechat-mini-shop"),
            new Identifier(
                IdentifierType.WECHAT_OPENID, "oW3x_5aBcDeFgHiJkLmNoPqRsTu", "wechat-mini-shop"),
            Identifier.of(IdentifierType.WECHAT_UNIONID, "oU7y_1aBcDeFgHiJkLmNoPqRsTu"),
            Identifier.of(IdentifierType.EMAIL, "Zhang.Wei@163.COM"));
  }

  @Test
  void blankCellsProduceNothing() throws Exception {
    SourceRecord record = mapOne("pos", "姓名,手机号,邮箱,性别,生日,地址,城市\n张伟, ,,,　,,\n");

    assertThat(record.identifiers()).isEmpty();
    assertThat(record.addresses()).isEmpty();
    assertThat(record.gender()).isNull();
    assertThat(record.birthday()).isNull();
  }

  @Test
  void derivesTheSameRowIdsOnEveryUploadAndInAnyRowOrder() throws Exception {
    String header = "客户姓名,联系电话,备注\n";
    String zhang = "张伟,13812345678,老顾客\n";
    String li = "李娜,+86 139 1234 5678,\n";

    List<String> first = ids(mapAll("store", header + zhang + li));
    List<String> again = ids(mapAll("store", header + zhang + li));
    List<String> reordered = ids(mapAll("store", header + li + "\n" + zhang));

    assertThat(first)
        .hasSize(2)
        .doesNotHaveDuplicates()
        .allMatch(id -> id.matches("row:[0-9a-f]{16}"));
    assertThat(again).isEqualTo(first);
    assertThat(reordered).containsExactly(first.get(1), first.get(0));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2024-03-01 09:30:00|2024-03-01T01:30:00Z",
        "2024/3/1 9:30|2024-03-01T01:30:00Z",
        "2024-03-01T09:30:00|2024-03-01T01:30:00Z",
        "2024-03-01T09:30:00+08:00|2024-03-01T01:30:00Z",
        "2024-03-01T01:30:00Z|2024-03-01T01:30:00Z",
        "2024-03-01|2024-02-29T16:00:00Z"
      })
  void readsUpdateTimesInChinaTime(String text, Instant expected) throws Exception {
    SourceRecord record = mapOne("pos", "姓名,更新时间\n张伟," + text + "\n");

    assertThat(record.sourceUpdatedAt()).isEqualTo(expected);
  }

  @Test
  void leavesAnUnreadableUpdateTimeUnknown() throws Exception {
    assertThat(mapOne("pos", "姓名,更新时间\n张伟,上周三\n").sourceUpdatedAt()).isNull();
    assertThat(mapOne("pos", "姓名,更新时间\n张伟,2024-02-30 10:00\n").sourceUpdatedAt()).isNull();
  }

  private SourceRecord mapOne(String source, String csv) throws Exception {
    List<SourceRecord> records = mapAll(source, csv);
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  private List<SourceRecord> mapAll(String source, String csv) throws Exception {
    Spreadsheet sheet = reader.read(csv.getBytes(UTF_8), source + ".csv");
    ColumnMapping mapping = MemberColumns.detect(sheet.headers());
    return sheet.rows().stream()
        .map(row -> MemberRowMapper.toSourceRecord(source, mapping, row))
        .toList();
  }

  private static List<String> ids(List<SourceRecord> records) {
    return records.stream().map(SourceRecord::sourceRecordId).toList();
  }
}
