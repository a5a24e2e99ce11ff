package com.onemember.hub.console;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.support.HubIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's login and session over plain HTTP: the cookie's attributes, CSRF on the form and on
 * the API calls a session makes, a revoked token ending its sessions, roles on pages; and the API
 * operations added for the console (imports listed and filtered, the overview, consumers).
 */
class ConsoleSessionIT extends HubIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  private ConsoleClient console() {
    return new ConsoleClient(baseUrl());
  }

  @Test
  void aLoginStartsANewHttpOnlyStrictSessionAndOpensTheConsole() throws Exception {
    ConsoleClient c = console();
    HttpResponse<String> form = c.get("/console/login");
    String before = sessionCookie(form);
    assertThat(before).as("the form's CSRF token lives in a session").isNotNull();

    HttpResponse<String> login = c.postForm("/console/login", c.loginFormCsrf(), "token", TOKEN);
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/console"));
    String after = sessionCookie(login);
    assertThat(after)
        .as("a new session id after the login (no fixation)")
        .isNotNull()
        .isNotEqualTo(before);
    String header =
        login.headers().allValues("Set-Cookie").stream()
            .filter(h -> h.startsWith("ONEMEMBER_CONSOLE="))
            .findFirst()
            .orElseThrow();
    assertThat(header).contains("HttpOnly").contains("SameSite=Strict");

    HttpResponse<String> overview = c.get("/console");
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(p -> assertThat(p).contains("script-src 'self'"));
    assertThat(overview.body()).contains("/console/tokens").contains("admin");
  }

  @Test
  void withoutASessionEveryPageLeadsToTheLogin() throws Exception {
    for (String page : List.of("/console", "/console/reviews", "/console/tokens")) {
      HttpResponse<String> r = console().get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(302);
      assertThat(r.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).endsWith("/console/login"));
    }
  }

  @Test
  void aLoginWithoutTheFormsCsrfTokenIsRefused() throws Exception {
    ConsoleClient c = console();
    c.get("/console/login");
    HttpResponse<String> login = c.postForm("/console/login", null, "token", TOKEN);
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/console/login?expired"));
    assertThat(c.get("/console").statusCode()).isEqualTo(302);
  }

  @Test
  void aWrongAnEmptyAndASystemTokenAreToldApartInWords() throws Exception {
    HttpResponse<String> wrong = console().login("om_not-a-token-" + suffix);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("role=\"alert\"");

    HttpResponse<String> empty = console().login("  ");
    assertThat(empty.statusCode()).isEqualTo(401);

    String system = token("console-sys-" + suffix, "system", "crm");
    HttpResponse<String> asSystem = console().login(system);
    assertThat(asSystem.statusCode()).isEqualTo(403);
    assertThat(asSystem.body()).containsAnyOf("system token", "系统令牌");
  }

  @Test
  void theApiTakesTheSessionButEveryChangeNeedsItsCsrfToken() throws Exception {
    ConsoleClient c = console();
    c.login(TOKEN);
    assertThat(c.get("/api/v1/overview").statusCode()).isEqualTo(200);

    HttpResponse<String> forged = c.postJson("/api/v1/merge-log/checkpoints", "{}", null);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(forged.body()).path("code").asString()).isEqualTo("csrf");

    String csrf = c.pageCsrf("/console/merge-log");
    HttpResponse<String> made = c.postJson("/api/v1/merge-log/checkpoints", "{}", csrf);
    assertThat(made.statusCode()).as(made.body()).isBetween(200, 201);

    // a bearer call needs no CSRF token: it carries no ambient credential
    HttpResponse<String> bearer =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/merge-log/checkpoints"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString(UTF_8));
    assertThat(bearer.statusCode()).isBetween(200, 201);
  }

  @Test
  void aRevokedTokenEndsItsSessionAtTheNextRequest() throws Exception {
    String name = "console-it-" + suffix;
    String token = token(name, "it", null);
    ConsoleClient c = console();
    c.login(token);
    assertThat(c.get("/console/imports").statusCode()).isEqualTo(200);

    HttpResponse<String> revoked = send("DELETE", "/api/v1/tokens/" + name, null);
    assertThat(revoked.statusCode()).isEqualTo(204);

    HttpResponse<String> next = c.get("/console/imports");
    assertThat(next.statusCode()).isEqualTo(302);
    assertThat(c.get("/api/v1/imports").statusCode()).isEqualTo(401);
  }

  @Test
  void aStewardSeesNoTokenAdminAndIsRefusedItsPageAndItsApi() throws Exception {
    ConsoleClient c = console();
    c.login(token("console-steward-" + suffix, "steward", null));
    HttpResponse<String> overview = c.get("/console");
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.body())
        .doesNotContain("href=\"/console/tokens\"")
        .contains("/console/reviews");

    HttpResponse<String> tokens = c.get("/console/tokens");
    assertThat(tokens.statusCode()).isEqualTo(403);
    assertThat(tokens.body()).doesNotContain("id=\"new-token\"");
    assertThat(c.get("/api/v1/tokens").statusCode()).isEqualTo(403);
    // an IT page is not the steward's either
    assertThat(c.get("/console/imports").statusCode()).isEqualTo(403);
  }

  @Test
  void aMistypedMemberAddressGetsTheConsolesOwnPageNotAJsonError() throws Exception {
    ConsoleClient c = console();
    c.login(TOKEN);
    HttpResponse<String> wrong = c.get("/console/members/13912345678");
    assertThat(wrong.statusCode()).isEqualTo(404);
    assertThat(wrong.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(wrong.body()).contains("No such page").contains("13912345678");
  }

  @Test
  void theConsoleSpeaksChineseOrEnglishAsChosenAndRemembersIt() throws Exception {
    ConsoleClient c = console();
    c.login(TOKEN);
    HttpResponse<String> zh = c.get("/console?lang=zh-CN");
    assertThat(zh.body()).contains("lang=\"zh-CN\"").contains("概览").contains("合并日志");
    assertThat(c.get("/console/merge-log").body()).contains("lang=\"zh-CN\"").contains("校验哈希链");
    HttpResponse<String> en = c.get("/console?lang=en");
    assertThat(en.body()).contains("lang=\"en\"").contains("Overview");
    // the switch keeps the page's filters
    assertThat(c.get("/console/merge-log?actor=zhang").body())
        .contains("href=\"/console/merge-log?actor=zhang&amp;lang=zh-CN\"");
    // an unsupported language falls back to English
    assertThat(c.get("/console?lang=fr").body()).contains("lang=\"en\"");
  }

  @Test
  void importsAreListedNewestFirstFilteredBySourceStatusAndTimeAndPaged() throws Exception {
    String source = "console-list-" + suffix;
    var first =
        importAndWait(
            source, "a.csv", aSheet("姓名", "手机号").row("邓丽华", "13912" + digits(6)).gbkCsv());
    var second =
        importAndWait(
            source, "b.csv", aSheet("姓名", "手机号").row("罗志强", "13912" + digits(6)).gbkCsv());

    JsonNode all = api("/api/v1/imports?source=" + source);
    assertThat(ids(all)).containsExactly(second.getId().toString(), first.getId().toString());
    assertThat(all.path("items").get(0).path("status").asString()).isEqualTo("COMPLETED");
    assertThat(ids(api("/api/v1/imports?source=" + source + "&status=COMPLETED"))).hasSize(2);
    assertThat(ids(api("/api/v1/imports?source=" + source + "&status=FAILED"))).isEmpty();
    assertThat(ids(api("/api/v1/imports?source=" + source + "&from=2999-01-01T00:00:00Z")))
        .isEmpty();

    JsonNode page1 = api("/api/v1/imports?source=" + source + "&limit=1");
    assertThat(ids(page1)).containsExactly(second.getId().toString());
    String next = page1.path("next").asString();
    JsonNode page2 = api("/api/v1/imports?source=" + source + "&limit=1&after=" + next);
    assertThat(ids(page2)).containsExactly(first.getId().toString());
    assertThat(page2.has("next") && !page2.path("next").isNull()).isFalse();

    HttpResponse<String> bad = send("GET", "/api/v1/imports?after=yesterday", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("after");
  }

  @Test
  void theOverviewCountsTodayInTheAskedZoneAndRefusesAnUnknownZone() throws Exception {
    String source = "console-ov-" + suffix;
    importAndWait(
        source,
        "o.csv",
        aSheet("姓名", "手机号")
            .row("孙晓梅", "13913" + digits(6))
            .row("周建国", "13913" + digits(6))
            .gbkCsv());
    JsonNode o = api("/api/v1/overview?zone=Asia/Shanghai&days=7");
    assertThat(o.path("days")).hasSize(7);
    assertThat(o.path("members").asLong()).isPositive();
    assertThat(o.path("sourceRecords").asLong()).isGreaterThanOrEqualTo(2);
    JsonNode series = null;
    for (JsonNode s : o.path("recordsIn")) {
      if (s.path("source").asString().equals(source)) {
        series = s;
      }
    }
    assertThat(series).as("the new source's series").isNotNull();
    assertThat(series.path("counts").get(6).asLong()).isEqualTo(2);
    assertThat(o.path("merges")).hasSize(7);
    assertThat(o.path("reviewBacklog")).hasSize(7);

    HttpResponse<String> bad = send("GET", "/api/v1/overview?zone=Mars/Olympus", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("Asia/Shanghai");
  }

  @Test
  void theConsumingSystemsAreListedWithTheirKindAndDeadLetters() throws Exception {
    JsonNode consumers = api("/api/v1/consumers");
    List<String> names = new java.util.ArrayList<>();
    consumers.path("items").forEach(c -> names.add(c.path("name").asString()));
    assertThat(names).contains("crm", "pos");
    consumers
        .path("items")
        .forEach(
            c -> {
              if (c.path("name").asString().equals("pos")) {
                assertThat(c.path("kind").asString()).isEqualTo("WEBHOOK");
                assertThat(c.path("maxAttempts").asInt()).isEqualTo(3);
                assertThat(c.path("deadLetters").asLong()).isNotNegative();
              }
            });
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new java.util.ArrayList<>();
    page.path("items").forEach(i -> out.add(i.path("id").asString()));
    return out;
  }

  private JsonNode api(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .header("Authorization", "Bearer " + TOKEN);
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json, UTF_8));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private static String sessionCookie(HttpResponse<String> r) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(h -> h.startsWith("ONEMEMBER_CONSOLE="))
        .map(h -> h.substring("ONEMEMBER_CONSOLE=".length(), h.indexOf(';')))
        .findFirst()
        .orElse(null);
  }
}
