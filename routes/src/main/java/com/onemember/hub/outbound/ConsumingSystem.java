package com.onemember.hub.outbound;

import java.time.Duration;

/**
 * A system that consumes golden-record changes: the plug for outbound routes. Every bean of this
 * type gets its own shared durable subscription on {@code onemember.golden.changed}, events shaped
 * for it (its own changes as LINKED, see {@link EventShapes}), retries with exponential backoff,
 * dead letters and replay ({@link ConsumerRoutes}). The hub ships signed webhooks ({@link
 * SignedWebhook}); a connector's writeback to a POS or web shop is another implementation.
 */
public interface ConsumingSystem {

  /** Names its subscription and its dead letters: letters, digits, - and _. */
  String name();

  /** Whether {@code source} is one of this system's own sources (so its changes are no news). */
  boolean owns(String source);

  /**
   * A JMS message selector on the golden-event messages (their properties {@code memberId}, {@code
   * originSource}, {@code sources}): only the events it matches reach the system; {@code null} for
   * every event. A connector's writeback takes only the events that name its records.
   */
  default String selector() {
    return null;
  }

  /**
   * The kinds of personal data this system may not hold (purpose-scoped publishing): stripped from
   * its events by {@link EventShapes}. None by default.
   */
  default java.util.Set<String> withheld() {
    return java.util.Set.of();
  }

  /** Attempts per event before it becomes a dead letter. */
  int maxAttempts();

  /** The wait before the second attempt, doubled for each further one... */
  Duration initialBackoff();

  /** ...up to this. */
  Duration maxBackoff();

  /**
   * Hands one event to the system; returns normally only when the system took it.
   *
   * @param body the event as this system is to get it (already shaped)
   * @throws Refused with a reason an operator can act on
   */
  void deliver(String eventId, String body) throws Refused;

  /** Why a system did not take an event, in Chinese and English. */
  final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }
}
