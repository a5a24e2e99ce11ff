package com.onemember.mdm.tags;

import java.math.BigDecimal;

/**
 * One rule: the tag a member gets when every condition given holds (absent ones do not count).
 *
 * @param tag the tag's name, such as 忠实客户
 * @param minOrders orders across all systems at least this
 * @param minSpent yuan across all systems at least this
 * @param belowSpent yuan across all systems less than this (for tiers)
 * @param inactiveDays no purchase in any system for at least this many days (a member nobody
 *     reports a purchase for is not inactive: nothing is known)
 * @param activeWithinDays a purchase in some system within this many days
 * @param birthdayMonth when true, the member's birthday is in the current month (China time)
 * @param store one of the member's stores is this one
 */
public record TagRule(
    String tag,
    Integer minOrders,
    BigDecimal minSpent,
    BigDecimal belowSpent,
    Integer inactiveDays,
    Integer activeWithinDays,
    Boolean birthdayMonth,
    String store) {

  public TagRule {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("tags.yaml: 规则缺少 tag / a rule has no tag");
    }
    if (minOrders == null
        && minSpent == null
        && belowSpent == null
        && inactiveDays == null
        && activeWithinDays == null
        && !Boolean.TRUE.equals(birthdayMonth)
        && store == null) {
      throw new IllegalArgumentException(
          "tags.yaml: 规则 " + tag + " 没有任何条件 / the rule for " + tag + " has no condition");
    }
  }
}
