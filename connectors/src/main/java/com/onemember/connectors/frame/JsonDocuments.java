package com.onemember.connectors.frame;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A pushed JSON document as the flat fields a record keeps: nested objects by dotted path ({@code
 * address.city}), arrays as their JSON text, in sorted key order, so the same content gives the
 * same record whatever order the sender wrote its keys in. A JSON {@code null} stays a {@code null}
 * value: in a push it clears that field.
 */
public final class JsonDocuments {

  /** The one JSON mapper of the connector kinds (Jackson 3): Pospal's answers, pushed bodies. */
  public static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private JsonDocuments() {}

  public static Map<String, String> flatten(JsonNode document) {
    Map<String, String> fields = new TreeMap<>();
    flatten("", document, fields);
    return fields;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> fields) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject() && !v.isEmpty()) {
        flatten(key + ".", v, fields);
      } else if (v.isNull()) {
        fields.put(key, null);
      } else if (v.isContainer()) {
        fields.put(key, v.toString());
      } else {
        fields.put(key, v.asString());
      }
    }
  }

  /** A JSON value as trimmed text; {@code null} when missing, JSON null or blank. */
  public static String text(JsonNode v) {
    return v == null || v.isMissingNode() || v.isNull() ? null : RowText.text(v.asString());
  }
}
