package com.onemember.hub.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.support.HubIT;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every operation of the contract, called with a token of every role over a real socket: a role its
 * {@code x-roles} does not list gets 403, one it lists gets past the check (any answer but 401 and
 * 403: the ids are made up, so mostly 404 or 400), and no token gets 401. A {@code system} token is
 * refused for another system's connector or records. Tokens are created, listed and revoked by the
 * admin, a revoked or expired one answers 401, and only digests are stored.
 */
class RoleMatrixIT extends HubIT {

  /** The system the system token speaks for: no connector of that id exists, so calls are 404. */
  private static final String SYSTEM = "matrix-pos";

  private static final Pattern PARAMETER = Pattern.compile("\\{(\\w+)}");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<Role, String> tokens = new EnumMap<>(Role.class);
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void tokensForEveryRole() throws Exception {
    tokens.put(Role.ADMIN, TOKEN);
    for (Role role : List.of(Role.IT, Role.STEWARD, Role.AUDITOR, Role.SYSTEM)) {
      tokens.put(role, create("matrix-" + role.wire() + "-" + suffix, role, null));
    }
  }

  private String create(String name, Role role, OffsetDateTime expiresAt) throws Exception {
    String body =
        "{\"name\":\"%s\",\"role\":\"%s\"%s%s}"
            .formatted(
                name,
                role.wire(),
                role == Role.SYSTEM ? ",\"system\":\"" + SYSTEM + "\"" : "",
                expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"");
    HttpResponse<String> created = send("POST", "/api/v1/tokens", body, "application/json", TOKEN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).path("token").asString();
  }

  private HttpResponse<String> send(
      String method, String path, String body, String contentType, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", contentType)
          .method(method, HttpRequest.BodyPublishers.ofString(body, UTF_8));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  /** One operation of the contract, with made-up values for its parameters. */
  private record Call(String operation, String method, String path, String body, String type) {}

  private List<Call> calls() throws Exception {
    JsonNode root;
    try (InputStream in = new ClassPathResource(OperationRoles.CONTRACT).getInputStream()) {
      root = new YAMLMapper().readTree(in);
    }
    List<Call> calls = new ArrayList<>();
    for (var path : root.path("paths").properties()) {
      for (var method : path.getValue().properties()) {
        JsonNode op = method.getValue();
        if (!op.has("operationId")) {
          continue;
        }
        Map<String, JsonNode> parameters = new java.util.HashMap<>();
        for (JsonNode p : op.path("parameters")) {
          JsonNode resolved = p.has("$ref") ? resolve(root, p.path("$ref").asString()) : p;
          parameters.put(resolved.path("name").asString(), resolved);
        }
        Matcher m = PARAMETER.matcher(path.getKey());
        StringBuilder url = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(url, sample(parameters.get(m.group(1))));
        }
        m.appendTail(url);
        String separator = "?";
        for (JsonNode p : parameters.values()) {
          if (p.path("in").asString().equals("query")
              && (p.path("required").asBoolean() || p.path("name").asString().equals("source"))) {
            url.append(separator)
                .append(p.path("name").asString())
                .append('=')
                .append(URLEncoder.encode(sample(p), UTF_8));
            separator = "&";
          }
        }
        JsonNode content = op.path("requestBody").path("content");
        String type = content.has("multipart/form-data") ? "multipart/form-data; boundary=b" : null;
        String body = type != null ? "--b--\r\n" : null;
        if (content.has("application/json")) {
          type = "application/json";
          body = "{}";
        }
        calls.add(
            new Call(
                op.path("operationId").asString(),
                method.getKey().toUpperCase(java.util.Locale.ROOT),
                url.toString(),
                body,
                type));
      }
    }
    return calls;
  }

  private static JsonNode resolve(JsonNode root, String ref) {
    JsonNode node = root;
    for (String part : ref.substring(2).split("/")) {
      node = node.path(part);
    }
    return node;
  }

  /** A value of the parameter's type that names nothing the hub holds. */
  private static String sample(JsonNode parameter) {
    JsonNode schema = parameter == null ? null : parameter.path("schema");
    if (schema != null && "uuid".equals(schema.path("format").asString(""))) {
      return UUID.randomUUID().toString();
    }
    if (schema != null && "integer".equals(schema.path("type").asString(""))) {
      return "987654321";
    }
    return SYSTEM;
  }

  @Test
  void everyOperationAnswersEachRoleAsItsXRolesSay() throws Exception {
    Map<String, Set<Role>> admitted;
    try (InputStream in = new ClassPathResource(OperationRoles.CONTRACT).getInputStream()) {
      admitted = OperationRoles.read(in);
    }
    List<Call> calls = calls();
    assertThat(calls).hasSizeGreaterThanOrEqualTo(50);
    List<String> wrong = new ArrayList<>();
    for (Call call : calls) {
      HttpResponse<String> anonymous =
          send(call.method(), call.path(), call.body(), call.type(), null);
      if (anonymous.statusCode() != 401) {
        wrong.add(call.operation() + " without a token: " + anonymous.statusCode());
      }
      for (Role role : Role.values()) {
        if (role == Role.ADMIN && call.operation().equals("revokeToken")) {
          continue; // made-up name: 404, checked with the others below
        }
        HttpResponse<String> answer =
            send(call.method(), call.path(), call.body(), call.type(), tokens.get(role));
        boolean allowed = admitted.get(call.operation()).contains(role);
        int status = answer.statusCode();
        if (allowed ? status == 401 || status == 403 : status != 403) {
          wrong.add(
              call.operation()
                  + " as "
                  + role.wire()
                  + ": "
                  + status
                  + (allowed ? " (admitted)" : " (not admitted)")
                  + " "
                  + answer.body());
        } else if (!allowed) {
          assertThat(answer.body()).contains("forbidden").contains(role.wire());
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aSystemTokenIsRefusedForAnotherSystemsConnectorAndRecords() throws Exception {
    String token = tokens.get(Role.SYSTEM);
    HttpResponse<String> other =
        send("POST", "/api/v1/connectors/mp-tea-it/members", "{}", "application/json", token);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("other-system").contains(SYSTEM).contains("mp-tea-it");
    HttpResponse<String> records =
        send("GET", "/api/v1/xref?source=pos-unicenta-it&sourceRecordId=1", null, null, token);
    assertThat(records.statusCode()).isEqualTo(403);
    HttpResponse<String> own =
        send("GET", "/api/v1/xref?source=" + SYSTEM + "&sourceRecordId=1", null, null, token);
    assertThat(own.statusCode()).isEqualTo(404);
  }

  @Test
  void tokensAreListedWithoutSecretsRevokedAtOnceAndExpire() throws Exception {
    String name = "matrix-revoked-" + suffix;
    String token = create(name, Role.AUDITOR, null);
    assertThat(send("GET", "/api/v1/merge-log/verify", null, null, token).statusCode())
        .isEqualTo(200);

    HttpResponse<String> list = send("GET", "/api/v1/tokens", null, null, TOKEN);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains(name).doesNotContain(token).doesNotContain("om_");
    JsonNode listed = null;
    for (JsonNode t : JSON.readTree(list.body()).path("items")) {
      if (t.path("name").asString().equals(name)) {
        listed = t;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.path("role").asString()).isEqualTo("auditor");
    assertThat(listed.path("createdBy").asString()).isEqualTo("admin");
    assertThat(listed.path("lastUsedAt").isMissingNode()).isFalse();

    assertThat(send("DELETE", "/api/v1/tokens/" + name, null, null, TOKEN).statusCode())
        .isEqualTo(204);
    assertThat(send("GET", "/api/v1/merge-log/verify", null, null, token).statusCode())
        .isEqualTo(401);
    // a name is never given again, revoked or not
    HttpResponse<String> again =
        send(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"" + name + "\",\"role\":\"it\"}",
            "application/json",
            TOKEN);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(
            send("DELETE", "/api/v1/tokens/matrix-none-" + suffix, null, null, TOKEN).statusCode())
        .isEqualTo(404);

    String soon =
        create("matrix-expiring-" + suffix, Role.AUDITOR, OffsetDateTime.now().plusSeconds(2));
    assertThat(send("GET", "/api/v1/merge-log/verify", null, null, soon).statusCode())
        .isEqualTo(200);
    Thread.sleep(2500);
    assertThat(send("GET", "/api/v1/merge-log/verify", null, null, soon).statusCode())
        .isEqualTo(401);

    HttpResponse<String> noSystem =
        send(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"matrix-nosys-" + suffix + "\",\"role\":\"system\"}",
            "application/json",
            TOKEN);
    assertThat(noSystem.statusCode()).isEqualTo(400);
    assertThat(noSystem.body()).contains("system");
  }

  @Test
  void theMergeLogNamesTheTokenThatMadeAChange() throws Exception {
    String steward = tokens.get(Role.STEWARD);
    importAndWait(
        "store-matrix",
        "matrix.csv",
        com.onemember.hub.support.MemberSheet.aSheet("姓名", "手机号")
            .row("欧阳娜娜", "15290060001")
            .gbkCsv());
    UUID member = awaitOneMember("15290060001").getId();
    HttpResponse<String> tagged =
        send(
            "POST",
            "/api/v1/members/" + member + "/tags",
            "{\"name\":\"茶友\",\"note\":\"到店试饮\"}",
            "application/json",
            steward);
    assertThat(tagged.statusCode()).as(tagged.body()).isLessThan(300);
    HttpResponse<String> history =
        send("GET", "/api/v1/members/" + member + "/history", null, null, tokens.get(Role.AUDITOR));
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(history.body()).contains("matrix-steward-" + suffix);
  }
}
