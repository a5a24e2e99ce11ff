package com.onemember.mdm.standardize;

/**
 * A birthday, possibly without a year (store sheets often hold only 5月3日).
 *
 * @param year {@code null} when the source did not give one
 */
public record Birthday(Integer year, int month, int day) {

  public boolean hasYear() {
    return year != null;
  }

  /**
   * Whether two birthdays can belong to one person: same month and day, and the same year when both
   * give one.
   */
  public boolean agreesWith(Birthday other) {
    return month == other.month
        && day == other.day
        && (year == null || other.year == null || year.equals(other.year));
  }

  /** ISO-8601 form: {@code 1990-05-03}, or {@code --05-03} without a year. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(10);
    if (year == null) {
      sb.append("--");
    } else {
      pad(sb, year, 4).append('-');
    }
    pad(sb, month, 2).append('-');
    return pad(sb, day, 2).toString();
  }

  /** Blocking and comparison format this often; String.format was a hot spot. */
  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(digits);
  }

  /** Reads the form written by {@link #toString()}. */
  public static Birthday parseIso(String iso) {
    if (iso.startsWith("--")) {
      return new Birthday(
          null, Integer.parseInt(iso.substring(2, 4)), Integer.parseInt(iso.substring(5, 7)));
    }
    return new Birthday(
        Integer.parseInt(iso.substring(0, 4)),
        Integer.parseInt(iso.substring(5, 7)),
        Integer.parseInt(iso.substring(8, 10)));
  }
}
