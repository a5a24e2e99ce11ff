package com.onemember.hub.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.support.HubIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Free text a caller sends is bounded by the contract and refused past the bound with 400, before
 * anything is stored: a tag note, a reason, a registration's fields, a mapping.
 */
class RequestBoundsIT extends HubIT {

  private final HttpClient http = HttpClient.newHttpClient();

  private int post(String path, String json) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void textPastItsBoundIsRefusedWith400() throws Exception {
    String long600 = "很长的说明".repeat(120);
    UUID member = UUID.randomUUID();
    assertThat(
            post(
                "/api/v1/members/" + member + "/tags",
                "{\"name\":\"茶友\",\"note\":\"" + long600 + "\"}"))
        .isEqualTo(400);
    assertThat(post("/api/v1/members/" + member + "/erase", "{\"reason\":\"" + long600 + "\"}"))
        .isEqualTo(400);
    assertThat(
            post(
                "/api/v1/imports/" + UUID.randomUUID() + "/rollback",
                "{\"reason\":\"" + long600 + "\"}"))
        .isEqualTo(400);
    assertThat(
            post(
                "/api/v1/connectors/mp-tea-it/members",
                "{\"openid\":\"oX9aP1Ls3kQ7vT2mW8rE5yN4bH6c\",\"nickname\":\"" + long600 + "\"}"))
        .isEqualTo(400);
    StringBuilder mapping = new StringBuilder("{\"mapping\":[");
    for (int i = 0; i < 600; i++) {
      mapping
          .append(i == 0 ? "" : ",")
          .append("{\"header\":\"列")
          .append(i)
          .append("\",\"field\":\"IGNORE\"}");
    }
    mapping.append("]}");
    assertThat(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(baseUrl() + "/api/v1/sources/store-bounds/mapping-template"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(mapping.toString(), UTF_8))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(400);
  }
}
