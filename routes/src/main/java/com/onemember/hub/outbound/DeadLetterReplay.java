package com.onemember.hub.outbound;

import com.onemember.hub.api.ApiProblem;
import org.springframework.stereotype.Component;

/** Sends dead letters to their webhook again, as an operator asks. */
@Component
class DeadLetterReplay {

  private final OutboundSettings settings;
  private final WebhookSender sender;
  private final DeadLetters deadLetters;

  DeadLetterReplay(OutboundSettings settings, WebhookSender sender, DeadLetters deadLetters) {
    this.settings = settings;
    this.sender = sender;
    this.deadLetters = deadLetters;
  }

  record Outcome(int replayed, int stillPending, String lastError) {}

  /** One attempt; returns whether the webhook took it. A replayed letter is sent again. */
  boolean replay(DeadLetters.DeadLetter letter) {
    OutboundSettings.Webhook webhook = webhook(letter.consumer());
    try {
      sender.post(webhook, letter.eventId().toString(), letter.payload());
      deadLetters.replayed(letter.id());
      return true;
    } catch (WebhookSender.Refused e) {
      deadLetters.failedAgain(letter.id(), e.getMessage());
      return false;
    }
  }

  /** The consumer's pending letters, oldest first, until one is refused (so order holds). */
  Outcome replayAll(String consumer) {
    webhook(consumer);
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

  private OutboundSettings.Webhook webhook(String consumer) {
    return settings.webhooks().stream()
        .filter(w -> w.name().equals(consumer))
        .findFirst()
        .orElseThrow(
            () ->
                ApiProblem.notFound(
                    "消费系统/consuming system (onemember.outbound.webhooks)", consumer));
  }
}
