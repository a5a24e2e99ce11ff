package com.onemember.mdm.bench.generator;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * How values are written by hand and by systems: the phone layouts of tills and spreadsheets, the
 * date layouts of Chinese forms, and the typing errors that turn one number into another.
 */
final class Formats {

  /** Ways a mainland mobile is written. */
  enum Phone {
    /** 13812345678 */
    PLAIN,
    /** 138-1234-5678 */
    DASHED,
    /** 138 1234 5678 */
    SPACED,
    /** +86 138 1234 5678 */
    PLUS_86_SPACED,
    /** 86-13812345678 */
    DASH_86,
    /** +8613812345678 */
    E164
  }

  /** Ways a birthday is written. */
  enum Date {
    /** 1990-05-03 */
    ISO,
    /** 1990/5/3 */
    SLASHED,
    /** 19900503 */
    COMPACT,
    /** 1990.5.3 */
    DOTTED,
    /** 1990年5月3日 */
    CHINESE,
    /** 5/3/1990, how Excel shows a date cell on an English system */
    US,
    /** 5月3日 */
    MONTH_DAY,
    /** 05-03 */
    MONTH_DAY_DASHED
  }

  private Formats() {}

  static String phone(String mobile, Phone layout) {
    String a = mobile.substring(0, 3);
    String b = mobile.substring(3, 7);
    String c = mobile.substring(7);
    return switch (layout) {
      case PLAIN -> mobile;
      case DASHED -> a + "-" + b + "-" + c;
      case SPACED -> a + " " + b + " " + c;
      case PLUS_86_SPACED -> "+86 " + a + " " + b + " " + c;
      case DASH_86 -> "86-" + mobile;
      case E164 -> "+86" + mobile;
    };
  }

  /** 138****5678, as WeChat and e-commerce platforms hand numbers to merchants. */
  static String masked(String mobile) {
    return mobile.substring(0, 3) + "****" + mobile.substring(7);
  }

  /** Digits typed with a Chinese input method left in full-width mode: １３８１２３４５６７８. */
  static String fullWidthDigits(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(c >= '0' && c <= '9' ? (char) (c - '0' + '０') : c);
    }
    return sb.toString();
  }

  /**
   * The number with one digit wrong or two neighbouring digits swapped. The first three digits are
   * kept, since clerks read the operator prefix right, so the result is still a valid mobile.
   */
  static String mistyped(SplittableRandom rng, String mobile) {
    char[] d = mobile.toCharArray();
    if (rng.nextDouble() < 0.5) {
      for (int attempt = 0; attempt < 10; attempt++) {
        int i = 3 + rng.nextInt(7);
        if (d[i] != d[i + 1]) {
          char t = d[i];
          d[i] = d[i + 1];
          d[i + 1] = t;
          return new String(d);
        }
      }
    }
    int i = 3 + rng.nextInt(8);
    d[i] = (char) ('0' + (d[i] - '0' + 1 + rng.nextInt(9)) % 10);
    return new String(d);
  }

  static String date(LocalDate date, Date layout) {
    int y = date.getYear();
    int m = date.getMonthValue();
    int d = date.getDayOfMonth();
    return switch (layout) {
      case ISO -> date.toString();
      case SLASHED -> y + "/" + m + "/" + d;
      case COMPACT -> String.format("%04d%02d%02d", y, m, d);
      case DOTTED -> y + "." + m + "." + d;
      case CHINESE -> y + "年" + m + "月" + d + "日";
      case US -> m + "/" + d + "/" + y;
      case MONTH_DAY -> m + "月" + d + "日";
      case MONTH_DAY_DASHED -> String.format("%02d-%02d", m, d);
    };
  }
}
