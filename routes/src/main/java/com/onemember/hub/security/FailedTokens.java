package com.onemember.hub.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unknown tokens per client address, counted in fixed windows: an address past the limit is
 * answered 429 until its window ends, without its tokens being looked up, so guessing tokens is
 * slowed down and costs the database nothing. Valid calls from other addresses go on. The table
 * holds at most {@value #MAX_ADDRESSES} addresses; when full, windows that ended are dropped first,
 * then all (a flood of addresses then gets the limit afresh, which costs only lookups).
 */
final class FailedTokens {

  static final int MAX_ADDRESSES = 10_000;

  private record Window(Instant start, int failures) {}

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private final int limit;
  private final Duration length;
  private final Clock clock;

  FailedTokens(int limit, Duration length, Clock clock) {
    this.limit = limit;
    this.length = length;
    this.clock = clock;
  }

  /** How long {@code address} must wait, or {@code null} when it may present a token now. */
  Duration wait(String address) {
    Window w = windows.get(address);
    if (w == null || w.failures() < limit) {
      return null;
    }
    Duration left = Duration.between(clock.instant(), w.start().plus(length));
    if (left.isNegative() || left.isZero()) {
      windows.remove(address, w);
      return null;
    }
    return left;
  }

  /** A wait in whole seconds, rounded up, at least one: what Retry-After and the words say. */
  static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  /** Counts one unknown token from {@code address}. */
  void failed(String address) {
    Instant now = clock.instant();
    if (windows.size() >= MAX_ADDRESSES) {
      windows.values().removeIf(w -> !now.isBefore(w.start().plus(length)));
      if (windows.size() >= MAX_ADDRESSES) {
        windows.clear();
      }
    }
    windows.compute(
        address,
        (a, w) ->
            w == null || !now.isBefore(w.start().plus(length))
                ? new Window(now, 1)
                : new Window(w.start(), w.failures() + 1));
  }
}
