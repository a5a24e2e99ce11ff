package com.onemember.hub.outbound;

import com.onemember.api.model.ChangePage;
import com.onemember.api.model.Consumer;
import com.onemember.api.model.ConsumerList;
import com.onemember.api.model.DeadLetter;
import com.onemember.api.model.DeadLetterList;
import com.onemember.api.model.DeadLetterStatus;
import com.onemember.api.model.GoldenEvent;
import com.onemember.api.model.ReplayResult;
import com.onemember.api.server.OutboundApi;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.outbox.GoldenEvents;
import com.onemember.mdm.store.RecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/changes} and {@code /api/v1/dead-letters}, as the OpenAPI contract defines. */
@RestController
class OutboundController implements OutboundApi {

  private final GoldenEvents events;
  private final DeadLetters deadLetters;
  private final DeadLetterReplay replay;
  private final ConsumingSystems systems;

  OutboundController(
      GoldenEvents events,
      DeadLetters deadLetters,
      DeadLetterReplay replay,
      ConsumingSystems systems) {
    this.systems = systems;
    this.events = events;
    this.deadLetters = deadLetters;
    this.replay = replay;
  }

  @Override
  public ResponseEntity<ChangePage> listChanges(String after, Integer limit) {
    long from = cursor(after);
    // what committed just now gets its position first, so a reader is never behind the relay
    events.position();
    List<GoldenEvents.Published> page = events.after(from, limit == null ? 100 : limit);
    long next = page.isEmpty() ? from : page.get(page.size() - 1).position();
    java.util.Set<String> withheld = withheldFromCaller();
    return ResponseEntity.ok(
        new ChangePage()
            .items(page.stream().map(e -> read(withhold(e.json(), withheld))).toList())
            .next(Long.toString(next)));
  }

  /**
   * What the caller may not hold: a {@code system} token reads the feed with the grants of the
   * consuming system of its name, and with none of the personal data when it has none; admin and IT
   * read it whole.
   */
  private java.util.Set<String> withheldFromCaller() {
    var caller = com.onemember.hub.privacy.AccessLog.currentCaller().orElse(null);
    if (caller == null || caller.role() != com.onemember.hub.security.Role.SYSTEM) {
      return java.util.Set.of();
    }
    return systems
        .named(caller.system())
        .map(ConsumingSystem::withheld)
        .orElse(java.util.Set.copyOf(PersonalDataGrants.KINDS));
  }

  private static String withhold(String json, java.util.Set<String> withheld) {
    if (withheld.isEmpty()) {
      return json;
    }
    try {
      var event = RecordJson.mapper().readTree(json);
      PersonalDataGrants.withhold(event, withheld);
      return event.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ResponseEntity<DeadLetterList> listDeadLetters(
      String consumer, DeadLetterStatus status, Integer limit) {
    Boolean pending = status == null ? null : status == DeadLetterStatus.PENDING;
    return ResponseEntity.ok(
        new DeadLetterList()
            .items(
                deadLetters.list(consumer, pending, limit == null ? 100 : limit).stream()
                    .map(OutboundController::view)
                    .toList()));
  }

  @Override
  public ResponseEntity<ConsumerList> listConsumers() {
    Map<String, DeadLetters.Waiting> waiting = deadLetters.waitingByConsumer();
    return ResponseEntity.ok(
        new ConsumerList()
            .items(
                systems.all().stream()
                    .sorted(java.util.Comparator.comparing(ConsumingSystem::name))
                    .map(
                        s -> {
                          DeadLetters.Waiting w = waiting.get(s.name());
                          return new Consumer()
                              .name(s.name())
                              .kind(
                                  s instanceof SignedWebhook
                                      ? Consumer.KindEnum.WEBHOOK
                                      : Consumer.KindEnum.WRITEBACK)
                              .withheld(s.withheld().stream().sorted().toList())
                              .maxAttempts(s.maxAttempts())
                              .deadLetters(w == null ? 0 : w.count())
                              .lastFailureAt(
                                  w == null ? null : w.lastFailedAt().atOffset(ZoneOffset.UTC));
                        })
                    .toList()));
  }

  @Override
  public ResponseEntity<DeadLetter> replayDeadLetter(Long id) {
    DeadLetters.DeadLetter letter =
        deadLetters.find(id).orElseThrow(() -> ApiProblem.notFound("死信/dead letter", id));
    replay.replay(letter);
    return ResponseEntity.ok(view(deadLetters.find(id).orElseThrow()));
  }

  @Override
  public ResponseEntity<ReplayResult> replayDeadLetters(String consumer) {
    DeadLetterReplay.Outcome outcome = replay.replayAll(consumer);
    return ResponseEntity.ok(
        new ReplayResult()
            .consumer(consumer)
            .replayed(outcome.replayed())
            .refused(outcome.refused())
            .heldBehind(outcome.heldBehind())
            .stillPending((int) Math.min(Integer.MAX_VALUE, outcome.stillPending()))
            .lastError(outcome.lastError())
            .failures(
                outcome.failures().stream()
                    .map(
                        f ->
                            new com.onemember.api.model.ReplayFailure()
                                .id(f.id())
                                .memberId(f.memberId())
                                .error(f.error()))
                    .toList()));
  }

  private static long cursor(String after) {
    if (after == null || after.isBlank()) {
      return 0;
    }
    try {
      long position = Long.parseLong(after.trim());
      if (position >= 0) {
        return position;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiProblem(
        HttpStatus.BAD_REQUEST,
        "invalid-cursor",
        "after 必须是上一页返回的 next / 'after' must be the 'next' of an earlier page: " + after);
  }

  private static GoldenEvent read(String json) {
    try {
      return RecordJson.mapper().readValue(json, GoldenEvent.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DeadLetter view(DeadLetters.DeadLetter d) {
    return new DeadLetter()
        .id(d.id())
        .consumer(d.consumer())
        .eventId(d.eventId())
        .memberId(d.memberId())
        .attempts(d.attempts())
        .lastError(d.lastError())
        .failedAt(d.failedAt().atOffset(ZoneOffset.UTC))
        .status(d.replayedAt() == null ? DeadLetterStatus.PENDING : DeadLetterStatus.REPLAYED)
        .replayedAt(d.replayedAt() == null ? null : d.replayedAt().atOffset(ZoneOffset.UTC))
        .payload(d.payload());
  }
}
