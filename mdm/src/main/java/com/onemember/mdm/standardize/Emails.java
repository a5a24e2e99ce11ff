package com.onemember.mdm.standardize;

import java.util.Locale;
import java.util.regex.Pattern;

/** Standardises e-mail addresses: full-width characters, case and surrounding space removed. */
public final class Emails {

  private static final Pattern SHAPE =
      Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,24}");

  private Emails() {}

  /** The address in lower case, or why it is not one; {@code null} for blank input. */
  public static Parsed<String> standardize(String input) {
    String text = Text.clean(input);
    if (text == null) {
      return null;
    }
    String value = text.replace(" ", "").toLowerCase(Locale.ROOT);
    if (SHAPE.matcher(value).matches()) {
      return Parsed.ok(value);
    }
    return Parsed.refused(
        "email",
        "邮箱"
            + Text.quote(text)
            + "格式不正确 / E-mail "
            + Text.quote(text)
            + " is not an e-mail address.");
  }
}
