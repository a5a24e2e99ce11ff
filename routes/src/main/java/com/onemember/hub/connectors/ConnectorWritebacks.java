package com.onemember.hub.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.onemember.canonical.SourceNames;
import com.onemember.connectors.frame.ConfigurationProblem;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.InvalidConnectorConfiguration;
import com.onemember.connectors.frame.InvalidParameter;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import com.onemember.hub.outbound.ConsumingSystem;
import com.onemember.hub.outbound.ConsumingSystemSource;
import com.onemember.mdm.store.RecordJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A consuming system per connector whose instance file asks for writeback: it gets the golden
 * events through the outbound routes (its own durable subscription, retries with backoff, dead
 * letters and replay, as webhooks do) and writes, for each of its system's records an event names,
 * the golden id and tags into the system. Changes the system made itself come back shaped as LINKED
 * (only where its record now belongs), so its own change is not news to it.
 */
@Component
class ConnectorWritebacks implements ConsumingSystemSource {

  private final List<ConsumingSystem> systems = new ArrayList<>();

  ConnectorWritebacks(ConnectorRegistry registry, ConnectorStore store, java.time.Clock clock) {
    List<ConfigurationProblem> problems = new ArrayList<>();
    for (ConnectorInstance instance : registry.instances()) {
      if (!instance.enabled()) {
        continue;
      }
      try {
        registry
            .kind(instance)
            .sink(instance)
            .ifPresent(sink -> systems.add(new Delivery(instance, sink, store, clock)));
      } catch (InvalidParameter e) {
        problems.add(
            new ConfigurationProblem(instance.file(), "/parameters/" + e.key(), e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConnectorConfiguration(problems);
    }
  }

  @Override
  public List<ConsumingSystem> consumingSystems() {
    return systems;
  }

  /** Closes each sink's connection to its system when the hub stops. */
  @jakarta.annotation.PreDestroy
  void close() {
    systems.forEach(s -> ((Delivery) s).sink().close());
  }

  /** The name of a connector's writeback among the consuming systems and dead letters. */
  static String consumerName(String connectorId) {
    return "connector-" + connectorId;
  }

  private record Delivery(
      ConnectorInstance instance, WritebackSink sink, ConnectorStore store, java.time.Clock clock)
      implements ConsumingSystem {

    @Override
    public String name() {
      return consumerName(instance.id());
    }

    @Override
    public boolean owns(String source) {
      return source.equals(instance.id())
          || instance.owns().stream().anyMatch(p -> SourceNames.matches(p, source));
    }

    @Override
    public int maxAttempts() {
      return 8;
    }

    @Override
    public Duration initialBackoff() {
      return Duration.ofSeconds(1);
    }

    @Override
    public Duration maxBackoff() {
      return Duration.ofMinutes(5);
    }

    /**
     * Only the events that name one of this connector's records: the others have nothing to write,
     * and would keep a writeback behind every other source's imports. (A connector id is letters,
     * digits and dashes: nothing a LIKE pattern reads.)
     */
    @Override
    public String selector() {
      return com.onemember.hub.outbound.TopicRelay.SOURCES + " LIKE '%," + instance.id() + ",%'";
    }

    @Override
    public void deliver(String eventId, String body) throws Refused {
      JsonNode event;
      try {
        event = RecordJson.mapper().readTree(body);
      } catch (IOException e) {
        throw new Refused("不是有效的事件 / not a golden event: " + e.getMessage());
      }
      String type = event.path("type").asText();
      if (type.equals("WITHDRAWN") || type.equals("ERASED")) {
        return; // nothing to link: the member no longer stands, or its data is gone
      }
      UUID golden =
          UUID.fromString(
              event.hasNonNull("survivorId")
                  ? event.get("survivorId").asText()
                  : event.get("memberId").asText());
      List<String> tags = null;
      if (event.has("member")) {
        tags = new ArrayList<>();
        for (JsonNode t : event.path("member").path("tags")) {
          tags.add(t.path("name").asText());
        }
      }
      int written = 0;
      for (JsonNode r : event.path("sourceRecords")) {
        if (r.path("source").asText().equals(instance.id())) {
          try {
            sink.write(new Writeback(r.path("sourceRecordId").asText(), golden, tags));
            written++;
          } catch (WritebackSink.Refused e) {
            throw new Refused(e.getMessage());
          }
        }
      }
      if (written > 0) {
        store.wroteBack(instance.id(), written, clock.instant());
      }
    }
  }
}
