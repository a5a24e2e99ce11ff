package com.onemember.hub.outbound;

import com.onemember.hub.api.ApiProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Sends dead letters to their consuming system again, as an operator asks. */
@Component
class DeadLetterReplay {

  private final ConsumingSystems systems;
  private final DeadLetters deadLetters;

  DeadLetterReplay(ConsumingSystems systems, DeadLetters deadLetters) {
    this.systems = systems;
    this.deadLetters = deadLetters;
  }

  /** One letter refused again, and why. */
  record Failure(long id, UUID memberId, String error) {}

  /** What a replay of all did; {@code failures} holds the first {@value #FAILURES_SHOWN}. */
  record Outcome(
      int replayed,
      int refused,
      int heldBehind,
      long stillPending,
      String lastError,
      List<Failure> failures) {}

  static final int FAILURES_SHOWN = 20;

  /** One attempt; returns whether the system took it. A replayed letter is sent again. */
  boolean replay(DeadLetters.DeadLetter letter) {
    ConsumingSystem system = system(letter.consumer());
    try {
      system.deliver(letter.eventId().toString(), letter.payload());
      deadLetters.replayed(letter.id());
      return true;
    } catch (ConsumingSystem.Refused e) {
      deadLetters.failedAgain(letter.id(), e.getMessage());
      return false;
    }
  }

  /**
   * Every pending letter of the consumer, oldest first. A refused one stays pending and holds back
   * the later letters of its member, so that the system never gets a member's newer state before an
   * older one; the other members' letters go on.
   */
  Outcome replayAll(String consumer) {
    system(consumer);
    int replayed = 0;
    int refused = 0;
    int heldBehind = 0;
    String lastError = null;
    List<Failure> failures = new ArrayList<>();
    Set<UUID> held = new HashSet<>();
    long after = 0;
    while (true) {
      List<DeadLetters.DeadLetter> batch = deadLetters.pendingAfter(consumer, after, 100);
      if (batch.isEmpty()) {
        break;
      }
      for (DeadLetters.DeadLetter letter : batch) {
        after = letter.id();
        if (held.contains(letter.memberId())) {
          heldBehind++;
          continue;
        }
        if (replay(letter)) {
          replayed++;
          continue;
        }
        refused++;
        held.add(letter.memberId());
        lastError = deadLetters.find(letter.id()).orElseThrow().lastError();
        if (failures.size() < FAILURES_SHOWN) {
          failures.add(new Failure(letter.id(), letter.memberId(), lastError));
        }
      }
    }
    return new Outcome(
        replayed, refused, heldBehind, deadLetters.countPending(consumer), lastError, failures);
  }

  private ConsumingSystem system(String consumer) {
    return systems
        .named(consumer)
        .orElseThrow(() -> ApiProblem.notFound("消费系统/consuming system", consumer));
  }
}
