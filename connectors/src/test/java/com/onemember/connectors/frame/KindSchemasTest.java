package com.onemember.connectors.frame;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.connectors.KnownKinds;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What IT staff read about a kind's parameters comes from its schema: every key must say what it is
 * for, and a secret must be marked so that nothing shows it.
 */
class KindSchemasTest {

  @Test
  void everyKeyOfEveryKindHasADescription() {
    for (ConnectorKind kind : KnownKinds.all()) {
      JsonNode schema = ConnectorInstances.resource(kind.parametersSchema());
      assertThat(schema.path("description").asString("")).as(kind.name()).isNotBlank();
      assertThat(schema.path("additionalProperties").asBoolean(true))
          .as(kind.name() + " refuses keys it does not know")
          .isFalse();
      for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
        assertThat(p.getValue().path("description").asString(""))
            .as(kind.name() + " " + p.getKey())
            .isNotBlank();
      }
    }
    for (Map.Entry<String, JsonNode> p :
        ConnectorInstances.resource("connectors/instance.schema.json")
            .path("properties")
            .properties()) {
      assertThat(p.getValue().path("description").asString("")).as(p.getKey()).isNotBlank();
    }
  }

  @Test
  void everySecretIsMarkedAsAPassword() {
    for (ConnectorKind kind : KnownKinds.all()) {
      JsonNode schema = ConnectorInstances.resource(kind.parametersSchema());
      for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
        String key = p.getKey().toLowerCase(Locale.ROOT);
        if (key.contains("password") || key.contains("secret") || key.endsWith("key")) {
          assertThat(p.getValue().path("format").asString(""))
              .as(kind.name() + " " + p.getKey())
              .isEqualTo("password");
        }
      }
    }
  }

  @Test
  void everyKindHasAUniqueName() {
    assertThat(KnownKinds.all().stream().map(ConnectorKind::name)).doesNotHaveDuplicates();
  }
}
