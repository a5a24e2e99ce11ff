package com.onemember.connectors.frame;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An API's access token as WeChat and WeCom issue them (a token and its lifetime in seconds): kept
 * until {@link #RENEW_BEFORE} before it expires, then asked for again; one the API refused is
 * forgotten, so the next call asks for a new one.
 */
public final class AccessToken {

  /** A token is asked for again this long before it expires. */
  public static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  /** A token as the API issued it. */
  public record Issued(String token, long expiresInSeconds) {}

  /** Asks the API for a token. */
  @FunctionalInterface
  public interface Issuer {
    Issued issue() throws SourceUnavailable;
  }

  private final Issuer issuer;
  private final Clock clock;
  private String token;
  private Instant expires;

  public AccessToken(Issuer issuer, Clock clock) {
    this.issuer = issuer;
    this.clock = clock;
  }

  /** The token held while it has {@link #RENEW_BEFORE} to live, else a new one. */
  public synchronized String get() throws SourceUnavailable {
    if (token != null && clock.instant().isBefore(expires.minus(RENEW_BEFORE))) {
      return token;
    }
    Issued issued = issuer.issue();
    token = issued.token();
    expires = clock.instant().plusSeconds(issued.expiresInSeconds());
    return token;
  }

  /** Forgets {@code refused}, if it is still the one held. */
  public synchronized void forget(String refused) {
    if (refused.equals(token)) {
      token = null;
    }
  }
}
