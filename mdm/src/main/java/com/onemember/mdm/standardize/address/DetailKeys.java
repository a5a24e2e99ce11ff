package com.onemember.mdm.standardize.address;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reduces the street part of an address to a key on which the usual ways of writing one flat agree.
 * Building (号楼, 栋, 幢, 座, #), unit (单元), lane (弄), number (号) and room (室) markers after a number
 * all become one dash, so 1号楼2单元301室, 1栋2单元301, 1幢2单元301号, 1#2单元301 and 1-2-301 all end in {@code
 * 1-2-301}, and 西康路23弄65号302室 and 西康路23弄65号302 both give {@code 西康路23-65-302}. Chinese numerals
 * before such a marker become digits (三号楼 → 3号楼 → 3-); a floor written between unit and room
 * (2单元3楼301) is dropped, since the room number carries it. Remarks in brackets (（放门卫）) are not part
 * of the address and are dropped.
 */
final class DetailKeys {

  private static final Pattern REMARKS =
      Pattern.compile("\\([^)]*\\)|\\[[^\\]]*\\]|【[^】]*】|〔[^〕]*〕");
  private static final Pattern CHINESE_NUMBER =
      Pattern.compile("[零〇一二两三四五六七八九十百千]+(?=号楼|号|栋|幢|座|单元|室|弄|楼|层)");
  private static final Pattern MARKER = Pattern.compile("(?<=[0-9A-Z])(?:号楼|#楼|栋|幢|座|单元|弄|号|室|#)");
  private static final Pattern FLOOR = Pattern.compile("(?<=-)\\d{1,3}[楼层](?=\\d)");

  private DetailKeys() {}

  /** The key of a normalised detail text, or {@code null} when nothing is left of it. */
  static String of(String detail) {
    if (detail == null) {
      return null;
    }
    String s = REMARKS.matcher(detail.toUpperCase(Locale.ROOT)).replaceAll("");
    s = keepAddressCharacters(s);
    s = arabicNumbers(s);
    s = MARKER.matcher(s).replaceAll("-");
    s = FLOOR.matcher(s).replaceAll("");
    s = tidyDashes(s);
    return s.isEmpty() ? null : s;
  }

  /** Han characters, Latin letters, digits, '#' and dashes (any dash-like character) only. */
  private static String keepAddressCharacters(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c == '#' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
        sb.append((char) c);
      } else if (c == '-' || c == '~' || c == '_' || c == '/' || (c >= 0x2010 && c <= 0x2015)) {
        sb.append('-');
      } else if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
        sb.appendCodePoint(c);
      }
    }
    return sb.toString();
  }

  private static String arabicNumbers(String s) {
    Matcher m = CHINESE_NUMBER.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    do {
      m.appendReplacement(sb, chineseNumber(m.group()));
    } while (m.find());
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * 三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105, and digit by digit without 十/百/千 (一〇二 → 102). A run that
   * is not a well-formed number is returned unchanged.
   */
  static String chineseNumber(String han) {
    if (han.indexOf('十') < 0 && han.indexOf('百') < 0 && han.indexOf('千') < 0) {
      StringBuilder sb = new StringBuilder(han.length());
      for (int i = 0; i < han.length(); i++) {
        sb.append(digit(han.charAt(i)));
      }
      return sb.toString();
    }
    int total = 0;
    int current = -1;
    int lastUnit = Integer.MAX_VALUE;
    for (int i = 0; i < han.length(); i++) {
      char c = han.charAt(i);
      int d = digit(c);
      if (d >= 0) {
        if (current > 0) {
          return han;
        }
        current = d;
        continue;
      }
      int unit = c == '十' ? 10 : c == '百' ? 100 : 1000;
      if (unit >= lastUnit || current == 0) {
        return han;
      }
      total += (current < 0 ? 1 : current) * unit;
      current = -1;
      lastUnit = unit;
    }
    return Integer.toString(total + Math.max(current, 0));
  }

  private static int digit(char c) {
    return switch (c) {
      case '零', '〇' -> 0;
      case '一' -> 1;
      case '二', '两' -> 2;
      case '三' -> 3;
      case '四' -> 4;
      case '五' -> 5;
      case '六' -> 6;
      case '七' -> 7;
      case '八' -> 8;
      case '九' -> 9;
      default -> -1;
    };
  }

  /** One dash between two letters or digits; any other dash goes. */
  private static String tidyDashes(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '-' && c != '#') {
        sb.append(c);
        continue;
      }
      int next = i;
      while (next + 1 < s.length() && (s.charAt(next + 1) == '-' || s.charAt(next + 1) == '#')) {
        next++;
      }
      if (sb.length() > 0
          && isAlnum(sb.charAt(sb.length() - 1))
          && next + 1 < s.length()
          && isAlnum(s.charAt(next + 1))) {
        sb.append('-');
      }
      i = next;
    }
    return sb.toString();
  }

  private static boolean isAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  }
}
