package com.onemember.hub.outbound;

import com.onemember.hub.api.ApiProblem;
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

  record Outcome(int replayed, int stillPending, String lastError) {}

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

  /** The consumer's pending letters, oldest first, until one is refused (so order holds). */
  Outcome replayAll(String consumer) {
    system(consumer);
    int replayed = 0;
    while (true) {
      var batch = deadLetters.list(consumer, true, 100);
      if (batch.isEmpty()) {
        return new Outcome(replayed, 0, null);
      }
      for (DeadLetters.DeadLetter letter : batch) {
        if (!replay(letter)) {
          int left = deadLetters.list(consumer, true, 1000).size();
          return new Outcome(
              replayed, left, deadLetters.find(letter.id()).orElseThrow().lastError());
        }
        replayed++;
      }
    }
  }

  private ConsumingSystem system(String consumer) {
    return systems
        .named(consumer)
        .orElseThrow(() -> ApiProblem.notFound("消费系统/consuming system", consumer));
  }
}
