package com.onemember.mdm.standardize.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DetailKeysTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1号楼2单元301室",
        "1栋2单元301",
        "1幢2单元301号",
        "1-2-301",
        "1#2单元301",
        "1#楼2单元301室",
        "1栋2单元3楼301",
        "一号楼二单元301室",
        "1 栋 2 单元 301",
        "1—2—301",
        "1栋2单元301(快递放门卫)"
      })
  void buildingUnitAndRoomNotationsAgree(String written) {
    assertThat(DetailKeys.of(Addresses.clean(written))).isEqualTo("1-2-301");
  }

  @ParameterizedTest
  @ValueSource(strings = {"西康路23弄65号302室", "西康路23弄65号302", "西康路23弄65-302", "西康路 23 弄 65 号 302 室"})
  void laneNumberAndRoomAgree(String written) {
    assertThat(DetailKeys.of(Addresses.clean(written))).isEqualTo("西康路23-65-302");
  }

  @Test
  void lettersAreUpperCaseAndBlocksKeepTheirLetter() {
    assertThat(DetailKeys.of("a座1203室")).isEqualTo("A-1203");
    assertThat(DetailKeys.of("A座12层1203")).isEqualTo("A-1203");
  }

  @Test
  void differentFlatsStayDifferent() {
    assertThat(DetailKeys.of("1栋2单元301")).isNotEqualTo(DetailKeys.of("1栋2单元302"));
    assertThat(DetailKeys.of("12栋3单元01")).isNotEqualTo(DetailKeys.of("1栋23单元01"));
  }

  @Test
  void nothingLeftIsNoKey() {
    assertThat(DetailKeys.of(null)).isNull();
    assertThat(DetailKeys.of("()!!")).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "三, 3",
    "十, 10",
    "十二, 12",
    "二十, 20",
    "三十一, 31",
    "一百零五, 105",
    "两千, 2000",
    "一〇二, 102",
    "十十, 十十",
    "零十, 零十"
  })
  void chineseNumbers(String han, String arabic) {
    assertThat(DetailKeys.chineseNumber(han)).isEqualTo(arabic);
  }
}
