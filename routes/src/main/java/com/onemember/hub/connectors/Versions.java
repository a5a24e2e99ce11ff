package com.onemember.hub.connectors;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Compares two values of a record's version field as the system writes them: instants (ISO-8601,
 * with an offset or Z), numbers (a version counter, epoch milliseconds), else not at all.
 */
final class Versions {

  private Versions() {}

  /**
   * Whether {@code pushed} is an earlier version than {@code kept}; {@code false} when either is
   * absent or they cannot be compared (then the push applies, as it would without versions).
   */
  static boolean older(String pushed, String kept) {
    if (pushed == null || kept == null) {
      return false;
    }
    Instant a = instant(pushed);
    Instant b = instant(kept);
    if (a != null && b != null) {
      return a.isBefore(b);
    }
    try {
      return new BigDecimal(pushed.strip()).compareTo(new BigDecimal(kept.strip())) < 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
