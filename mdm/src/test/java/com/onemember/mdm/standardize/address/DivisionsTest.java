package com.onemember.mdm.standardize.address;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.mdm.standardize.address.Divisions.Division;
import com.onemember.mdm.standardize.address.Divisions.Level;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DivisionsTest {

  private final Collection<Division> all = Divisions.get().byCode().values();

  @Test
  void theBundledListHoldsEveryLevel() {
    Map<Level, Long> counts =
        all.stream().collect(Collectors.groupingBy(Division::level, Collectors.counting()));
    assertThat(counts.get(Level.PROVINCE)).isEqualTo(31);
    assertThat(counts.get(Level.CITY)).isBetween(330L, 400L);
    assertThat(counts.get(Level.DISTRICT)).isBetween(2800L, 3000L);
  }

  @ParameterizedTest
  @CsvSource({"北京市, 16", "天津市, 16", "上海市, 16", "重庆市, 38"})
  void aMunicipalityHasOneCityItselfWithAllItsDistricts(String name, int districts) {
    Division province =
        all.stream()
            .filter(d -> d.level() == Level.PROVINCE && d.name().equals(name))
            .findFirst()
            .orElseThrow();
    Division city = Divisions.get().municipalCity(province);
    assertThat(city.name()).isEqualTo(name);
    assertThat(all.stream().filter(d -> city.equals(d.parent())).count()).isEqualTo(districts);
  }

  @Test
  void noCityIsCalledByTheNamesOfTheSourceData() {
    assertThat(all)
        .extracting(Division::name)
        .doesNotContain("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划");
  }

  @Test
  void cityNamesAreUniqueInTheCountry() {
    Map<String, List<Division>> byName = new HashMap<>();
    for (Division d : all) {
      if (d.level() == Level.CITY) {
        byName.computeIfAbsent(d.name(), n -> new java.util.ArrayList<>()).add(d);
      }
    }
    assertThat(byName.values()).allSatisfy(list -> assertThat(list).hasSize(1));
  }

  @ParameterizedTest
  @CsvSource({
    "浙江省, 浙江",
    "内蒙古自治区, 内蒙古",
    "广西壮族自治区, 广西",
    "新疆维吾尔自治区, 新疆",
    "延边朝鲜族自治州, 延边|延边州",
    "恩施土家族苗族自治州, 恩施|恩施州",
    "海西蒙古族藏族自治州, 海西|海西州",
    "博尔塔拉蒙古自治州, 博尔塔拉|博尔塔拉州",
    "浦东新区, 浦东",
    "大兴安岭地区, 大兴安岭",
    "长阳土家族自治县, 长阳|长阳县",
    "城区, ''",
    "忠县, ''"
  })
  void shortForms(String name, String forms) {
    assertThat(String.join("|", Divisions.shortForms(name))).isEqualTo(forms);
  }
}
