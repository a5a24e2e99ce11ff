package com.onemember.mdm.standardize;

import java.text.Normalizer;

/** Normalisation shared by all standardizers. */
final class Text {

  private Text() {}

  /**
   * NFKC-normalises (full-width letters, digits and spaces become half-width), trims and collapses
   * runs of white space. Returns {@code null} for {@code null} or blank input.
   */
  static String clean(String s) {
    if (s == null) {
      return null;
    }
    String n = Normalizer.normalize(s, Normalizer.Form.NFKC).replace('\u3000', ' ');
    n = n.replaceAll("[\\s\\u200b\\ufeff]+", " ").trim();
    return n.isEmpty() ? null : n;
  }

  static boolean isHan(int codePoint) {
    return Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
  }

  static boolean allHan(String s) {
    return !s.isEmpty() && s.codePoints().allMatch(Text::isHan);
  }

  /** Clips a value for an error message so that a 2,000-character cell does not flood a report. */
  static String quote(String s) {
    String v = s.length() > 30 ? s.substring(0, 30) + "…" : s;
    return "「" + v + "」";
  }
}
