package com.onemember.connectors.spreadsheet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberRowMapperTest {

  private final SpreadsheetReader reader = new SpreadsheetReader(SpreadsheetLimits.defaults());

  @Test
  void headersAreRecognisedInChineseAndEnglish() throws Exception {
    ColumnMapping m =
        MemberColumns.detect(
            List.of("客户姓名", "联系电话", "E-mail", "出生日期", "微信昵称", "会员卡号", "unionid", "积分"));
    assertThat(m.fields())
        .containsEntry("客户姓名", MemberField.NAME)
        .containsEntry("联系电话", MemberField.MOBILE)
        .containsEntry("E-mail", MemberField.EMAIL)
        .containsEntry("出生日期", MemberField.BIRTHDAY)
        .containsEntry("微信昵称", MemberField.NICKNAME)
        .containsEntry("会员卡号", MemberField.MEMBER_CARD)
        .containsEntry("unionid", MemberField.WECHAT_UNIONID);
    assertThat(m.unmapped()).containsExactly("积分");
  }

  @Test
  void aHeaderThatMatchesNothingIsRefusedNamingWhatItSaw() {
    UnreadableFileException e =
        catchThrowableOfType(
            UnreadableFileException.class, () -> MemberColumns.detect(List.of("货号", "数量", "昵称")));
    assertThat(e.code()).isEqualTo("no-known-column");
    assertThat(e.getMessage()).contains("货号").contains("数量");
  }

  @Test
  void aNicknameIsNeverTakenForAName() throws Exception {
    SourceRecord r = map("昵称,手机号\n🌸花花,13812345678\n");
    assertThat(r.name()).isNull();
    assertThat(r.nickname()).isEqualTo("🌸花花");
  }

  @Test
  void firstAndLastNameAreJoinedByScript() throws Exception {
    assertThat(map("First Name,Last Name,Phone\nWei,Wang,+8613812345678\n").name())
        .isEqualTo("Wei Wang");
    assertThat(map("First Name,Last Name,Phone\n伟,王,+8613812345678\n").name()).isEqualTo("王伟");
  }

  @Test
  void severalPhonesInOneCellBecomeSeveralIdentifiers() throws Exception {
    SourceRecord r = map("姓名,电话\n张伟,\"13812345678/139-1234-5678\"\n");
    assertThat(r.identifiers())
        .containsExactly(
            Identifier.of(IdentifierType.MOBILE, "13812345678"),
            Identifier.of(IdentifierType.MOBILE, "139-1234-5678"));
  }

  @Test
  void cardsAndOpenidsAreScopedToTheirSource() throws Exception {
    SourceRecord r = map("会员卡号,openid,姓名\n8800101,oW3x_5aBcDeFgHiJkLmNoPqRsTu,张伟\n");
    assertThat(r.sourceRecordId()).isEqualTo("card:8800101");
    assertThat(r.identifiers())
        .contains(new Identifier(IdentifierType.MEMBER_CARD, "8800101", "pos-store-12"))
        .contains(
            new Identifier(
                IdentifierType.WECHAT_OPENID, "oW3x_5aBcDeFgHiJkLmNoPqRsTu", "pos-store-12"));
  }

  @Test
  void unmappedColumnsStayInTheRawRecord() throws Exception {
    SourceRecord r = map("姓名,手机号,积分\n张伟,13812345678,320\n");
    assertThat(r.raw()).containsEntry("积分", "320").containsEntry("姓名", "张伟");
  }

  @Test
  void theSameRowGetsTheSameIdWhereverItIsAndAnotherRowAnotherId() throws Exception {
    String a = map("姓名,手机号\n张伟,13812345678\n").sourceRecordId();
    Spreadsheet moved = read("姓名,手机号\n李娜,13912345678\n张伟,13812345678\n");
    ColumnMapping m = MemberColumns.detect(moved.headers());
    assertThat(
            MemberRowMapper.toSourceRecord("pos-store-12", m, moved.rows().get(1)).sourceRecordId())
        .isEqualTo(a)
        .startsWith("row:");
    assertThat(
            MemberRowMapper.toSourceRecord("pos-store-12", m, moved.rows().get(0)).sourceRecordId())
        .isNotEqualTo(a);
  }

  @Test
  void anUpdateTimeIsReadInChinaTime() throws Exception {
    SourceRecord r = map("姓名,手机号,更新时间\n张伟,13812345678,2026-03-01 08:00:00\n");
    assertThat(r.sourceUpdatedAt()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
  }

  private SourceRecord map(String csv) throws Exception {
    Spreadsheet sheet = read(csv);
    return MemberRowMapper.toSourceRecord(
        "pos-store-12", MemberColumns.detect(sheet.headers()), sheet.rows().get(0));
  }

  private Spreadsheet read(String csv) throws Exception {
    return reader.read(csv.getBytes(Charset.forName("GB18030")), "test.csv");
  }
}
