package com.onemember.mdm.standardize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Standardises phone numbers as written in Chinese retail systems (+86 138 1234 5678,
 * 86-13812345678, 138-1234-5678, 0086…) with libphonenumber. Mainland mobiles become their 11
 * national digits, the form every POS and mini-program stores; other valid numbers become E.164.
 * Platform-masked numbers (138****5678) are recognised and kept apart: they are partial evidence,
 * never an identifier. 400/800 hotlines are recognised too and kept apart: a company's number is
 * shared by all its customers.
 *
 * <p>{@link #standardize} reads one number; {@link #readCell} reads a phone cell as staff fill it
 * in, with several numbers, labels (手机：), extensions (转 801) and landlines without their area code.
 */
public final class MobileNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  /** A mainland mobile with its middle digits hidden by {@code *} (some exports use x). */
  private static final Pattern MASKED = Pattern.compile("(1\\d{2})([*xX]{3,5})(\\d{3,4})");

  /** How a mainland mobile's country code is written in front of a masked number. */
  private static final List<String> MAINLAND_PREFIXES = List.of("", "+86", "0086", "86");

  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().·\\u2010-\\u2015]");
  private static final Pattern DIALLABLE = Pattern.compile("\\+?\\d+");

  /** 400-810-8888, 800 820 8820: hotlines, 10 digits, with or without the country code. */
  private static final Pattern SERVICE = Pattern.compile("(?:\\+86|0086|86)?((?:400|800)\\d{7})");

  /** A mainland subscriber number without its area code: 7 or 8 digits, not 0 or 1 first. */
  private static final Pattern LOCAL = Pattern.compile("[2-9]\\d{6,7}");

  /**
   * 转 801, 分机 801, ext. 801, x801, #801 after a number. Rewritten to {@code #801} glued to the
   * number, so that the space in front of 转 is not taken for a gap between two numbers. The marker
   * must follow a digit or a bracket, which keeps the x of a masked 138xxxx5678 out of it.
   */
  private static final Pattern EXTENSION =
      Pattern.compile(
          "(?i)(?<=[\\d)])\\s*(?:转|分机号?|ext\\.?|extension|x|#)\\s*:?\\s*(\\d{1,6})(?!\\d)");

  private static final Pattern EXTENSION_DIGITS = Pattern.compile("\\d{1,6}");

  /** 手机：, Tel: and the like in front of a number; they name the number, they are not one. */
  private static final Pattern LABEL =
      Pattern.compile(
          "(?i)(?:手机号码|手机号|手机|移动电话|联系电话|联系方式|电话号码|固定电话|办公电话|家庭电话|电话|座机|固话|宅电"
              + "|telephone|tel|cellphone|mobile|mob|phone)\\s*:?\\s*(?=[+\\d(])");

  /**
   * (本人), （微信同号）, 【老公】: a note in brackets right before or after a number. Brackets with digits in
   * them, (021), are part of the number and kept.
   */
  private static final Pattern NOTE =
      Pattern.compile(
          "(?<=\\d)\\s*(?:\\([^()\\d]*\\)|【[^】\\d]*】|\\[[^\\]\\d]*])"
              + "|(?:\\([^()\\d]*\\)|【[^】\\d]*】|\\[[^\\]\\d]*])\\s*(?=[+\\d])");

  /**
   * What staff put between two numbers in one cell: , ， / ; ； 、 | (full-width forms are half-width
   * after {@link Text#clean}). White space is handled apart, see {@link #readCell}.
   */
  private static final Pattern LIST = Pattern.compile("\\s*[,;/、|]+\\s*");

  /** Cells that say "no number" in words; they are blank, not invalid. */
  private static final Set<String> NO_NUMBER =
      Set.of("无", "暂无", "没有", "空", "不详", "未知", "未提供", "n/a", "na", "null", "none", "-", "--");

  /**
   * The most white-space-separated parts one number is written in (+86 138 1234 5678 is four, +1
   * (415) 555 - 2671 five); bounds the work on a long junk cell.
   */
  private static final int MAX_PARTS = 6;

  private MobileNumbers() {}

  /** The outcome of reading one phone number. */
  public sealed interface Result permits Mobile, Landline, ServiceNumber, Masked, Invalid {}

  /** A valid mobile number; {@code value} is 11 digits for the mainland, E.164 elsewhere. */
  public record Mobile(String value) implements Result {}

  /**
   * A valid fixed-line number.
   *
   * @param value the number in E.164, e.g. {@code +862162345678}
   * @param extension the digits dialled after it (021-62345678 转 801 gives {@code 801}), or {@code
   *     null}; an office's members share the line, so the extension tells them apart
   */
  public record Landline(String value, String extension) implements Result {

    /** A landline without an extension. */
    public Landline(String value) {
      this(value, null);
    }
  }

  /**
   * A 400 or 800 number, a company's hotline: every customer who copied it from a receipt shares
   * it, so it never identifies a member.
   *
   * @param value the 10 digits, e.g. {@code 4008123123}
   */
  public record ServiceNumber(String value) implements Result {}

  /**
   * A mainland mobile masked by a platform; {@code value} is written {@code 138****5678} (3 digits,
   * 4 asterisks, 4 digits) however the source wrote it (+86, spaces, full-width, x for *).
   */
  public record Masked(String value) implements Result {}

  /** Not a phone number; {@code problem} says why in Chinese and English. */
  public record Invalid(Problem problem) implements Result {}

  /**
   * Reads one phone number. {@code null} or blank input gives {@code null}. A landline without its
   * area code is {@link Invalid} here, since there is no city to read it by; use {@link #readCell}
   * for that and for cells holding several numbers.
   */
  public static Result standardize(String input) {
    String text = Text.clean(input);
    if (text == null) {
      return null;
    }
    String prepared = prepared(text);
    return read(prepared.isEmpty() ? text : prepared, Place.NONE);
  }

  /**
   * Reads a phone cell as staff type it: one Result per number, in cell order; an empty list for a
   * blank cell or one that says there is no number (无, N/A). Numbers may be separated by , ， / ; ；
   * 、 | or by white space; white space inside one number (021-6234 5678, +86 138 1234 5678) is read
   * as part of it, taking at each point the longest run of parts that is a number. Parts that are
   * not a number give one {@link Invalid} naming them.
   *
   * @param city the record's city as written (上海, 上海市, Shanghai, 浙江省杭州市), or {@code null}; used
   *     only to read a landline written without its area code (6234 5678). Without a city the table
   *     knows, such a number is {@link Invalid}, saying its area code is missing.
   */
  public static List<Result> readCell(String cell, String city) {
    String text = Text.clean(cell);
    if (text == null || NO_NUMBER.contains(text.toLowerCase(Locale.ROOT))) {
      return List.of();
    }
    Place place = new Place(Text.clean(city), AreaCodes.of(city));
    List<Result> results = new ArrayList<>();
    for (String segment : LIST.split(prepared(text))) {
      if (!segment.isBlank()) {
        readSegment(segment.strip().split("\\s+"), place, results);
      }
    }
    return results;
  }

  /**
   * The mainland mobile number for a search term in any format, or {@code null} if it is not one.
   */
  public static String mobileOrNull(String input) {
    return standardize(input) instanceof Mobile m ? m.value() : null;
  }

  /** The city a record gives and its area code, {@code null} when unknown. */
  private record Place(String city, String areaCode) {
    static final Place NONE = new Place(null, null);
  }

  private static String prepared(String text) {
    String withoutNotes = NOTE.matcher(text).replaceAll(" ");
    String unlabelled = LABEL.matcher(withoutNotes).replaceAll(" ").strip();
    return EXTENSION.matcher(unlabelled).replaceAll("#$1");
  }

  /**
   * Splits white-space-separated parts into numbers: from each part, the longest run (up to {@link
   * #MAX_PARTS}) that reads as a number is one; parts that start no number are collected and
   * reported together as one {@link Invalid}.
   */
  private static void readSegment(String[] array, Place place, List<Result> out) {
    List<String> parts = Arrays.asList(array);
    int unread = -1;
    int i = 0;
    while (i < parts.size()) {
      Result found = null;
      int end = i;
      for (int j = Math.min(parts.size(), i + MAX_PARTS); j > i && found == null; j--) {
        Result r = read(String.join(" ", parts.subList(i, j)), place);
        if (!(r instanceof Invalid)) {
          found = r;
          end = j;
        }
      }
      if (found == null) {
        if (unread < 0) {
          unread = i;
        }
        i++;
        continue;
      }
      if (unread >= 0) {
        out.add(read(String.join(" ", parts.subList(unread, i)), place));
        unread = -1;
      }
      out.add(found);
      i = end;
    }
    if (unread >= 0) {
      out.add(read(String.join(" ", parts.subList(unread, parts.size())), place));
    }
  }

  /** Reads one number, possibly with {@code #extension} glued to it by {@link #prepared}. */
  private static Result read(String written, Place place) {
    String number = written;
    String extension = null;
    int mark = written.indexOf('#');
    if (mark >= 0) {
      number = written.substring(0, mark);
      extension = written.substring(mark + 1);
      if (!EXTENSION_DIGITS.matcher(extension).matches()) {
        return invalid(written);
      }
    }
    String compact = SEPARATORS.matcher(number).replaceAll("");
    Masked masked = masked(compact);
    if (masked != null) {
      return masked;
    }
    if (!DIALLABLE.matcher(compact).matches()) {
      return invalid(written);
    }
    Result result = dial(compact, extension, place, written);
    if (result instanceof Invalid && extension == null) {
      // 021-62345678-801: the last group after a dash is an extension when the rest is a landline
      int dash = number.lastIndexOf('-');
      String tail = dash > 0 ? number.substring(dash + 1).strip() : "";
      if (EXTENSION_DIGITS.matcher(tail).matches()) {
        String head = SEPARATORS.matcher(number.substring(0, dash)).replaceAll("");
        if (DIALLABLE.matcher(head).matches()
            && dial(head, tail, place, written) instanceof Landline landline) {
          return landline;
        }
      }
    }
    return result;
  }

  private static Masked masked(String compact) {
    if (compact.indexOf('*') < 0 && compact.indexOf('x') < 0 && compact.indexOf('X') < 0) {
      return null;
    }
    for (String prefix : MAINLAND_PREFIXES) {
      if (compact.startsWith(prefix)) {
        Matcher m = MASKED.matcher(compact.substring(prefix.length()));
        if (m.matches()) {
          // 3 + 4 digits shown means 4 hidden, however many asterisks were typed
          String hidden = m.group(3).length() == 4 ? "****" : "*".repeat(m.group(2).length());
          return new Masked(m.group(1) + hidden + m.group(3));
        }
      }
    }
    return null;
  }

  /** Classifies a number of digits with an optional leading +. */
  private static Result dial(String compact, String extension, Place place, String written) {
    Matcher service = SERVICE.matcher(compact);
    if (service.matches()) {
      return new ServiceNumber(service.group(1));
    }
    String candidate = compact;
    if (LOCAL.matcher(compact).matches()) {
      if (place.areaCode() == null) {
        return missingAreaCode(written, place.city());
      }
      candidate = place.areaCode() + compact;
    } else if (candidate.startsWith("0086")) {
      candidate = "+86" + candidate.substring(4);
    } else if (candidate.matches("86\\d{11}")) {
      candidate = "+" + candidate;
    }
    PhoneNumber number = validOrNull(candidate);
    if (number == null && candidate.matches("(852|853|886)\\d{8,9}")) {
      // Hong Kong, Macau and Taiwan numbers are often written with the country code but no +
      number = validOrNull("+" + candidate);
    }
    if (number == null) {
      return invalid(written);
    }
    PhoneNumberType type = UTIL.getNumberType(number);
    boolean mobile = type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE;
    if (mobile && number.getCountryCode() == 86) {
      return new Mobile(String.valueOf(number.getNationalNumber()));
    }
    String e164 = UTIL.format(number, PhoneNumberFormat.E164);
    // an extension after a mobile selects nothing we keep
    return mobile ? new Mobile(e164) : new Landline(e164, extension);
  }

  private static PhoneNumber validOrNull(String candidate) {
    try {
      PhoneNumber number = UTIL.parse(candidate, "CN");
      return UTIL.isValidNumber(number) ? number : null;
    } catch (NumberParseException e) {
      return null;
    }
  }

  private static Invalid invalid(String written) {
    return new Invalid(
        new Problem(
            "mobile",
            "手机号"
                + Text.quote(written)
                + "无效，大陆手机号应为 1 开头的 11 位数字 / Phone number "
                + Text.quote(written)
                + " is not a valid number; a mainland mobile has 11 digits starting with 1."));
  }

  private static Invalid missingAreaCode(String written, String city) {
    String zh =
        city == null
            ? "电话号码" + Text.quote(written) + "缺少区号，记录中也没有城市可以推断区号"
            : "电话号码" + Text.quote(written) + "缺少区号，城市" + Text.quote(city) + "的区号未知";
    String en =
        city == null
            ? "Phone number "
                + Text.quote(written)
                + " has no area code, and the record has no city to take it from."
            : "Phone number "
                + Text.quote(written)
                + " has no area code, and the area code of "
                + Text.quote(city)
                + " is not known.";
    return new Invalid(new Problem("mobile", zh + " / " + en));
  }
}
