package com.onemember.mdm.standardize.address;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.mdm.standardize.address.AddressComparison.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressComparisonTest {

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "浙江省杭州市余杭区文鼎苑34幢2单元1404室, 杭州余杭区文鼎苑34-2-1404, SAME_ADDRESS",
    "浙江省杭州市余杭区文鼎苑34幢2单元1404室, 文鼎苑34幢2单元1404室, SAME_ADDRESS",
    "杭州余杭区文鼎苑34-2-1404, 文鼎苑34幢2单元1404室, SAME_ADDRESS",
    "上海市静安区西康路23弄65号302室, 上海西康路23弄65号302, SAME_ADDRESS",
    "北京朝阳区建国路88号, 朝阳区建国路88号, SAME_ADDRESS",
    "浙江省杭州市余杭区文鼎苑34幢2单元1404室, 杭州余杭区文鼎苑34-2-1405, SAME_DISTRICT",
    "杭州西湖区文三路100号, 杭州市余杭区文鼎苑34幢, SAME_CITY",
    "杭州文三路100号, 杭州市余杭区文鼎苑34幢, SAME_CITY",
    "北京朝阳区, 吉林省长春市朝阳区, DIFFERENT",
    "朝阳区建国路88号, 杭州西湖区文三路100号, DIFFERENT",
    "杭州西湖区文鼎苑34幢2单元1404室, 杭州余杭区文鼎苑34-2-1404, SAME_CITY",
    "北京朝阳区建国路88号, 吉林省长春市朝阳区建国路88号, DIFFERENT",
    "苏州市文鼎苑34幢2单元1404室, 杭州余杭区文鼎苑34-2-1404, DIFFERENT",
    "文三路100号, 文三路101号, DIFFERENT",
    "浙江省, 浙江省杭州市文三路100号, MISSING",
    "1-2-301, 1栋2单元301, MISSING",
    "浙江省杭州市, '', MISSING",
    "😀, 杭州文三路100号, MISSING"
  })
  void levels(String x, String y, Level expected) {
    ChineseAddress a = Addresses.orNull(x);
    ChineseAddress b = Addresses.orNull(y);
    assertThat(AddressComparison.compare(a, b)).isEqualTo(expected);
    assertThat(AddressComparison.compare(b, a)).isEqualTo(expected);
  }
}
