package com.onemember.mdm.standardize.address;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.mdm.standardize.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "浙江杭州西湖区文三路100号",
        "浙江省杭州市西湖区文三路100号",
        "杭州市西湖区文三路100号",
        "杭州西湖区文三路100号",
        "中国浙江省杭州市西湖区文三路100号",
        "浙江省 杭州市 西湖区 文三路100号",
        "浙江省,杭州市,西湖区,文三路100号",
        "浙江杭州西湖文三路100号",
        "  浙江省杭州市西湖区文三路１００号\u3000"
      })
  void provinceCityAndDistrictAreReadWithOrWithoutSuffixes(String written) {
    assertThat(Addresses.orNull(written))
        .isEqualTo(new ChineseAddress("浙江省", "杭州市", "西湖区", "文三路100号", "文三路100"));
  }

  @ParameterizedTest
  @CsvSource({
    "上海浦东新区张江路1号, 上海市, 上海市, 浦东新区, 张江路1号",
    "上海市浦东新区张江路1号, 上海市, 上海市, 浦东新区, 张江路1号",
    "北京市朝阳区建国路88号, 北京市, 北京市, 朝阳区, 建国路88号",
    "北京朝阳区建国路88号, 北京市, 北京市, 朝阳区, 建国路88号",
    "北京市北京市朝阳区建国路88号, 北京市, 北京市, 朝阳区, 建国路88号",
    "北京海淀中关村大街1号, 北京市, 北京市, 海淀区, 中关村大街1号",
    "重庆城口县葛城街道, 重庆市, 重庆市, 城口县, 葛城街道",
    "天津和平区南京路1号, 天津市, 天津市, 和平区, 南京路1号"
  })
  void aMunicipalityIsItsOwnCity(
      String written, String province, String city, String district, String detail) {
    ChineseAddress a = Addresses.orNull(written);
    assertThat(a.province()).isEqualTo(province);
    assertThat(a.city()).isEqualTo(city);
    assertThat(a.district()).isEqualTo(district);
    assertThat(a.detail()).isEqualTo(detail);
  }

  @Test
  void aCityAloneImpliesItsProvince() {
    ChineseAddress a = Addresses.orNull("杭州文三路100号");
    assertThat(a.province()).isEqualTo("浙江省");
    assertThat(a.city()).isEqualTo("杭州市");
    assertThat(a.district()).isNull();
    assertThat(a.detail()).isEqualTo("文三路100号");
  }

  @Test
  void anUnambiguousDistrictAloneImpliesCityAndProvince() {
    assertThat(Addresses.orNull("余杭区文一西路969号"))
        .isEqualTo(new ChineseAddress("浙江省", "杭州市", "余杭区", "文一西路969号", "文一西路969"));
    assertThat(Addresses.orNull("浙江义乌稠州北路1号"))
        .isEqualTo(new ChineseAddress("浙江省", "金华市", "义乌市", "稠州北路1号", "稠州北路1"));
  }

  @Test
  void anAmbiguousDistrictAloneImpliesNothing() {
    assertThat(Addresses.orNull("西湖区文三路100号")) // 杭州 and 南昌 have one
        .isEqualTo(new ChineseAddress(null, null, "西湖区", "文三路100号", "文三路100"));
    assertThat(Addresses.orNull("朝阳区建国路88号"))
        .isEqualTo(new ChineseAddress(null, null, "朝阳区", "建国路88号", "建国路88"));
    assertThat(Addresses.orNull("江苏鼓楼区中山路1号"))
        .isEqualTo(new ChineseAddress("江苏省", null, "鼓楼区", "中山路1号", "中山路1"));
    assertThat(Addresses.orNull("吉林省长春市朝阳区人民大街1号"))
        .isEqualTo(new ChineseAddress("吉林省", "长春市", "朝阳区", "人民大街1号", "人民大街1"));
  }

  @Test
  void theLongestReadingWins() {
    assertThat(Addresses.orNull("吉林市昌邑区解放路1号"))
        .isEqualTo(new ChineseAddress("吉林省", "吉林市", "昌邑区", "解放路1号", "解放路1"));
    assertThat(Addresses.orNull("海南藏族自治州共和县1号"))
        .isEqualTo(new ChineseAddress("青海省", "海南藏族自治州", "共和县", "1号", "1"));
    assertThat(Addresses.orNull("海南省海口市美兰区1号"))
        .isEqualTo(new ChineseAddress("海南省", "海口市", "美兰区", "1号", "1"));
  }

  @Test
  void autonomousDivisionsAreReadByTheirShortNames() {
    ChineseAddress a = Addresses.orNull("广西桂林兴安县1号");
    assertThat(a.province()).isEqualTo("广西壮族自治区");
    assertThat(a.city()).isEqualTo("桂林市");
    assertThat(a.district()).isEqualTo("兴安县");
    ChineseAddress b = Addresses.orNull("吉林延边州延吉市1号");
    assertThat(b.city()).isEqualTo("延边朝鲜族自治州");
    assertThat(b.district()).isEqualTo("延吉市");
    ChineseAddress c = Addresses.orNull("湖北恩施州恩施市1号");
    assertThat(c.city()).isEqualTo("恩施土家族苗族自治州");
    assertThat(c.district()).isEqualTo("恩施市");
    assertThat(Addresses.orNull("湖北宜昌长阳县1号").district()).isEqualTo("长阳土家族自治县");
  }

  @Test
  void aCountyLevelCityUnderItsProvinceIsTheCity() {
    assertThat(Addresses.orNull("湖北仙桃市钱沟路1号"))
        .isEqualTo(new ChineseAddress("湖北省", "仙桃市", null, "钱沟路1号", "钱沟路1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"南京西路100号", "中山北路1号", "延安东路1号", "北京路12号", "四川北路1号"})
  void aRoadNamedAfterACityIsNotTheCity(String written) {
    ChineseAddress a = Addresses.orNull(written);
    assertThat(a.province()).isNull();
    assertThat(a.city()).isNull();
    assertThat(a.detail()).isEqualTo(written);
  }

  @Test
  void aCompanyNamedAfterTheCountryKeepsItsName() {
    assertThat(Addresses.orNull("中国银行大厦5楼").detail()).isEqualTo("中国银行大厦5楼");
  }

  @Test
  void onlyADetailIsKeptAsItIs() {
    assertThat(Addresses.orNull("文鼎苑34幢2单元1404室"))
        .isEqualTo(new ChineseAddress(null, null, null, "文鼎苑34幢2单元1404室", "文鼎苑34-2-1404"));
  }

  @Test
  void aDivisionWithoutDetailHasNoDetailKey() {
    assertThat(Addresses.orNull("浙江省杭州市"))
        .isEqualTo(new ChineseAddress("浙江省", "杭州市", null, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"无", "不详", "N/A", "-", "😀", "🏠🏠", "\u200b"})
  void placeholdersAndEmojiAreNoAddress(String placeholder) {
    assertThat(Addresses.standardize(placeholder)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Room 301, 1 Nanjing Road", "=HYPERLINK(\"x\")", "12345"})
  void textWithoutChineseIsRefused(String notAnAddress) {
    assertThat(Addresses.standardize(notAnAddress)).isInstanceOf(Parsed.Refused.class);
  }

  @Test
  void overlongTextIsRefused() {
    assertThat(Addresses.standardize("杭州".repeat(101))).isInstanceOf(Parsed.Refused.class);
  }

  @Test
  void traditionalCharactersAreReadAsSimplified() {
    ChineseAddress a = Addresses.orNull("浙江省杭州市餘杭區文鼎苑34幢2單元1404室");
    assertThat(a.district()).isEqualTo("余杭区");
    assertThat(a.city()).isEqualTo("杭州市");
  }
}
