package com.onemember.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.support.HubIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Who may call what, over real HTTP. */
class AccessIT extends HubIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aCallWithoutATokenGets401WithAJsonError() throws Exception {
    HttpResponse<String> r = get("/api/v1/members?phone=13812345678", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.body()).contains("\"code\":\"unauthorized\"").contains("Missing bearer token");
  }

  @Test
  void aCallWithAWrongTokenGets401() throws Exception {
    HttpResponse<String> r = get("/api/v1/members?phone=13812345678", "Bearer not-the-token");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("not valid");
  }

  @Test
  void healthIsPublicAndUpWhenDatabaseAndBrokerAnswer() throws Exception {
    // Camel reports a polling consumer ready after its first poll, two seconds after start
    HttpResponse<String> r =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(30))
            .until(() -> get("/actuator/health", null), h -> h.statusCode() == 200);
    assertThat(r.body()).contains("\"status\":\"UP\"");
  }

  @Test
  void otherActuatorEndpointsAreNotPublic() throws Exception {
    for (String path : new String[] {"/actuator/env", "/actuator/beans", "/actuator/heapdump"}) {
      assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, "Bearer " + TOKEN).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void theContractIsServedPublicly() throws Exception {
    HttpResponse<String> r = get("/api/v1/openapi.yaml", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("openapi: 3").contains("/api/v1/imports");
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
