package com.onemember.hub.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onemember.mdm.store.RecordJson;
import java.io.IOException;

/**
 * The event a consuming system gets: the published event as it is, except when one of the system's
 * own sources caused the change. Then it gets no echo of its own change as news, only the link
 * between its records and the golden id (type LINKED, same event id). Either way without the
 * personal data the system is not granted ({@link PersonalDataGrants}).
 */
final class EventShapes {

  private EventShapes() {}

  static String forSystem(ConsumingSystem system, String json) {
    String shaped = shape(system, json);
    java.util.Set<String> withheld = system.withheld();
    if (withheld.isEmpty()) {
      return shaped;
    }
    JsonNode event = read(shaped);
    PersonalDataGrants.withhold(event, withheld);
    return event.toString();
  }

  /** The event for a system that may hold every kind of personal data. */
  private static String shape(ConsumingSystem system, String json) {
    JsonNode event = read(json);
    String origin = event.path("originSource").asText(null);
    if (origin == null || !system.owns(origin)) {
      return json;
    }
    ObjectNode link = RecordJson.mapper().createObjectNode();
    link.set("eventId", event.get("eventId"));
    link.set("position", event.get("position"));
    link.put("type", "LINKED");
    link.set("memberId", event.get("memberId"));
    link.set("version", event.get("version"));
    link.set("originSource", event.get("originSource"));
    link.set("occurredAt", event.get("occurredAt"));
    ArrayNode own = link.putArray("sourceRecords");
    for (JsonNode r : event.path("sourceRecords")) {
      if (system.owns(r.path("source").asText())) {
        own.add(r);
      }
    }
    return link.toString();
  }

  private static JsonNode read(String json) {
    try {
      return RecordJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a golden event: " + e.getMessage(), e);
    }
  }
}
