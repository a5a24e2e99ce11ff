package com.onemember.mdm.standardize.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.onemember.mdm.standardize.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The standardizer contract (see {@code StandardizerContractTest}) for addresses: null and blank
 * give nothing, junk never throws, surrounding and full-width characters change nothing, and the
 * comparison is symmetric.
 */
class AddressContractTest {

  private static final String[] SAMPLES = {
    "浙江省杭州市余杭区文鼎苑34幢2单元1404室",
    "杭州余杭区文鼎苑34-2-1404",
    "文鼎苑34幢2单元1404室",
    "文鼎苑34幢2单元1405室",
    "上海市静安区西康路23弄65号302室",
    "上海西康路23弄65号302",
    "北京朝阳区建国路88号",
    "朝阳区建国路88号",
    "吉林省长春市朝阳区建国路88号",
    "北京海淀区",
    "浙江省",
    "杭州",
    "🌸花花",
    "Room 301",
    "",
    null
  };

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\u3000", "\t\n", " \u200b\ufeff "})
  void blankGivesNothing(String blank) {
    assertThat(Addresses.standardize(blank)).isNull();
    assertThat(Addresses.standardize(null)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "🌸花花",
        "😀",
        "👨‍👩‍👧",
        "1️⃣",
        "\u0000\u0007",
        "=HYPERLINK(\"x\")",
        "𠀀𠀁",
        "陳🌸偉",
        "\ud800浙江",
        "浙江\udc00省",
        "中国",
        "中国 ,",
        "北京市市辖区",
        "号楼单元室",
        "十十号楼"
      })
  void junkNeverThrows(String junk) {
    assertThatCode(() -> Addresses.standardize(junk)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"😀", "🏠 🏠", "👨‍👩‍👧", "\ud800", "\u0007"})
  void emojiAndControlCharactersAloneAreNoAddress(String junk) {
    assertThat(Addresses.standardize(junk)).isNull();
  }

  @Test
  void emojiInsideAnAddressIsIgnored() {
    assertThat(Addresses.standardize("浙江省🏠杭州市西湖区😀文三路100号"))
        .isEqualTo(Addresses.standardize("浙江省杭州市西湖区文三路100号"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"浙江省杭州市西湖区文三路100号", "文鼎苑34幢2单元1404室", "北京朝阳区"})
  void surroundingSpaceDoesNotChangeTheResult(String v) {
    assertThat(Addresses.standardize("  " + v + "\u3000\t")).isEqualTo(Addresses.standardize(v));
  }

  @ParameterizedTest
  @CsvSource({
    "浙江省杭州市西湖区文三路１００号, 浙江省杭州市西湖区文三路100号",
    "文鼎苑３４幢２单元１４０４室, 文鼎苑34幢2单元1404室",
    "上海市静安区西康路２３弄６５号３０２室, 上海市静安区西康路23弄65号302室",
    "杭州余杭区文鼎苑３４－２－１４０４, 杭州余杭区文鼎苑34-2-1404",
    "北京朝阳区建国路８８号Ａ座１２０３, 北京朝阳区建国路88号A座1203",
    "浙江省，杭州市，西湖区，文三路１００号, '浙江省,杭州市,西湖区,文三路100号'",
    "文鼎苑（北区）３４幢, 文鼎苑(北区)34幢"
  })
  void fullWidthInputReadsLikeHalfWidth(String fullWidth, String halfWidth) {
    Parsed<ChineseAddress> result = Addresses.standardize(fullWidth);
    assertThat(result).isInstanceOf(Parsed.Ok.class).isEqualTo(Addresses.standardize(halfWidth));
  }

  @Test
  void comparisonIsSymmetric() {
    for (String x : SAMPLES) {
      for (String y : SAMPLES) {
        ChineseAddress a = Addresses.orNull(x);
        ChineseAddress b = Addresses.orNull(y);
        assertThat(AddressComparison.compare(a, b))
            .as("%s ~ %s", x, y)
            .isEqualTo(AddressComparison.compare(b, a));
      }
    }
  }

  @Test
  void anAddressIsItsOwnSameAddress() {
    ChineseAddress a = Addresses.orNull("浙江省杭州市余杭区文鼎苑34幢2单元1404室");
    assertThat(AddressComparison.compare(a, a)).isEqualTo(AddressComparison.Level.SAME_ADDRESS);
  }
}
