package com.onemember.mdm.standardize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.regex.Pattern;

/**
 * Standardises phone numbers as written in Chinese retail systems (+86 138 1234 5678,
 * 86-13812345678, 138-1234-5678, 0086…) with libphonenumber. Mainland mobiles become their 11
 * national digits, the form every POS and mini-program stores; other valid numbers become E.164.
 * Platform-masked numbers (138****5678) are recognised and kept apart: they are partial evidence,
 * never an identifier.
 */
public final class MobileNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Pattern MASKED = Pattern.compile("1\\d{2}\\*{3,5}\\d{3,4}");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().·]");

  private MobileNumbers() {}

  /** The outcome of reading one phone cell. */
  public sealed interface Result permits Mobile, Landline, Masked, Invalid {}

  /** A valid mobile number; {@code value} is 11 digits for the mainland, E.164 elsewhere. */
  public record Mobile(String value) implements Result {}

  /** A valid fixed-line number in E.164. */
  public record Landline(String value) implements Result {}

  /** A number masked by a platform, e.g. {@code 138****5678}. */
  public record Masked(String value) implements Result {}

  /** Not a phone number; {@code problem} says why in Chinese and English. */
  public record Invalid(Problem problem) implements Result {}

  /** Reads one phone number. {@code null} or blank input gives {@code null}. */
  public static Result standardize(String input) {
    String text = Text.clean(input);
    if (text == null) {
      return null;
    }
    String compact = SEPARATORS.matcher(text).replaceAll("");
    if (MASKED.matcher(compact).matches()) {
      return new Masked(compact);
    }
    String candidate = compact;
    if (candidate.startsWith("0086")) {
      candidate = "+86" + candidate.substring(4);
    } else if (candidate.matches("86\\d{11}")) {
      candidate = "+" + candidate;
    }
    try {
      PhoneNumber number = UTIL.parse(candidate, "CN");
      if (UTIL.isValidNumber(number)) {
        PhoneNumberType type = UTIL.getNumberType(number);
        boolean mobile =
            type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE;
        if (mobile && number.getCountryCode() == 86) {
          return new Mobile(String.valueOf(number.getNationalNumber()));
        }
        String e164 = UTIL.format(number, PhoneNumberFormat.E164);
        return mobile ? new Mobile(e164) : new Landline(e164);
      }
    } catch (NumberParseException e) {
      // falls through to the explanation below
    }
    return new Invalid(
        new Problem(
            "mobile",
            "手机号"
                + Text.quote(text)
                + "无效，大陆手机号应为 1 开头的 11 位数字 / Phone number "
                + Text.quote(text)
                + " is not a valid number; a mainland mobile has 11 digits starting with 1."));
  }

  /**
   * The mainland mobile number for a search term in any format, or {@code null} if it is not one.
   */
  public static String mobileOrNull(String input) {
    return standardize(input) instanceof Mobile m ? m.value() : null;
  }
}
