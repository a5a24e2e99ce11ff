package com.onemember.connectors.spreadsheet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberColumnsTest {

  @Test
  void recognisesAChinesePosExport() throws Exception {
    ColumnMapping mapping =
        MemberColumns.detect(List.of("会员卡号", "姓名", "手机号", "性别", "生日", "地址", "积分", "开卡门店"));

    assertThat(mapping.fields())
        .containsExactly(
            entry("会员卡号", MemberField.MEMBER_CARD),
            entry("姓名", MemberField.NAME),
            entry("手机号", MemberField.MOBILE),
            entry("性别", MemberField.GENDER),
            entry("生日", MemberField.BIRTHDAY),
            entry("地址", MemberField.ADDRESS),
            entry("开卡门店", MemberField.STORE));
    assertThat(mapping.unmapped()).containsExactly("积分");
  }

  @Test
  void recognisesAWebShopExportWithSplitNames() throws Exception {
    ColumnMapping mapping =
        MemberColumns.detect(
            List.of(
                "First Name",
                "Last Name",
                "Email",
                "Phone",
                "Address1",
                "City",
                "Province",
                "Accepts Email Marketing",
                "Total Spent"));

    assertThat(mapping.fields())
        .containsEntry("First Name", MemberField.FIRST_NAME)
        .containsEntry("Last Name", MemberField.LAST_NAME)
        .containsEntry("Email", MemberField.EMAIL)
        .containsEntry("Phone", MemberField.MOBILE)
        .containsEntry("Address1", MemberField.ADDRESS)
        .containsEntry("City", MemberField.CITY)
        .containsEntry("Province", MemberField.PROVINCE)
        .containsEntry("Total Spent", MemberField.SPENT)
        .doesNotContainKey("Accepts Email Marketing");
    assertThat(mapping.unmapped()).containsExactly("Accepts Email Marketing");
  }

  @ParameterizedTest
  @CsvSource({
    "ＰＨＯＮＥ, MOBILE",
    "E-Mail, EMAIL",
    "first_name, FIRST_NAME",
    "手机号码（必填）, MOBILE",
    "会员手机号, MOBILE",
    "手机号 (2), MOBILE",
    "Date of Birth, BIRTHDAY",
    "ＩＤ, EXTERNAL_ID",
    "身份证号, NATIONAL_ID",
    "证件号码, NATIONAL_ID",
    "订单数, ORDERS",
    "Total Orders, ORDERS",
    "累计消费, SPENT",
    "最近消费时间, LAST_PURCHASE_AT",
    "Last Order Date, LAST_PURCHASE_AT",
    "所属门店, STORE",
    "微信OpenID, WECHAT_OPENID",
    "UnionId, WECHAT_UNIONID",
    "最后修改时间, UPDATED_AT",
    "Card No., MEMBER_CARD",
    "名, FIRST_NAME",
    "姓, LAST_NAME"
  })
  void foldsWidthCaseSeparatorsAndRemarks(String header, MemberField expected) throws Exception {
    assertThat(MemberColumns.detect(List.of("姓名", header)).fields())
        .containsEntry(header, expected);
  }

  @Test
  void neverTakesANicknameForAName() throws Exception {
    ColumnMapping mapping = MemberColumns.detect(List.of("客户姓名", "联系电话", "微信昵称", "昵称"));

    assertThat(mapping.fields())
        .containsEntry("客户姓名", MemberField.NAME)
        .containsEntry("微信昵称", MemberField.NICKNAME)
        .containsEntry("昵称", MemberField.NICKNAME);
  }

  @Test
  void doesNotGuessFromPartsOfAHeader() throws Exception {
    ColumnMapping mapping = MemberColumns.detect(List.of("姓名", "紧急联系人电话", "用户名", "序号"));

    assertThat(mapping.unmapped()).containsExactly("紧急联系人电话", "用户名", "序号");
  }

  @Test
  void refusesHeadersThatIdentifyNobodyAndSaysWhatItSawAndWants() {
    assertThatThrownBy(() -> MemberColumns.detect(List.of("积分", "开卡门店", "Total Spent", "性别")))
        .isInstanceOf(UnreadableFileException.class)
        .hasFieldOrPropertyWithValue("code", "no-known-column")
        .hasMessageContaining("「积分」「开卡门店」「Total Spent」「性别」")
        .hasMessageContaining("积分, 开卡门店, Total Spent, 性别")
        .hasMessageContaining("手机号")
        .hasMessageContaining("姓名")
        .hasMessageContaining("mobile")
        .hasMessageContaining("email")
        .hasMessageContaining(" / ");
  }
}
