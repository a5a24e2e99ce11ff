package com.onemember.mdm.scoring;

import java.util.Set;

/**
 * Facts about a pair that settle it whatever the attributes say. A rule that separates wins over
 * one that joins: a shared WeChat unionid does not outweigh two different verified id numbers. A
 * steward's "different people" is such a rule too, but it is about members, not records, and is
 * applied by the hub before scoring.
 */
public enum HardRule {
  /** Both records carry verified resident id numbers and they differ. */
  DIFFERENT_VERIFIED_ID(false, "different verified ID numbers / 身份证号不同"),
  /** Both records carry WeChat unionids and share none: two WeChat users. */
  DIFFERENT_UNIONID(false, "different WeChat unionids / 微信 unionid 不同"),
  /** The records share a WeChat unionid: the same WeChat user. */
  SAME_UNIONID(true, "same WeChat unionid / 微信 unionid 相同"),
  /**
   * One record's system verified a mobile as the person's (WeChat: the number the account confirmed
   * by SMS), the other record gives the same number, and their names do not disagree (the verified
   * side usually has none: WeChat gives no names). China's mobile numbers are registered to one
   * person by name, so the number is the person's; a different name on the other side (a family
   * member's number typed at the till) leaves the pair to the score.
   */
  SAME_VERIFIED_MOBILE(true, "a mobile verified by its system in common / 共有经系统验证的手机号");

  private final boolean same;
  private final String description;

  HardRule(boolean same, String description) {
    this.same = same;
    this.description = description;
  }

  /** Whether the rule says "same person" (otherwise it says "different people"). */
  public boolean same() {
    return same;
  }

  public String description() {
    return description;
  }

  /** The rule that settles the pair, or {@code null} when the score must decide. */
  public static HardRule between(MatchRecord a, MatchRecord b) {
    if (a.idVerified()
        && b.idVerified()
        && a.idNumber() != null
        && !a.idNumber().equals(b.idNumber())) {
      return DIFFERENT_VERIFIED_ID;
    }
    Set<String> x = a.unionids();
    Set<String> y = b.unionids();
    if (!x.isEmpty() && !y.isEmpty()) {
      return x.stream().anyMatch(y::contains) ? SAME_UNIONID : DIFFERENT_UNIONID;
    }
    if ((a.verifiedMobiles().stream().anyMatch(b.mobiles()::contains)
            || b.verifiedMobiles().stream().anyMatch(a.mobiles()::contains))
        && !namesDisagree(a, b)) {
      return SAME_VERIFIED_MOBILE;
    }
    return null;
  }

  /** Both records name the person, and not alike: surnames or given names differ in pinyin. */
  private static boolean namesDisagree(MatchRecord a, MatchRecord b) {
    return differ(a.surnamePinyin(), b.surnamePinyin()) || differ(a.givenPinyin(), b.givenPinyin());
  }

  private static boolean differ(String x, String y) {
    return x != null && y != null && !x.equalsIgnoreCase(y);
  }
}
