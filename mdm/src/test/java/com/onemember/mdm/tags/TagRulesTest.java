package com.onemember.mdm.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.Gender;
import com.onemember.canonical.Member;
import com.onemember.canonical.Purchases;
import com.onemember.canonical.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TagRulesTest {

  private static final Instant NOW = Instant.parse("2026-11-23T04:00:00Z");

  private static final TagRules SHIPPED =
      new TagRules(
          List.of(
              new TagRule("忠实客户", 3, null, null, null, null, null, null),
              new TagRule("沉睡客户", null, null, null, 90, null, null, null),
              new TagRule("生日月", null, null, null, null, null, true, null),
              new TagRule("金卡会员", null, new BigDecimal("5000"), null, null, null, null, null),
              new TagRule(
                  "银卡会员",
                  null,
                  new BigDecimal("2000"),
                  new BigDecimal("5000"),
                  null,
                  null,
                  null,
                  null),
              new TagRule("西湖店常客", null, null, null, null, 30, null, "杭州西湖店")));

  @Test
  void eachRuleGivesItsTagExactlyWhenItsConditionsHold() {
    Member loyal = member("1988-11-02", purchases(4, "2450.50", "2026-11-01T10:00:00Z", "杭州西湖店"));
    assertThat(tags(loyal)).containsExactly("忠实客户", "生日月", "银卡会员", "西湖店常客");

    Member asleep = member("--05-03", purchases(2, "6000", "2026-07-01T10:00:00Z", "上海徐汇店"));
    assertThat(tags(asleep)).containsExactly("沉睡客户", "金卡会员");

    // exactly at the thresholds
    Member edge = member(null, purchases(3, "5000", "2026-08-25T04:00:00Z", null));
    assertThat(tags(edge)).containsExactly("忠实客户", "沉睡客户", "金卡会员");

    // nothing known of purchases: no purchase tags, not even 沉睡客户
    assertThat(tags(member("1990-03-05", null))).isEmpty();
  }

  @Test
  void theLineageSaysWhyInNumbers() {
    Member loyal = member(null, purchases(4, "2450.50", "2026-11-01T10:00:00Z", null));
    TagRules.Earned earned = SHIPPED.evaluate(loyal, NOW).get(0);
    assertThat(earned.tag()).isEqualTo(new Tag("忠实客户", TagRules.RULE));
    assertThat(earned.lineage().reason()).contains("订单 4 ≥ 3", "4 orders ≥ 3");
  }

  @Test
  void aRuleWithoutTagOrConditionIsRefusedAtStart() {
    assertThatThrownBy(() -> new TagRule(" ", 3, null, null, null, null, null, null))
        .hasMessageContaining("a rule has no tag");
    assertThatThrownBy(() -> new TagRule("VIP", null, null, null, null, null, false, null))
        .hasMessageContaining("has no condition");
  }

  private static List<String> tags(Member m) {
    return SHIPPED.evaluate(m, NOW).stream().map(e -> e.tag().name()).toList();
  }

  private static Purchases purchases(int orders, String spent, String last, String store) {
    return new Purchases(
        orders,
        new BigDecimal(spent),
        last == null ? null : Instant.parse(last),
        store == null ? List.of() : List.of(store));
  }

  private static Member member(String birthday, Purchases purchases) {
    return new Member(
        UUID.randomUUID(),
        1,
        "何炅",
        Gender.MALE,
        birthday,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        purchases,
        List.of(),
        NOW,
        NOW);
  }
}
