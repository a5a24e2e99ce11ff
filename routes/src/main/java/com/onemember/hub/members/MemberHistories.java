package com.onemember.hub.members;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onemember.api.model.AttributeChange;
import com.onemember.api.model.MemberHistory;
import com.onemember.api.model.MemberVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A member's versions with what changed between each and the one before, computed from the stored
 * golden records attribute by attribute.
 */
@Component
class MemberHistories {

  /** The golden attributes a person cares about; ids, versions and times change every time. */
  private static final List<String> ATTRIBUTES =
      List.of(
          "name", "gender", "birthday", "identifiers", "addresses", "consents", "tags", "servedBy");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;

  MemberHistories(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  MemberHistory of(UUID memberId) {
    List<MemberVersion> versions = new ArrayList<>();
    JsonNode[] previous = {null};
    jdbc.query(
        "select version, golden::text, changed_at, cause from member_version"
            + " where member_id = ? order by version",
        rs -> {
          JsonNode golden = read(rs.getString(2));
          versions.add(
              new MemberVersion()
                  .version(rs.getLong(1))
                  .changedAt(rs.getTimestamp(3).toInstant().atOffset(ZoneOffset.UTC))
                  .cause(rs.getString(4))
                  .changes(changes(previous[0], golden)));
          previous[0] = golden;
        },
        memberId);
    return new MemberHistory().memberId(memberId).versions(versions);
  }

  private static List<AttributeChange> changes(JsonNode before, JsonNode after) {
    List<AttributeChange> out = new ArrayList<>();
    for (String attribute : ATTRIBUTES) {
      String was = text(before == null ? null : before.get(attribute));
      String is = text(after.get(attribute));
      if (!Objects.equals(was, is)) {
        out.add(new AttributeChange().attribute(attribute).before(was).after(is));
      }
    }
    return out;
  }

  /** A value as compact JSON text; null, an empty list or a missing field is no value. */
  private static String text(JsonNode node) {
    if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
      return null;
    }
    return node.isTextual() ? node.asText() : node.toString();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
