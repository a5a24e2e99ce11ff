package com.onemember.connectors.spreadsheet;

/**
 * Blank and trim rules shared by reading and mapping. Exports from Excel and WeChat tools carry
 * no-break, ideographic and zero-width spaces that {@link String#strip()} does not all remove; a
 * cell holding only those must count as blank, or a row of them would become a nameless member.
 */
final class CellText {

  private CellText() {}

  static boolean isBlank(String s) {
    return s == null || strip(s).isEmpty();
  }

  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /**
   * Spreadsheet programs evaluate a cell starting with {@code =}, {@code @}, {@code +} or {@code -}
   * when a CSV is opened, which is how CSV formula injection works ({@code +cmd|' /C calc'!A0});
   * leading spaces do not stop them. A sign before a plain number or phone ({@code +86 138 1234
   * 5678}, {@code -12.5}) is data, not a formula: without a letter, operator or reference after it,
   * nothing is evaluated that the number itself would not say.
   */
  static boolean isFormula(String s) {
    String stripped = strip(s);
    if (stripped.isEmpty()) {
      return false;
    }
    char first = stripped.charAt(0);
    if (first == '=' || first == '@') {
      return true;
    }
    return (first == '+' || first == '-') && !SIGNED_NUMBER.matcher(stripped).matches();
  }

  /** A signed number or phone: digits with spaces, dots, dashes and brackets between them. */
  private static final java.util.regex.Pattern SIGNED_NUMBER =
      java.util.regex.Pattern.compile("[+-][\\d\\s().\\-\\u00A0]*");

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || c == '\u200B'
        || c == '\u200C'
        || c == '\u200D'
        || c == '\uFEFF';
  }
}
