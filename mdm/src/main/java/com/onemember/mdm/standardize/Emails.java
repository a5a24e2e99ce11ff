package com.onemember.mdm.standardize;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Standardises e-mail addresses: full-width characters, case and surrounding space removed, and the
 * several addresses of one QQ account reduced to one. Nothing else is rewritten: dots and {@code
 * +tags} mean different mailboxes at most providers, so they are kept everywhere.
 */
public final class Emails {

  /**
   * Local part: anything but {@code @}, space, emoji and other symbols, control, format and
   * unassigned characters (an emoji in an address is a pasted nickname, not a mailbox).
   */
  private static final Pattern SHAPE =
      Pattern.compile(
          "[^@\\s\\p{So}\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,24}");

  /** A QQ number: 5 to 11 digits. */
  private static final Pattern QQ_NUMBER = Pattern.compile("[0-9]{5,11}");

  /** Domains that deliver a QQ number's mail to the same QQ mailbox as {@code @qq.com}. */
  private static final Set<String> QQ_DOMAINS = Set.of("qq.com", "vip.qq.com", "foxmail.com");

  private Emails() {}

  /**
   * The address in lower case, or why it is not one; {@code null} for blank input. A QQ-number
   * address ({@code 123456789@vip.qq.com}, {@code 123456789@foxmail.com}) becomes {@code
   * 123456789@qq.com}; a named Foxmail or VIP address is a mailbox of its own and stays as it is.
   */
  public static Parsed<String> standardize(String input) {
    String text = Text.clean(input);
    if (text == null) {
      return null;
    }
    String value = text.replace(" ", "").toLowerCase(Locale.ROOT);
    if (SHAPE.matcher(value).matches()) {
      return Parsed.ok(qqAccount(value));
    }
    return Parsed.refused(
        "email",
        "邮箱"
            + Text.quote(text)
            + "格式不正确 / E-mail "
            + Text.quote(text)
            + " is not an e-mail address.");
  }

  private static String qqAccount(String address) {
    int at = address.lastIndexOf('@');
    String local = address.substring(0, at);
    if (QQ_DOMAINS.contains(address.substring(at + 1)) && QQ_NUMBER.matcher(local).matches()) {
      return local + "@qq.com";
    }
    return address;
  }
}
