package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.PurchaseSummary;
import com.onemember.canonical.Purchases;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PurchaseSummariesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "5|¥1,280.50|2026-10-02 19:30|5|1280.50|2026-10-02T11:30:00Z",
        "5次|1280.5元|2026/10/2|5|1280.5|2026-10-01T16:00:00Z",
        "12 单|RMB 300|2026年10月2日|12|300|2026-10-01T16:00:00Z",
        "0|￥0.00|2026-10-02T19:30:00+08:00|0|0.00|2026-10-02T11:30:00Z",
      })
  void readsTheWaysSystemsWriteThem(
      String orders, String spent, String last, int o, String s, String at) {
    Parsed<Purchases> parsed =
        PurchaseSummaries.standardize(new PurchaseSummary(orders, spent, last, " 杭州西湖店 "));
    assertThat(parsed).isInstanceOf(Parsed.Ok.class);
    Purchases p = ((Parsed.Ok<Purchases>) parsed).value();
    assertThat(p.orders()).isEqualTo(o);
    assertThat(p.spent()).isEqualByComparingTo(new BigDecimal(s));
    assertThat(p.lastPurchaseAt()).isEqualTo(Instant.parse(at));
    assertThat(p.stores()).containsExactly("杭州西湖店");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "三单|NULL|NULL|order count",
        "-3|NULL|NULL|order count",
        "NULL|12.345|NULL|amount spent",
        "NULL|1,2,3|NULL|amount spent",
        "NULL|免费|NULL|amount spent",
        "NULL|NULL|昨天|last purchase time",
        "NULL|NULL|2026-13-45|last purchase time",
      })
  void refusesWhatItCannotReadAndSaysWhich(String orders, String spent, String last, String named) {
    Parsed<Purchases> parsed =
        PurchaseSummaries.standardize(new PurchaseSummary(orders, spent, last, null));
    assertThat(parsed).isInstanceOf(Parsed.Refused.class);
    assertThat(((Parsed.Refused<Purchases>) parsed).problem().message()).contains(named);
  }

  @Test
  void noSummaryIsNoPurchases() {
    assertThat(PurchaseSummaries.standardize(null)).isNull();
    assertThat(PurchaseSummaries.standardize(new PurchaseSummary(" ", null, "", null))).isNull();
  }
}
