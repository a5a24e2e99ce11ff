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

  /**
   * A system's address from parameter {@code key}, without a trailing slash, after checking it can
   * carry credentials: https, or plain http to this machine only (a test, a TLS proxy beside the
   * hub).
   *
   * @throws InvalidParameter naming the parameter and what is wrong
   */
  public static String secureAddress(String key, String address) {
    java.net.URI uri;
    try {
      uri = java.net.URI.create(address);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameter(key, key + " 不是网址 / " + key + " is not a web address: " + address);
    }
    if (uri.getHost() == null) {
      throw new InvalidParameter(key, key + " 缺少主机名 / " + key + " names no host: " + address);
    }
    if ("http".equalsIgnoreCase(uri.getScheme()) && !loopback(uri.getHost())) {
      throw new InvalidParameter(
          key,
          key
              + " 必须使用 https://，密钥不能明文发送 / "
              + key
              + " must be https://: the credentials would travel in clear (plain http is"
              + " allowed to this machine only), not "
              + address);
    }
    return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
  }

  private static boolean loopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** A wait cut short: the sync ends and is tried again. */
  public static SourceUnavailable interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new SourceUnavailable(
        FailureKind.TRANSIENT, "等待时被中断，将重试 / interrupted while waiting, will retry", e);
  }

  /** The start of an answer's body, for a message: at most 300 characters. */
  public static String excerpt(String body) {
    String said = body == null ? "" : body.strip();
    return said.length() > 300 ? said.substring(0, 300) + "…" : said;
  }
}
