package com.onemember.connectors.frame;

/** Small text helpers the table mappers share: empty cells, and names and lines joined. */
public final class RowText {

  private RowText() {}

  /** The value stripped, or {@code null} when it is null or blank. */
  public static String text(String value) {
    if (value == null) {
      return null;
    }
    String t = value.strip();
    return t.isEmpty() ? null : t;
  }

  /**
   * Two parts joined as the script wants: without a space when both are Chinese (欧阳 + 娜娜), with one
   * otherwise; either may be {@code null}.
   */
  public static String join(String first, String second) {
    String a = text(first);
    String b = text(second);
    if (a == null) {
      return b;
    }
    return b == null ? a : a + (isHan(a) && isHan(b) ? "" : " ") + b;
  }

  /**
   * A person's full name from a surname and a given name: surname first for a Chinese name (欧阳娜娜),
   * given name first otherwise (John Doe).
   */
  public static String fullName(String surname, String givenName) {
    String s = text(surname);
    String g = text(givenName);
    if (s != null && isHan(s) || g != null && isHan(g)) {
      return join(s, g);
    }
    return join(g, s);
  }

  /** A row as a record's raw document: every column kept, SQL NULL as empty text. */
  public static java.util.Map<String, String> raw(java.util.Map<String, String> row) {
    java.util.Map<String, String> raw = new java.util.LinkedHashMap<>();
    row.forEach((k, v) -> raw.put(k, v == null ? "" : v));
    return raw;
  }

  private static boolean isHan(String s) {
    return s.codePoints()
        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }
}
