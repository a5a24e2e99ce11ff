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
  SAME_UNIONID(true, "same WeChat unionid / 微信 unionid 相同");

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
    if (x.isEmpty() || y.isEmpty()) {
      return null;
    }
    return x.stream().anyMatch(y::contains) ? SAME_UNIONID : DIFFERENT_UNIONID;
  }
}
