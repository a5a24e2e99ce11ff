package com.onemember.hub.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onemember.hub.privacy.PersonalDataKind;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Purpose-scoped publishing: the kinds of personal data a consuming system may hold, as its
 * configuration grants them ({@code grants: [mobile, email]}), and the events stripped of the
 * others before they reach it. A marketing system that may not hold birthdays never gets one, in
 * the member, its lineage or its source records. Raw cells of source records can hold anything a
 * store typed, so a system that is not granted every kind gets source records without them.
 */
final class PersonalDataGrants {

  private PersonalDataGrants() {}

  /** Every kind, by the name a configuration grants it with. */
  static final List<String> KINDS = PersonalDataKind.wires();

  /**
   * The kinds {@code grants} leaves out; none when it is {@code null} (a system configured before
   * grants existed keeps getting everything).
   *
   * @throws IllegalArgumentException for a kind that does not exist, naming the ones that do
   */
  static Set<String> withheld(List<String> grants) {
    if (grants == null) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>(KINDS);
    for (String g : grants) {
      PersonalDataKind kind = PersonalDataKind.of(g);
      if (kind == null) {
        throw new IllegalArgumentException(
            "grants: 不认识 "
                + g
                + "，可用："
                + KINDS
                + " / unknown kind "
                + g
                + "; the kinds are "
                + KINDS);
      }
      out.remove(kind.wire());
    }
    return Set.copyOf(out);
  }

  /** The identifier types of the withheld kinds. */
  private static Set<String> types(Set<String> withheld) {
    Set<String> types = new LinkedHashSet<>();
    for (String wire : withheld) {
      types.addAll(PersonalDataKind.of(wire).identifierTypes());
    }
    return types;
  }

  /** Strips {@code event} of the {@code withheld} kinds, in place. */
  static void withhold(JsonNode event, Set<String> withheld) {
    if (!withheld.isEmpty()) {
      strip(event, withheld, types(withheld));
    }
  }

  private static void strip(JsonNode node, Set<String> withheld, Set<String> types) {
    if (node instanceof ArrayNode array) {
      array.forEach(item -> strip(item, withheld, types));
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    if (object.get("identifiers") instanceof ArrayNode ids) {
      removeIf(ids, id -> types.contains(id.path("type").asText()));
    }
    if (withheld.contains(PersonalDataKind.BIRTHDAY.wire()) && object.has("birthday")) {
      object.putNull("birthday");
    }
    if (withheld.contains(PersonalDataKind.ADDRESS.wire())
        && object.get("addresses") instanceof ArrayNode addresses) {
      addresses.removeAll();
    }
    if (object.get("lineage") instanceof ArrayNode lineage) {
      removeIf(lineage, entry -> withheldEntry(entry, withheld, types));
    }
    // a store's cells may hold any kind: only a system granted every kind gets them
    object.remove("raw");
    object.forEach(child -> strip(child, withheld, types));
  }

  private static boolean withheldEntry(JsonNode entry, Set<String> withheld, Set<String> types) {
    String attribute = entry.path("attribute").asText();
    String value = entry.path("value").asText();
    return (attribute.equals("birthday") && withheld.contains(PersonalDataKind.BIRTHDAY.wire()))
        || (attribute.equals("addresses") && withheld.contains(PersonalDataKind.ADDRESS.wire()))
        || (attribute.equals("identifiers")
            && types.stream().anyMatch(t -> value.startsWith(t + " ")));
  }

  private interface Test {
    boolean holds(JsonNode node);
  }

  private static void removeIf(ArrayNode array, Test test) {
    for (Iterator<JsonNode> i = array.elements(); i.hasNext(); ) {
      if (test.holds(i.next())) {
        i.remove();
      }
    }
  }
}
