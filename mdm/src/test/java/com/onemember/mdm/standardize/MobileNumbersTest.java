package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.mdm.standardize.MobileNumbers.Invalid;
import com.onemember.mdm.standardize.MobileNumbers.Landline;
import com.onemember.mdm.standardize.MobileNumbers.Masked;
import com.onemember.mdm.standardize.MobileNumbers.Mobile;
import com.onemember.mdm.standardize.MobileNumbers.Result;
import com.onemember.mdm.standardize.MobileNumbers.ServiceNumber;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MobileNumbersTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "13812345678",
        "+86 138 1234 5678",
        "86-13812345678",
        "8613812345678",
        "008613812345678",
        "138-1234-5678",
        "(138)1234 5678",
        "+86-138-1234-5678"
      })
  void everyCommonWritingOfOneMobileGivesItsElevenDigits(String written) {
    assertThat(MobileNumbers.standardize(written)).isEqualTo(new Mobile("13812345678"));
  }

  @Test
  void aMaskedNumberIsPartialEvidenceNotAMobile() {
    assertThat(MobileNumbers.standardize("138****5678")).isEqualTo(new Masked("138****5678"));
  }

  @Test
  void aShanghaiLandlineIsALandline() {
    assertThat(MobileNumbers.standardize("021-6432 1234")).isEqualTo(new Landline("+862164321234"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345", "138123456789", "abc", "1381234567x", "00000000000"})
  void somethingElseIsRefusedSayingWhy(String bad) {
    assertThat(MobileNumbers.standardize(bad))
        .isInstanceOfSatisfying(
            Invalid.class,
            i -> assertThat(i.problem().message()).contains("not a valid number").contains("手机号"));
  }

  /** One number per cell, in every form staff type it; the city is 上海 unless said otherwise. */
  static Stream<Arguments> oneNumberCells() {
    return Stream.of(
        // masked mainland mobiles, whatever the prefix
        cell("+86176****9543", new Masked("176****9543")),
        cell("86-138****5678", new Masked("138****5678")),
        cell("0086 138****5678", new Masked("138****5678")),
        cell("138****5678", new Masked("138****5678")),
        cell("138 **** 5678", new Masked("138****5678")),
        cell("１３８＊＊＊＊５６７８", new Masked("138****5678")),
        cell("+86 176 **** 9543", new Masked("176****9543")),
        cell("138xxxx5678", new Masked("138****5678")),
        cell("138***5678", new Masked("138****5678")),
        // mainland mobiles
        cell("+86 138 1234 5678", new Mobile("13812345678")),
        cell("手机：13812345678", new Mobile("13812345678")),
        cell("１３８－１２３４－５６７８", new Mobile("13812345678")),
        cell("13812345678（本人）", new Mobile("13812345678")),
        cell("【微信同号】138 1234 5678", new Mobile("13812345678")),
        cell("Tel: +86 138-1234-5678", new Mobile("13812345678")),
        // landlines with their area code
        cell("021-6234 5678", new Landline("+862162345678")),
        cell("(021)62345678", new Landline("+862162345678")),
        cell("（０２１）６２３４５６７８", new Landline("+862162345678")),
        cell("0571-8888 1234", new Landline("+8657188881234")),
        cell("+86 21 6234 5678", new Landline("+862162345678")),
        cell("0086 21 6234 5678", new Landline("+862162345678")),
        cell("020 8888 1234", new Landline("+862088881234")),
        // landlines with an extension
        cell("021-62345678-801", new Landline("+862162345678", "801")),
        cell("021-62345678 转 801", new Landline("+862162345678", "801")),
        cell("021-62345678转801", new Landline("+862162345678", "801")),
        cell("021-62345678 ext. 801", new Landline("+862162345678", "801")),
        cell("021-62345678 EXT801", new Landline("+862162345678", "801")),
        cell("021-62345678 x801", new Landline("+862162345678", "801")),
        cell("021-62345678x801", new Landline("+862162345678", "801")),
        cell("021-62345678 分机 801", new Landline("+862162345678", "801")),
        cell("021-62345678#801", new Landline("+862162345678", "801")),
        cell("021-6234 5678 转 801", new Landline("+862162345678", "801")),
        // 400/800 hotlines
        cell("400-810-8888", new ServiceNumber("4008108888")),
        cell("800 820 8820", new ServiceNumber("8008208820")),
        cell("4008108888", new ServiceNumber("4008108888")),
        cell("+86 400 812 3123", new ServiceNumber("4008123123")),
        cell("400-810-8888 转 2", new ServiceNumber("4008108888")),
        // Hong Kong, Macau, Taiwan and overseas, as libphonenumber classifies them
        cell("+852 9123 4567", new Mobile("+85291234567")),
        cell("+852 2123 4567", new Landline("+85221234567")),
        cell("00852 9123 4567", new Mobile("+85291234567")),
        cell("852-91234567", new Mobile("+85291234567")),
        cell("+853 6612 3456", new Mobile("+85366123456")),
        cell("+886 912 345 678", new Mobile("+886912345678")),
        cell("+1 415 555 2671", new Mobile("+14155552671")),
        cell("+1 (415) 555-2671", new Mobile("+14155552671")),
        cell("+65 9123 4567", new Mobile("+6591234567")),
        cell("+44 20 7946 0958", new Landline("+442079460958")));
  }

  private static Arguments cell(String written, Result expected) {
    return Arguments.of(written, expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("oneNumberCells")
  void aCellWithOneNumberGivesThatNumber(String written, Result expected) {
    assertThat(MobileNumbers.readCell(written, "上海")).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0} with city {1}")
  @CsvSource({
    "6234 5678, 上海, +862162345678",
    "62345678, 上海市, +862162345678",
    "6234-5678, Shanghai, +862162345678",
    "6234 5678, SHANGHAI, +862162345678",
    "8888 1234, 杭州市, +8657188881234",
    "8888 1234, 浙江省杭州市, +8657188881234",
    "8888 1234, 杭州市西湖区, +8657188881234",
    "8888 1234, Hangzhou, +8657188881234",
    "8888 1234, 廣州, +862088881234",
    "8888 1234, Xi'an, +862988881234",
    "8888 1234, 深圳, +8675588881234",
    "2123 4567, 香港, +85221234567"
  })
  void aLandlineWithoutAreaCodeIsReadByTheRecordsCity(String written, String city, String e164) {
    assertThat(MobileNumbers.readCell(written, city)).containsExactly(new Landline(e164));
  }

  /** Keeps the hand-written area-code table honest: every row must dial a real landline. */
  @Test
  void everyCityInTheAreaCodeTableReadsALocalNumberUnderItsOwnCode() throws Exception {
    List<String> rows;
    try (var in = MobileNumbers.class.getResourceAsStream("/mdm/phone/area-codes.tsv")) {
      rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(rows).hasSizeGreaterThan(60);
    for (String row : rows) {
      String[] fields = row.split("\t", -1);
      String code = fields[0];
      String prefix = code.startsWith("+") ? code : "+86" + code.substring(1);
      List<String> names = new ArrayList<>(List.of(fields[1], fields[1] + "市"));
      if (fields.length > 2 && !fields[2].isBlank()) {
        names.addAll(List.of(fields[2].split(",")));
      }
      for (String city : names) {
        // 8 and 7 digit local numbers; Macau's landlines start with 28
        Stream<Result> read =
            Stream.of("2234 5678", "223 4567", "2834 5678")
                .flatMap(local -> MobileNumbers.readCell(local, city).stream());
        assertThat(read)
            .as("%s (%s)", city, code)
            .anySatisfy(
                r ->
                    assertThat(r)
                        .isInstanceOfSatisfying(
                            Landline.class, l -> assertThat(l.value()).startsWith(prefix)));
      }
    }
  }

  @Test
  void aLandlineWithoutAreaCodeKeepsItsExtension() {
    assertThat(MobileNumbers.readCell("6234 5678 转 801", "上海"))
        .containsExactly(new Landline("+862162345678", "801"));
  }

  @ParameterizedTest(name = "city {0}")
  @NullAndEmptySource
  @ValueSource(strings = {"火星", "Atlantis"})
  void aLandlineWithoutAreaCodeAndNoKnownCityIsRefusedSayingTheAreaCodeIsMissing(String city) {
    assertThat(MobileNumbers.readCell("6234 5678", city))
        .singleElement()
        .isInstanceOfSatisfying(
            Invalid.class,
            i ->
                assertThat(i.problem().message())
                    .contains("6234 5678")
                    .contains("缺少区号")
                    .contains("no area code"));
  }

  @Test
  void theMessageForAnUnknownCityNamesTheCity() {
    assertThat(MobileNumbers.readCell("6234 5678", "火星").get(0))
        .isInstanceOfSatisfying(
            Invalid.class, i -> assertThat(i.problem().message()).contains("「火星」"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "13812345678 13912345678",
        "13812345678, 13912345678",
        "13812345678，13912345678",
        "13812345678/13912345678",
        "13812345678;13912345678",
        "13812345678；13912345678",
        "13812345678、13912345678",
        "13812345678|13912345678",
        "13812345678 / 13912345678",
        "13812345678\n13912345678",
        "+86 138 1234 5678 +86 139 1234 5678",
        "138 1234 5678 139 1234 5678",
        "138-1234-5678 139-1234-5678"
      })
  void severalMobilesInOneCellAreReadInCellOrder(String written) {
    assertThat(MobileNumbers.readCell(written, null))
        .containsExactly(new Mobile("13812345678"), new Mobile("13912345678"));
  }

  @Test
  void aMobileAndALandlineInOneCellAreBothRead() {
    assertThat(MobileNumbers.readCell("13812345678/021-62345678", null))
        .containsExactly(new Mobile("13812345678"), new Landline("+862162345678"));
    assertThat(MobileNumbers.readCell("021-6234 5678 13812345678", null))
        .containsExactly(new Landline("+862162345678"), new Mobile("13812345678"));
    assertThat(MobileNumbers.readCell("手机:13812345678, 座机:021-62345678 转 801", null))
        .containsExactly(new Mobile("13812345678"), new Landline("+862162345678", "801"));
    assertThat(MobileNumbers.readCell("13812345678(本人) 13912345678(老公)", null))
        .containsExactly(new Mobile("13812345678"), new Mobile("13912345678"));
    assertThat(MobileNumbers.readCell("6234 5678 13812345678 138****5678", "上海"))
        .containsExactly(
            new Landline("+862162345678"), new Mobile("13812345678"), new Masked("138****5678"));
  }

  @Test
  void spacesInsideOneNumberDoNotSplitIt() {
    assertThat(MobileNumbers.readCell("021-6234 5678", null))
        .containsExactly(new Landline("+862162345678"));
    assertThat(MobileNumbers.readCell("+86 138 1234 5678", null))
        .containsExactly(new Mobile("13812345678"));
    assertThat(MobileNumbers.readCell("0571 8888 1234", null))
        .containsExactly(new Landline("+8657188881234"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "16412345678",
        "12345",
        "abc",
        "138123456789",
        "1381234567x",
        "00000000000",
        "10086",
        "+86 21 6234",
        "+852 1234",
        "138****56",
        "021-6234",
        "🌸花花",
        "=HYPERLINK(\"x\")"
      })
  void anInvalidOrUnallocatedNumberIsRefusedNamingIt(String bad) {
    assertThat(MobileNumbers.readCell(bad, "上海"))
        .singleElement()
        .isInstanceOfSatisfying(
            Invalid.class,
            i ->
                assertThat(i.problem().message())
                    .contains(Text.quote(Text.clean(bad)))
                    .contains("无效")
                    .contains("not a valid number"));
  }

  @Test
  void anUnallocatedRangeIsRefusedByTheSingleNumberReaderToo() {
    assertThat(MobileNumbers.standardize("16412345678")).isInstanceOf(Invalid.class);
    assertThat(MobileNumbers.mobileOrNull("16412345678")).isNull();
  }

  @Test
  void aBadNumberBesideGoodOnesIsReportedInItsPlace() {
    assertThat(MobileNumbers.readCell("13812345678 16412345678 13912345678", null))
        .satisfiesExactly(
            r -> assertThat(r).isEqualTo(new Mobile("13812345678")),
            r ->
                assertThat(r)
                    .isInstanceOfSatisfying(
                        Invalid.class,
                        i -> assertThat(i.problem().message()).contains("「16412345678」")),
            r -> assertThat(r).isEqualTo(new Mobile("13912345678")));
    assertThat(MobileNumbers.readCell("abc 13812345678", null))
        .satisfiesExactly(
            r -> assertThat(r).isInstanceOf(Invalid.class),
            r -> assertThat(r).isEqualTo(new Mobile("13812345678")));
  }

  @ParameterizedTest(name = "「{0}」")
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\u3000", "无", "暂无", "N/A", "null", "-", "/", ",，"})
  void aBlankCellOrOneSayingThereIsNoNumberGivesNoNumbers(String blank) {
    assertThat(MobileNumbers.readCell(blank, "上海")).isEmpty();
  }

  @Test
  void aLongJunkCellIsRefusedWithoutTakingLong() {
    String junk = "1 ".repeat(2000) + "abc ".repeat(500);
    assertThat(MobileNumbers.readCell(junk, "上海")).singleElement().isInstanceOf(Invalid.class);
  }

  @Test
  void aSingleNumberReadsTheSameAloneAndInACell() {
    for (String written :
        List.of("13812345678", "021-6432 1234", "138****5678", "+852 9123 4567", "12345")) {
      assertThat(MobileNumbers.readCell(written, null))
          .containsExactly(MobileNumbers.standardize(written));
    }
  }

  @Test
  void theOldLandlineConstructorMeansNoExtension() {
    assertThat(new Landline("+862162345678")).isEqualTo(new Landline("+862162345678", null));
  }
}
