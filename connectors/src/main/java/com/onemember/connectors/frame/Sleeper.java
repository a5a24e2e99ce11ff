package com.onemember.connectors.frame;

import java.time.Duration;

/**
 * Waits between a client's attempts (a throttled answer, a 5xx, a used-up quota). The clients take
 * one so that a test passes one that notes the waits instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

  /** The thread really sleeps. */
  Sleeper REAL = d -> Thread.sleep(d.toMillis());

  void sleep(Duration d) throws InterruptedException;

  /**
   * Waits; an interruption ends the sync as TRANSIENT.
   *
   * @throws SourceUnavailable when interrupted
   */
  default void pause(Duration d) throws SourceUnavailable {
    try {
      sleep(d);
    } catch (InterruptedException e) {
      throw HttpAnswers.interrupted(e);
    }
  }
}
