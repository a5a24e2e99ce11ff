package com.onemember.mdm.standardize.address;

import java.util.Objects;

/**
 * How close two standardised addresses are, for matching members. A level that only one side gives
 * never counts against a pair (a member who wrote only 文鼎苑34幢2单元1404室 may live in 杭州); a level both
 * give and on which they differ makes them different, whatever else agrees.
 */
public final class AddressComparison {

  /** From closest to farthest; {@link #MISSING} when there is not enough to tell. */
  public enum Level {
    /**
     * Same detail key (street, number, building, unit, room) and no disagreement on province, city
     * or district. The key must contain a Chinese character: a bare 1-2-301 is no address.
     */
    SAME_ADDRESS,
    /** Same district (and no disagreement above it), different or unknown detail. */
    SAME_DISTRICT,
    /** Same city; districts differ or are not both known. */
    SAME_CITY,
    /**
     * Province or city differ, districts differ and the city is not known on both sides, or nothing
     * above is shared and both details are given and differ.
     */
    DIFFERENT,
    /** Either address is {@code null}, or they share nothing that can be compared. */
    MISSING
  }

  private AddressComparison() {}

  /** Compares two addresses; either may be {@code null}. Symmetric. */
  public static Level compare(ChineseAddress a, ChineseAddress b) {
    if (a == null || b == null) {
      return Level.MISSING;
    }
    if (differ(a.province(), b.province()) || differ(a.city(), b.city())) {
      return Level.DIFFERENT;
    }
    if (differ(a.district(), b.district())) {
      return a.city() != null && a.city().equals(b.city()) ? Level.SAME_CITY : Level.DIFFERENT;
    }
    if (a.detailKey() != null
        && a.detailKey().equals(b.detailKey())
        && a.detailKey().codePoints().anyMatch(AddressComparison::isHan)) {
      return Level.SAME_ADDRESS;
    }
    if (a.district() != null && a.district().equals(b.district())) {
      return Level.SAME_DISTRICT;
    }
    if (a.city() != null && a.city().equals(b.city())) {
      return Level.SAME_CITY;
    }
    if (a.detailKey() != null && b.detailKey() != null) {
      return Level.DIFFERENT;
    }
    return Level.MISSING;
  }

  private static boolean differ(String x, String y) {
    return x != null && y != null && !Objects.equals(x, y);
  }

  private static boolean isHan(int c) {
    return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
  }
}
