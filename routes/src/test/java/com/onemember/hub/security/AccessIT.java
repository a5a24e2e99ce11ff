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

  @Test
  void manyUnknownTokensFromOneAddressAreSlowedDown() throws Exception {
    try {
      java.util.List<HttpResponse<String>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 25; i++) {
        answers.add(get("/api/v1/merge-log/verify", "Bearer guess-" + i));
      }
      // the limit is 20 a window: the first ones are told the token is unknown, the last slowed
      assertThat(answers.subList(0, 10)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(401));
      HttpResponse<String> slowed = answers.get(24);
      assertThat(slowed.statusCode()).isEqualTo(429);
      assertThat(slowed.headers().firstValue("Retry-After")).isPresent();
      assertThat(slowed.body()).contains("too-many-bad-tokens");
      // while slowed, even the right token is not looked at
      assertThat(get("/api/v1/merge-log/verify", "Bearer " + TOKEN).statusCode()).isEqualTo(429);
    } finally {
      // the window (3 s in the tests, a minute by default) ends, and the address is heard again
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> get("/api/v1/merge-log/verify", "Bearer " + TOKEN).statusCode() == 200);
    }
  }

  @Test
  void theErrorPageAskedForDirectlyIsNotFound() throws Exception {
    for (String authorization : new String[] {null, "Bearer " + TOKEN}) {
      HttpResponse<String> r = get("/error", authorization);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
      assertThat(r.body()).contains("not-found");
    }
    // a real failure still gets its error body through the error page
    assertThat(get("/api/v1/members/not-a-uuid", "Bearer " + TOKEN).statusCode()).isEqualTo(400);
  }

  @Test
  void aMergeLogFilterTimeOutOfRangeIs400NotAServerError() throws Exception {
    for (String query :
        new String[] {"from=99999-01-01T00:00:00Z", "to=%2B100000-01-01T00:00:00Z"}) {
      HttpResponse<String> r = get("/api/v1/merge-log?" + query, "Bearer " + TOKEN);
      assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(400);
      HttpResponse<String> export = get("/api/v1/merge-log/export?" + query, "Bearer " + TOKEN);
      assertThat(export.statusCode()).as(query).isEqualTo(400);
    }
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
