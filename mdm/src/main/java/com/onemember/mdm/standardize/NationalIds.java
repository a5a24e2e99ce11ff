package com.onemember.mdm.standardize;

/**
 * Resident identity card numbers (GB 11643-1999): 17 digits and a check digit (0–9 or X). A number
 * whose check digit holds counts as verified for matching; one whose check digit fails was mistyped
 * and is refused rather than stored as a different person's id. The old 15-digit cards (no check
 * digit, withdrawn since 2013) are refused too: they cannot be told from a typo.
 */
public final class NationalIds {

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

  private NationalIds() {}

  /** The number in upper case, or a refusal in Chinese and English; {@code null} for no value. */
  public static Parsed<String> standardize(String raw) {
    String value = Text.clean(raw);
    if (value == null) {
      return null;
    }
    String id = value.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    if (!id.matches("\\d{17}[\\dX]")) {
      return Parsed.refused(
          "national_id",
          "身份证号"
              + Text.quote(value)
              + "应为 18 位（末位可为 X）/ ID number "
              + Text.quote(value)
              + " must have 18 characters, digits with an optional final X.");
    }
    if (checkDigit(id) != id.charAt(17)) {
      return Parsed.refused(
          "national_id",
          "身份证号"
              + Text.quote(value)
              + "校验位不对，可能输错了 / ID number "
              + Text.quote(value)
              + " fails its check digit: probably mistyped.");
    }
    return Parsed.ok(id);
  }

  static char checkDigit(String id) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (id.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }
}
