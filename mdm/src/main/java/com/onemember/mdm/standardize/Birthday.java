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
    return year == null
        ? String.format("--%02d-%02d", month, day)
        : String.format("%04d-%02d-%02d", year, month, day);
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
