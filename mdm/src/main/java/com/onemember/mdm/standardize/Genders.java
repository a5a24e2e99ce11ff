package com.onemember.mdm.standardize;

import com.onemember.canonical.Gender;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the gender codes store systems use: 男/女, M/F, male/female, and the numeric codes 1 = male,
 * 2 = female, 0 = unknown used by WeChat and most POS systems.
 */
public final class Genders {

  private static final Map<String, Gender> CODES =
      Map.ofEntries(
          Map.entry("男", Gender.MALE),
          Map.entry("男性", Gender.MALE),
          Map.entry("先生", Gender.MALE),
          Map.entry("m", Gender.MALE),
          Map.entry("male", Gender.MALE),
          Map.entry("1", Gender.MALE),
          Map.entry("女", Gender.FEMALE),
          Map.entry("女性", Gender.FEMALE),
          Map.entry("女士", Gender.FEMALE),
          Map.entry("f", Gender.FEMALE),
          Map.entry("female", Gender.FEMALE),
          Map.entry("2", Gender.FEMALE),
          Map.entry("0", Gender.UNKNOWN),
          Map.entry("未知", Gender.UNKNOWN),
          Map.entry("保密", Gender.UNKNOWN),
          Map.entry("u", Gender.UNKNOWN),
          Map.entry("unknown", Gender.UNKNOWN));

  private Genders() {}

  /** The gender, or why the code is not understood; blank input gives {@link Gender#UNKNOWN}. */
  public static Parsed<Gender> standardize(String input) {
    String text = Text.clean(input);
    if (text == null) {
      return Parsed.ok(Gender.UNKNOWN);
    }
    Gender g = CODES.get(text.toLowerCase(Locale.ROOT));
    if (g != null) {
      return Parsed.ok(g);
    }
    return Parsed.refused(
        "gender",
        "性别"
            + Text.quote(text)
            + "无法识别，请填 男 或 女 / Gender "
            + Text.quote(text)
            + " is not understood; use 男/女, M/F or 1/2.");
  }
}
