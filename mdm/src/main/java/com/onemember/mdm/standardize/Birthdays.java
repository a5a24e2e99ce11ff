package com.onemember.mdm.standardize;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads birthdays in the layouts found in Chinese store data: 1990-05-03, 1990/5/3, 1990.5.3,
 * 19900503, 1990年5月3日, the year-less 5月3日 or 05-03, and the US layout 5/3/1990 that Excel shows for
 * date cells. Impossible dates (2月30日), dates in the future and years before 1900 are refused
 * rather than guessed.
 */
public final class Birthdays {

  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  private static final Pattern YMD =
      Pattern.compile("(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?(?:[ T].*)?");
  private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
  private static final Pattern MD = Pattern.compile("(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?");
  private static final Pattern US = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");

  private Birthdays() {}

  /** The birthday, or why it is not one; {@code null} for blank input. */
  public static Parsed<Birthday> standardize(String input) {
    String text = Text.clean(input);
    if (text == null) {
      return null;
    }
    Matcher m;
    try {
      if ((m = YMD.matcher(text)).matches() || (m = COMPACT.matcher(text)).matches()) {
        return full(text, Integer.parseInt(m.group(1)), m.group(2), m.group(3));
      }
      if ((m = US.matcher(text)).matches()) {
        return full(text, Integer.parseInt(m.group(3)), m.group(1), m.group(2));
      }
      if ((m = MD.matcher(text)).matches()) {
        MonthDay md = MonthDay.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        return Parsed.ok(new Birthday(null, md.getMonthValue(), md.getDayOfMonth()));
      }
    } catch (DateTimeException e) {
      return refused(text);
    }
    return refused(text);
  }

  private static Parsed<Birthday> full(String text, int year, String month, String day) {
    LocalDate date = LocalDate.of(year, Integer.parseInt(month), Integer.parseInt(day));
    if (year < 1900 || date.isAfter(LocalDate.now(CHINA))) {
      return Parsed.refused(
          "birthday",
          "生日"
              + Text.quote(text)
              + "不在合理范围内 / Birthday "
              + Text.quote(text)
              + " is before 1900 or in the future.");
    }
    return Parsed.ok(new Birthday(year, date.getMonthValue(), date.getDayOfMonth()));
  }

  private static Parsed<Birthday> refused(String text) {
    return Parsed.refused(
        "birthday",
        "生日"
            + Text.quote(text)
            + "无法识别，请写成 1990-05-03 或 5月3日 / Birthday "
            + Text.quote(text)
            + " is not a date; write it like 1990-05-03 or 5月3日.");
  }
}
