package com.onemember.mdm.tags;

import com.onemember.canonical.Lineage;
import com.onemember.canonical.LineageSource;
import com.onemember.canonical.Member;
import com.onemember.canonical.Purchases;
import com.onemember.canonical.Tag;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Evaluates the tag rules on a golden record at a given time. */
public final class TagRules {

  /** The source of every tag a rule gave, in golden records. */
  public static final String RULE = "rule";

  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  private final List<TagRule> rules;

  public TagRules(List<TagRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<TagRule> rules() {
    return rules;
  }

  /** A tag a rule gives, with why. */
  public record Earned(Tag tag, Lineage lineage) {}

  /** The tags {@code golden} earns at {@code now}, in rule order. */
  public List<Earned> evaluate(Member golden, Instant now) {
    List<Earned> out = new ArrayList<>();
    for (TagRule rule : rules) {
      List<String> zh = new ArrayList<>();
      List<String> en = new ArrayList<>();
      if (holds(rule, golden, now, zh, en)) {
        out.add(
            new Earned(
                new Tag(rule.tag(), RULE),
                new Lineage(
                    "tags",
                    rule.tag() + " (" + RULE + ")",
                    "TAG_RULE",
                    String.join("，", zh) + " / " + String.join(", ", en),
                    sources(golden, rule))));
      }
    }
    return out;
  }

  private static boolean holds(
      TagRule rule, Member golden, Instant now, List<String> zh, List<String> en) {
    Purchases p = golden.purchases();
    if (rule.minOrders() != null) {
      if (p == null || p.orders() < rule.minOrders()) {
        return false;
      }
      zh.add("订单 %d ≥ %d".formatted(p.orders(), rule.minOrders()));
      en.add("%d orders ≥ %d".formatted(p.orders(), rule.minOrders()));
    }
    if (rule.minSpent() != null) {
      if (p == null || p.spent().compareTo(rule.minSpent()) < 0) {
        return false;
      }
      zh.add("消费 ¥%s ≥ ¥%s".formatted(p.spent().toPlainString(), rule.minSpent().toPlainString()));
      en.add(
          "spent ¥%s ≥ ¥%s".formatted(p.spent().toPlainString(), rule.minSpent().toPlainString()));
    }
    if (rule.belowSpent() != null) {
      if (p == null || p.spent().compareTo(rule.belowSpent()) >= 0) {
        return false;
      }
      zh.add(
          "消费 ¥%s < ¥%s".formatted(p.spent().toPlainString(), rule.belowSpent().toPlainString()));
      en.add(
          "spent ¥%s < ¥%s"
              .formatted(p.spent().toPlainString(), rule.belowSpent().toPlainString()));
    }
    if (rule.inactiveDays() != null || rule.activeWithinDays() != null) {
      if (p == null || p.lastPurchaseAt() == null) {
        return false;
      }
      long days = Duration.between(p.lastPurchaseAt(), now).toDays();
      if (rule.inactiveDays() != null) {
        if (days < rule.inactiveDays()) {
          return false;
        }
        zh.add("已 %d 天未消费（≥ %d）".formatted(days, rule.inactiveDays()));
        en.add("no purchase for %d days (≥ %d)".formatted(days, rule.inactiveDays()));
      }
      if (rule.activeWithinDays() != null) {
        if (days > rule.activeWithinDays()) {
          return false;
        }
        zh.add("%d 天内有消费".formatted(rule.activeWithinDays()));
        en.add("a purchase within %d days".formatted(rule.activeWithinDays()));
      }
    }
    if (Boolean.TRUE.equals(rule.birthdayMonth())) {
      int month = LocalDate.ofInstant(now, CHINA).getMonthValue();
      if (birthdayMonth(golden.birthday()) != month) {
        return false;
      }
      zh.add("生日在本月（%d 月）".formatted(month));
      en.add("birthday this month (%d)".formatted(month));
    }
    if (rule.store() != null) {
      if (p == null || !p.stores().contains(rule.store())) {
        return false;
      }
      zh.add("门店 " + rule.store());
      en.add("store " + rule.store());
    }
    return true;
  }

  /** The month of an ISO date or a --MM-DD birthday; 0 if none. */
  private static int birthdayMonth(String birthday) {
    if (birthday == null) {
      return 0;
    }
    String mmdd = birthday.startsWith("--") ? birthday.substring(2) : birthday.substring(5);
    return Integer.parseInt(mmdd.substring(0, 2));
  }

  /** The records the rule read: those behind the purchases, or behind the birthday. */
  private static List<LineageSource> sources(Member golden, TagRule rule) {
    String attribute = Boolean.TRUE.equals(rule.birthdayMonth()) ? "birthday" : "purchases";
    return golden.lineage().stream()
        .filter(l -> l.attribute().equals(attribute))
        .findFirst()
        .map(Lineage::sources)
        .orElse(List.of());
  }
}
