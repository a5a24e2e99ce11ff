package com.onemember.mdm.scoring;

import com.onemember.canonical.Gender;
import com.onemember.mdm.standardize.Birthday;
import com.onemember.mdm.standardize.PersonNames;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The attribute comparisons of the model. Each maps a pair of records to a level, an index into
 * {@link #levels()} ordered from strongest agreement to disagreement, or {@link #MISSING} when
 * either side lacks the attribute (missing values are no evidence either way). For names, "exact"
 * means the same characters, or the same pinyin when one side is romanised (王伟 and Wang Wei); "same
 * pinyin" is a homophone in characters (王伟 and 王玮).
 */
public enum Comparison {
  SURNAME(
      List.of("exact", "same pinyin", "jaro-winkler ≥ 0.92", "jaro-winkler ≥ 0.80", "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      if (crossed(a, b)) {
        return crossedLevels(a, b)[0];
      }
      int direct = nameLevel(a.surname(), b.surname(), a.surnamePinyin(), b.surnamePinyin());
      return direct == 0 || direct == MISSING || !swapped(a, b) ? direct : 1;
    }
  },
  GIVEN_NAME(
      List.of(
          "exact",
          "same pinyin",
          "jaro-winkler ≥ 0.92",
          "jaro-winkler ≥ 0.80",
          "different",
          "different, both in Chinese characters")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      if (crossed(a, b)) {
        return crossedLevels(a, b)[1];
      }
      int direct = nameLevel(a.givenName(), b.givenName(), a.givenPinyin(), b.givenPinyin());
      if (direct == 0 || direct == MISSING) {
        return direct;
      }
      if (swapped(a, b)) {
        return 1;
      }
      // Two given names written in characters that sound nothing alike are rarely a typo: in a
      // household sharing a phone and an address this is what tells husband from wife.
      return direct == 4 && han(a.givenName()) && han(b.givenName())
          ? GIVEN_NAME_DIFFERENT_IN_CHARACTERS
          : direct;
    }
  },
  BIRTHDAY(
      List.of(
          "exact",
          "month and day agree, one year unknown",
          "one typo",
          "same year and month",
          "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      Birthday x = a.birthday();
      Birthday y = b.birthday();
      if (x == null || y == null) {
        return MISSING;
      }
      if (x.equals(y)) {
        return 0;
      }
      if (x.agreesWith(y)) {
        return 1;
      }
      if (x.hasYear() && y.hasYear()) {
        if (Similarity.damerau(compact(x), compact(y)) <= 1
            || (x.year().equals(y.year()) && x.month() == y.day() && x.day() == y.month())) {
          return 2;
        }
        if (x.year().equals(y.year()) && x.month() == y.month()) {
          return 3;
        }
      }
      return 4;
    }
  },
  GENDER(List.of("same", "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      if (a.gender() == null
          || b.gender() == null
          || a.gender() == Gender.UNKNOWN
          || b.gender() == Gender.UNKNOWN) {
        return MISSING;
      }
      return a.gender() == b.gender() ? 0 : 1;
    }
  },
  POSTCODE(List.of("exact", "same district (first 4)", "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      return text(
          a,
          b,
          MatchRecord::postcode,
          (x, y) -> x.length() >= 4 && y.length() >= 4 && x.regionMatches(0, y, 0, 4) ? 1 : 2);
    }
  },
  CITY(List.of("exact", "jaro-winkler ≥ 0.90", "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      return text(
          a,
          b,
          MatchRecord::city,
          (x, y) ->
              han(x) != han(y) && cityPinyin(x).equals(cityPinyin(y))
                  ? 0
                  : Similarity.jaroWinkler(x, y) >= 0.90 ? 1 : 2);
    }
  },
  ADDRESS(List.of("exact", "jaro-winkler ≥ 0.88", "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      return text(
          a, b, MatchRecord::addressLine, (x, y) -> Similarity.jaroWinkler(x, y) >= 0.88 ? 1 : 2);
    }
  },
  MOBILE(List.of("a number in common", "masked number agrees", "one typo apart", "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      int full = sets(a.mobiles(), b.mobiles());
      if (full == 0) {
        return 0;
      }
      if (full == 1 && oneTypoApart(a.mobiles(), b.mobiles())) {
        return 2;
      }
      // Two full numbers that differ are different even if their masks agree; a masked number
      // (138****5678) only ever agrees partially.
      if (a.maskedMobiles().isEmpty() && b.maskedMobiles().isEmpty()) {
        return full == MISSING ? MISSING : 3;
      }
      Set<String> x = a.maskedForms();
      Set<String> y = b.maskedForms();
      if (x.isEmpty() || y.isEmpty()) {
        return MISSING;
      }
      return x.stream().anyMatch(y::contains) ? 1 : 3;
    }
  },
  EMAIL(List.of("an address in common", "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      return sets(a.emails(), b.emails());
    }
  },
  ID_NUMBER(List.of("exact", "one typo", "different")) {
    @Override
    int level(MatchRecord a, MatchRecord b) {
      return text(a, b, MatchRecord::idNumber, (x, y) -> Similarity.damerau(x, y) <= 1 ? 1 : 2);
    }
  };

  /** The level of a pair in which either side lacks the attribute. */
  public static final int MISSING = -1;

  /** {@link #GIVEN_NAME}'s level for two given names in characters that sound nothing alike. */
  private static final int GIVEN_NAME_DIFFERENT_IN_CHARACTERS = 5;

  /**
   * Whether two records clearly name two people whatever else they share: given names written in
   * characters that share no sound (玲婷 and 俊杰). This tells the members of one household apart, who
   * share a phone, a flat and often a surname. A stated gender does not: sources mistype it often
   * enough (Splink's historical set does, and with it 0.03 of F1 was lost) to be only evidence.
   */
  public static boolean givenNamesTellApart(MatchRecord a, MatchRecord b) {
    return GIVEN_NAME.level(a, b) == GIVEN_NAME_DIFFERENT_IN_CHARACTERS;
  }

  private final List<String> levels;

  Comparison(List<String> levels) {
    this.levels = levels;
  }

  /** Level names, strongest agreement first; the last is disagreement. */
  public List<String> levels() {
    return levels;
  }

  /** The level of the pair, or {@link #MISSING}. Symmetric. */
  abstract int level(MatchRecord a, MatchRecord b);

  /** Whether exact agreement on this attribute is weighted by how common the value is. */
  boolean termFrequencyAdjusted() {
    return this == SURNAME || this == GIVEN_NAME;
  }

  /**
   * The value whose frequency adjusts an exact agreement of {@code a} with {@code b}: the pinyin,
   * so that 刘, Liu and LIU count as one name, read from the side whose name order is known.
   */
  String termValue(MatchRecord a, MatchRecord b) {
    MatchRecord r = a.nameOrderKnown() || !b.nameOrderKnown() ? a : b;
    return termValue(r);
  }

  /** Whether the record's value for this name comparison is written in Chinese characters. */
  boolean inCharacters(MatchRecord r) {
    return han(this == SURNAME ? r.surname() : r.givenName());
  }

  /** The value counted for term frequencies: pinyin where there is one. */
  String termValue(MatchRecord r) {
    if (this == SURNAME) {
      return Similarity.blank(r.surnamePinyin()) ? r.surname() : r.surnamePinyin();
    }
    return Similarity.blank(r.givenPinyin()) ? r.givenName() : r.givenPinyin();
  }

  /**
   * Whether a romanised name of unknown order (Wang Wei, or WEI WANG), or a lone word in the given
   * name field, fits the other name better read the other way round: then surname is compared with
   * given name and vice versa.
   */
  static boolean crossed(MatchRecord a, MatchRecord b) {
    if (a.nameOrderKnown() && b.nameOrderKnown() && !loneGiven(a) && !loneGiven(b)) {
      return false;
    }
    int straight =
        rank(nameLevel(a.surname(), b.surname(), a.surnamePinyin(), b.surnamePinyin()))
            + rank(nameLevel(a.givenName(), b.givenName(), a.givenPinyin(), b.givenPinyin()));
    int across =
        rank(nameLevel(a.givenName(), b.surname(), a.givenPinyin(), b.surnamePinyin()))
            + rank(nameLevel(a.surname(), b.givenName(), a.surnamePinyin(), b.givenPinyin()));
    return across < straight;
  }

  /**
   * A record with a given name but no surname: a source that had one name field may have put the
   * surname there (Poole against Jonas Poole), so the word is compared both ways.
   */
  private static boolean loneGiven(MatchRecord r) {
    return Similarity.blank(r.surname()) && !Similarity.blank(r.givenName());
  }

  /**
   * Read crosswise, one word pair stands for the surnames and the other for the given names; which
   * is which cannot be told when neither order is known, so the better agreement counts as the
   * surname's and the worse as the given name's, the same whichever record comes first.
   */
  private static int[] crossedLevels(MatchRecord a, MatchRecord b) {
    int x = nameLevel(a.givenName(), b.surname(), a.givenPinyin(), b.surnamePinyin());
    int y = nameLevel(a.surname(), b.givenName(), a.surnamePinyin(), b.givenPinyin());
    return rank(x) <= rank(y) ? new int[] {x, y} : new int[] {y, x};
  }

  /** A clerk's slip: one digit wrong, or two neighbours swapped, in an 11-digit number. */
  private static boolean oneTypoApart(Set<String> x, Set<String> y) {
    for (String p : x) {
      for (String q : y) {
        if (oneTypoApart(p, q)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Equal length and one character different, or two neighbours swapped. */
  private static boolean oneTypoApart(String p, String q) {
    if (p.length() != q.length()) {
      return false;
    }
    int first = -1;
    int differences = 0;
    for (int i = 0; i < p.length(); i++) {
      if (p.charAt(i) != q.charAt(i)) {
        if (++differences > 2) {
          return false;
        }
        if (first < 0) {
          first = i;
        } else if (i != first + 1
            || p.charAt(first) != q.charAt(i)
            || p.charAt(i) != q.charAt(first)) {
          return false;
        }
      }
    }
    return differences >= 1;
  }

  /** 南京市, 南京 and Nanjing alike: the toneless pinyin without the 市 suffix, lower case. */
  private static String cityPinyin(String city) {
    String c = city.endsWith("市") ? city.substring(0, city.length() - 1) : city;
    return han(c) ? PersonNames.pinyin(c) : c.toLowerCase(java.util.Locale.ROOT).replace(" ", "");
  }

  private static boolean han(String s) {
    return s != null
        && !s.isEmpty()
        && Character.UnicodeScript.of(s.codePointAt(0)) == Character.UnicodeScript.HAN;
  }

  private static int rank(int level) {
    return level == MISSING ? 5 : level;
  }

  /** Given and family name swapped: WEI WANG against Wang Wei, or a clerk's swap. */
  private static boolean swapped(MatchRecord a, MatchRecord b) {
    return !Similarity.blank(a.givenName())
        && !Similarity.blank(a.surname())
        && a.givenName().equals(b.surname())
        && a.surname().equals(b.givenName());
  }

  private static int nameLevel(String x, String y, String px, String py) {
    if (Similarity.blank(x) || Similarity.blank(y)) {
      return MISSING;
    }
    if (x.equals(y)) {
      return 0;
    }
    if (!Similarity.blank(px) && px.equals(py)) {
      // 王伟 and "Wang Wei" agree as well as two scripts can; 王伟 and 王玮 are a homophone slip
      return han(x) == han(y) ? 1 : 0;
    }
    String cx = Similarity.blank(px) ? x : px;
    String cy = Similarity.blank(py) ? y : py;
    double jw = Similarity.jaroWinkler(cx, cy);
    return jw >= 0.92 ? 2 : jw >= 0.80 ? 3 : 4;
  }

  private static int text(
      MatchRecord a,
      MatchRecord b,
      Function<MatchRecord, String> field,
      java.util.function.BiFunction<String, String, Integer> otherwise) {
    String x = field.apply(a);
    String y = field.apply(b);
    if (Similarity.blank(x) || Similarity.blank(y)) {
      return MISSING;
    }
    return x.equals(y) ? 0 : otherwise.apply(x, y);
  }

  private static int sets(Set<String> x, Set<String> y) {
    if (x.isEmpty() || y.isEmpty()) {
      return MISSING;
    }
    return x.stream().anyMatch(y::contains) ? 0 : 1;
  }

  private static String compact(Birthday b) {
    return Integer.toString(b.year() * 10_000 + b.month() * 100 + b.day());
  }
}
