package com.onemember.connectors.frame;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** What the HTTP kinds read the same way from a system's answer. */
public final class HttpAnswers {

  private HttpAnswers() {}

  /**
   * How long a {@code Retry-After} header asks to wait: seconds, or an HTTP date (RFC 9110); one
   * second when it is absent or unreadable, at most a day.
   */
  public static Duration retryAfter(String header, Instant now) {
    String value = header == null ? "" : header.strip();
    try {
      double seconds = Double.parseDouble(value);
      return Double.isFinite(seconds) && seconds >= 0
          ? Duration.ofMillis((long) (Math.min(seconds, 86_400) * 1000))
          : Duration.ofSeconds(1);
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until =
            Duration.between(
                now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return until.isNegative()
            ? Duration.ZERO
            : until.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1) : until;
      } catch (DateTimeParseException notADate) {
        return Duration.ofSeconds(1);
      }
    }
  }

  /** The start of an answer's body, for a message: at most 300 characters. */
  public static String excerpt(String body) {
    String said = body == null ? "" : body.strip();
    return said.length() > 300 ? said.substring(0, 300) + "…" : said;
  }
}
