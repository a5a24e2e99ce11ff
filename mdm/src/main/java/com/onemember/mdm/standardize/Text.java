package com.onemember.mdm.standardize;

import com.github.houbb.opencc4j.support.datamap.impl.DataMaps;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Normalisation shared by all standardizers. */
public final class Text {

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

  /**
   * Traditional Chinese characters replaced by their simplified form (陳偉 → 陈伟, 歐陽 → 欧阳), one
   * character at a time with OpenCC's default reading for characters that have several (乾 stays 乾,
   * 於 becomes 于); everything else is kept. Phrase-level conversion is deliberately not done: names
   * are not phrases. Returns the same instance when nothing changes, which is the common case and
   * costs one array or map look-up per Han character. The table (~4,000 characters) is loaded on
   * first use, in well under a second.
   */
  public static String simplified(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      String simple = TraditionalChinese.simplified(cp);
      if (simple != null && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (out != null) {
        if (simple != null) {
          out.append(simple);
        } else {
          out.appendCodePoint(cp);
        }
      }
      i += Character.charCount(cp);
    }
    return out == null ? s : out.toString();
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

  /**
   * OpenCC's traditional → simplified character table (TSCharacters, via opencc4j), reduced to the
   * characters that change: CJK Unified Ideographs and Extension A in an array, the few hundred
   * others (supplementary planes) in a map. Loaded when first needed so that standardizers that
   * never see Chinese do not pay for it.
   */
  private static final class TraditionalChinese {

    /** No Han character (radicals included) lies below this code point. */
    private static final int FIRST_HAN = 0x2E80;

    private static final int FIRST = 0x3400;
    private static final int LAST = 0x9FFF;
    private static final String[] COMMON = new String[LAST - FIRST + 1];
    private static final Map<Integer, String> OTHERS = new HashMap<>();

    static {
      for (Map.Entry<String, List<String>> e : DataMaps.defaults().tsChar().entrySet()) {
        String traditional = e.getKey();
        List<String> candidates = e.getValue();
        if (candidates == null
            || candidates.isEmpty()
            || traditional.codePointCount(0, traditional.length()) != 1
            || candidates.get(0).equals(traditional)) {
          continue;
        }
        int cp = traditional.codePointAt(0);
        if (cp >= FIRST && cp <= LAST) {
          COMMON[cp - FIRST] = candidates.get(0);
        } else {
          OTHERS.put(cp, candidates.get(0));
        }
      }
    }

    /** The simplified form, or {@code null} when the character is not a traditional one. */
    static String simplified(int cp) {
      if (cp >= FIRST && cp <= LAST) {
        return COMMON[cp - FIRST];
      }
      return cp < FIRST_HAN ? null : OTHERS.get(cp);
    }
  }
}
