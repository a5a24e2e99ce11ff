package com.onemember.connectors.youzan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.connectors.youzan.YouzanServer.Customer;
import com.onemember.connectors.youzan.YouzanServer.Delivery;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Youzan stand-in speaks the protocol the connector relies on, checked over a real socket. */
class YouzanServerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String JSON_UTF8 = "application/json;charset=UTF-8";

  private YouzanServer shop;

  @BeforeEach
  void start() throws IOException {
    shop = new YouzanServer();
  }

  @AfterEach
  void stop() {
    shop.close();
  }

  private void at(String instant) {
    shop.setClock(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
  }

  private HttpResponse<String> post(
      String pathAndQuery, String contentType, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(shop.baseUrl() + pathAndQuery))
            .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private static Map<String, Object> silent() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("client_id", YouzanServer.CLIENT_ID);
    body.put("client_secret", YouzanServer.CLIENT_SECRET);
    body.put("authorize_type", "silent");
    body.put("grant_id", Long.toString(YouzanServer.KDT_ID));
    return body;
  }

  private JsonNode tokenAnswer(Map<String, Object> body) throws Exception {
    HttpResponse<String> response = post("/auth/token", JSON_UTF8, JSON.writeValueAsString(body));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON_UTF8);
    return JSON.readTree(response.body());
  }

  private String token() throws Exception {
    return tokenAnswer(silent()).path("data").path("access_token").asString();
  }

  private JsonNode call(String api, String token, Object body) throws Exception {
    HttpResponse<String> response =
        post("/api/" + api + "?access_token=" + token, JSON_UTF8, JSON.writeValueAsString(body));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON_UTF8);
    return JSON.readTree(response.body());
  }

  private static void assertGatewayError(JsonNode answer, int code, String message) {
    JsonNode error = answer.path("gw_err_resp");
    assertThat(error.path("err_code").asInt()).isEqualTo(code);
    assertThat(error.path("err_msg").asString()).isEqualTo(message);
    assertThat(error.path("trace_id").asString()).startsWith("yz7-");
    assertThat(answer.has("code")).isFalse();
    assertThat(answer.has("success")).isFalse();
  }

  private static void assertBusinessError(JsonNode answer, int code, String message) {
    assertThat(answer.path("code").asInt()).isEqualTo(code);
    assertThat(answer.path("success").asBoolean()).isFalse();
    assertThat(answer.path("message").asString()).isEqualTo(message);
    assertThat(answer.get("data").isNull()).isTrue();
    assertThat(answer.has("request_id")).isTrue();
  }

  private static List<String> ids(JsonNode records) {
    List<String> ids = new ArrayList<>();
    records.forEach(r -> ids.add(r.path("yz_open_id").asString()));
    return ids;
  }

  // ---------------------------------------------------------------- token

  @Test
  void issuesTheSameTokenUntilItExpiresAndANewOneOnRefresh() throws Exception {
    at("2026-03-02T01:00:00Z");
    JsonNode first = tokenAnswer(silent());
    assertThat(first.path("success").asBoolean()).isTrue();
    assertThat(first.path("code").asInt()).isEqualTo(200);
    assertThat(first.get("message").isNull()).isTrue();
    JsonNode data = first.path("data");
    String token = data.path("access_token").asString();
    assertThat(token).matches("[0-9a-f]{32}");
    assertThat(data.path("expires").isIntegralNumber()).isTrue();
    assertThat(data.path("expires").asLong())
        .isEqualTo(Instant.parse("2026-03-09T01:00:00Z").toEpochMilli());
    assertThat(data.path("authority_id").asString()).isEqualTo("42583152");
    assertThat(data.path("scope").asString()).contains("scrm");

    // Still valid: the same token, with the same expiry, and grant_id may be a number.
    at("2026-03-08T23:00:00Z");
    Map<String, Object> numericGrant = silent();
    numericGrant.put("grant_id", YouzanServer.KDT_ID);
    numericGrant.put("refresh", false);
    JsonNode again = tokenAnswer(numericGrant).path("data");
    assertThat(again.path("access_token").asString()).isEqualTo(token);
    assertThat(again.path("expires").asLong()).isEqualTo(data.path("expires").asLong());
    assertThat(call(YouzanServer.CUSTOMER_LIST, token, Map.of()).path("success").asBoolean())
        .isTrue();

    // At the expiry instant it is expired: calls get 4202, and the next request a new token.
    at("2026-03-09T01:00:00Z");
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, token, Map.of()), 4202, "请求凭证过期");
    String renewed = token();
    assertThat(renewed).isNotEqualTo(token).matches("[0-9a-f]{32}");
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, token, Map.of()), 4203, "Token 不存在");

    // refresh: true replaces a valid token; the replaced one is unknown from then on.
    Map<String, Object> refresh = silent();
    refresh.put("refresh", true);
    String refreshed = tokenAnswer(refresh).path("data").path("access_token").asString();
    assertThat(refreshed).isNotEqualTo(renewed);
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, renewed, Map.of()), 4203, "Token 不存在");
    assertThat(call(YouzanServer.CUSTOMER_LIST, refreshed, Map.of()).path("code").asInt())
        .isEqualTo(200);
    assertThat(shop.tokenRequests()).isEqualTo(4);
  }

  @Test
  void tokenRequestsAreRefusedAsYouzanRefusesThem() throws Exception {
    HttpResponse<String> form =
        post(
            "/auth/token",
            "application/x-www-form-urlencoded;charset=UTF-8",
            "client_id=a1b2c3d4e5f6a7b8c9&authorize_type=silent");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(form.body()).toString())
        .isEqualTo(
            "{\"success\":false,\"code\":1000,\"data\":null,\"message\":\"Content type"
                + " 'application/x-www-form-urlencoded;charset=UTF-8' not supported,Please use"
                + " 'application/json;charset=UTF-8'\"}");

    Map<String, Object> unknownClient = silent();
    unknownClient.put("client_id", "ffffffffffffffffff");
    assertAuthError(tokenAnswer(unknownClient), 1103, "Client 不存在");

    Map<String, Object> wrongSecret = silent();
    wrongSecret.put("client_secret", "00000000000000000000000000000000");
    assertAuthError(tokenAnswer(wrongSecret), 1000, "应用信息错误");

    Map<String, Object> otherShop = silent();
    otherShop.put("grant_id", "19378225");
    assertAuthError(tokenAnswer(otherShop), 1103, "授权关系不存在");

    Map<String, Object> code = silent();
    code.put("authorize_type", "authorization_code");
    assertAuthError(tokenAnswer(code), 1105, "不支持的应用类型");

    assertThat(shop.tokenRequests()).isEqualTo(5);
    assertThat(shop.requests()).isZero();
  }

  private static void assertAuthError(JsonNode answer, int code, String message) {
    assertThat(answer.path("success").asBoolean()).isFalse();
    assertThat(answer.path("code").asInt()).isEqualTo(code);
    assertThat(answer.path("message").asString()).isEqualTo(message);
    assertThat(answer.get("data").isNull()).isTrue();
  }

  // ---------------------------------------------------------------- gateway

  @Test
  void theTokenCountsOnlyInTheQueryString() throws Exception {
    String token = token();
    String api = "/api/" + YouzanServer.CUSTOMER_LIST;

    HttpResponse<String> bearer =
        post(api, JSON_UTF8, "{}", "Authorization", "Bearer " + token, "access_token", token);
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertGatewayError(JSON.readTree(bearer.body()), 4201, "非法的请求凭证");

    HttpResponse<String> inBody =
        post(api, JSON_UTF8, JSON.writeValueAsString(Map.of("access_token", token)));
    assertGatewayError(JSON.readTree(inBody.body()), 4201, "非法的请求凭证");

    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, "", Map.of()), 4201, "非法的请求凭证");
    assertGatewayError(
        call(YouzanServer.CUSTOMER_LIST, "0123456789abcdef0123456789abcdef", Map.of()),
        4203,
        "Token 不存在");

    JsonNode ok = call(YouzanServer.CUSTOMER_LIST, token, Map.of());
    assertThat(ok.path("success").asBoolean()).isTrue();
    assertThat(ok.path("message").asString()).isEqualTo("successful");
    assertThat(ok.path("trace_id").asString()).startsWith("yz7-");

    // An unknown API is refused before the token is looked at; so is a form body.
    assertGatewayError(call("youzan.scrm.customer.list/9.9.9", "", Map.of()), 4005, "非法的API");
    assertGatewayError(call("youzan.scrm.customer.nope/1.0.0", token, Map.of()), 4005, "非法的API");
    HttpResponse<String> form =
        post(api + "?access_token=" + token, "application/x-www-form-urlencoded", "page_no=1");
    assertGatewayError(JSON.readTree(form.body()), 4007, "非法的请求姿势");
    assertGatewayError(
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_no", "first")), 4010, "参数类型不匹配");

    assertThat(shop.requests()).isEqualTo(9);
    assertThat(shop.calls().get(1))
        .isEqualTo(YouzanServer.CUSTOMER_LIST + " {\"access_token\":\"" + token + "\"}");
  }

  @Test
  void expiredAndForgottenTokensAreTheirOwnErrors() throws Exception {
    at("2026-05-10T08:00:00Z");
    shop.setTokenLifetime(Duration.ofHours(2));
    String token = token();
    at("2026-05-10T09:59:59Z");
    assertThat(call(YouzanServer.CUSTOMER_LIST, token, Map.of()).path("code").asInt())
        .isEqualTo(200);
    at("2026-05-10T10:00:00Z");
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, token, Map.of()), 4202, "请求凭证过期");

    String second = token();
    shop.expireTokens();
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, second, Map.of()), 4202, "请求凭证过期");

    String third = token();
    assertThat(third).isNotIn(token, second);
    assertThat(call(YouzanServer.CUSTOMER_LIST, third, Map.of()).path("code").asInt())
        .isEqualTo(200);
    shop.forgetTokens();
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, third, Map.of()), 4203, "Token 不存在");
    assertThat(token()).isNotEqualTo(third);
  }

  @Test
  void failsOnDemandWithGatewayErrorsAndProxyPages() throws Exception {
    String token = token();
    shop.failNext(2, 4101);
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, token, Map.of()), 4101, "请求太频繁");
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, token, Map.of()), 4101, "请求太频繁");
    assertThat(call(YouzanServer.CUSTOMER_LIST, token, Map.of()).path("success").asBoolean())
        .isTrue();

    shop.failNext(1, 5001);
    assertGatewayError(call(YouzanServer.TAG_RELATION_QUERY, token, Map.of()), 5001, "系统异常");

    shop.failNextHttp(1, 502);
    HttpResponse<String> proxy =
        post("/api/" + YouzanServer.CUSTOMER_LIST + "?access_token=" + token, JSON_UTF8, "{}");
    assertThat(proxy.statusCode()).isEqualTo(502);
    assertThat(proxy.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(proxy.body()).contains("<title>502 Bad Gateway</title>");

    shop.failNextHttp(1, 503);
    assertThat(
            post("/api/" + YouzanServer.CUSTOMER_LIST + "?access_token=" + token, JSON_UTF8, "{}")
                .statusCode())
        .isEqualTo(503);
    // The token endpoint is not behind these faults.
    shop.failNext(1, 4101);
    assertThat(tokenAnswer(silent()).path("success").asBoolean()).isTrue();
    assertGatewayError(call(YouzanServer.CUSTOMER_LIST, token, Map.of()), 4101, "请求太频繁");
    assertThat(call(YouzanServer.CUSTOMER_LIST, token, Map.of()).path("success").asBoolean())
        .isTrue();
    assertThat(shop.requests()).isEqualTo(8);
    assertThat(shop.tokenRequests()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- customers

  @Test
  void listsCustomersNewestFirstWithinAnInclusiveWindowOfMilliseconds() throws Exception {
    at("2025-11-03T02:15:00Z");
    Customer chen = shop.create("陈静", "13812345678");
    at("2025-11-04T06:30:00Z");
    Customer liu = shop.create("刘洋", "15967301245");
    Customer zhao = shop.create("赵敏", null); // same second as 刘洋: ordered by yz_open_id
    at("2025-11-05T12:00:00Z");
    Customer wang = shop.create("", "18657120398");
    shop.update(liu.yzOpenId, c -> c.member = true);
    shop.update(
        chen.yzOpenId,
        c -> {
          c.gender = 2;
          c.tradeCount = 7;
          c.points = 320;
        });
    String token = token();

    List<String> sameSecond = new ArrayList<>(List.of(liu.yzOpenId, zhao.yzOpenId));
    sameSecond.sort(null);
    List<String> newestFirst = new ArrayList<>();
    newestFirst.add(wang.yzOpenId);
    newestFirst.addAll(sameSecond);
    newestFirst.add(chen.yzOpenId);

    JsonNode first = call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_size", 2));
    assertThat(first.path("success").asBoolean()).isTrue();
    JsonNode data = first.path("data");
    assertThat(data.path("total").asInt()).isEqualTo(4);
    assertThat(data.path("page_no").asInt()).isEqualTo(1);
    assertThat(ids(data.path("record_list"))).isEqualTo(newestFirst.subList(0, 2));
    JsonNode second =
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_no", 2, "page_size", 2)).path("data");
    assertThat(ids(second.path("record_list"))).isEqualTo(newestFirst.subList(2, 4));
    JsonNode third =
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_no", 3, "page_size", 2)).path("data");
    assertThat(third.path("record_list").isEmpty()).isTrue();
    assertThat(third.path("total").asInt()).isEqualTo(4);

    JsonNode record = second.path("record_list").get(1);
    assertThat(record.path("yz_open_id").asString())
        .isEqualTo(chen.yzOpenId)
        .matches("[A-Za-z0-9]{8}\\d{18}");
    assertThat(record.path("name").asString()).isEqualTo("陈静");
    assertThat(record.path("show_name").asString()).isEqualTo("陈静");
    assertThat(record.path("mobile").asString()).isEqualTo("13812345678");
    assertThat(record.path("gender").asInt()).isEqualTo(2);
    assertThat(record.path("is_member").asInt()).isZero();
    assertThat(record.path("trade_count").asInt()).isEqualTo(7);
    assertThat(record.path("points").asInt()).isEqualTo(320);
    assertThat(record.path("created_at").asLong())
        .isEqualTo(Instant.parse("2025-11-03T02:15:00Z").getEpochSecond());
    assertThat(record.path("created_member_at").asLong()).isZero();
    assertThat(record.path("is_mobile_enable").asBoolean()).isTrue();

    // Both bounds inclusive, in milliseconds.
    long from = Instant.parse("2025-11-04T06:30:00Z").toEpochMilli();
    long to = Instant.parse("2025-11-05T12:00:00Z").toEpochMilli();
    JsonNode window =
        call(
                YouzanServer.CUSTOMER_LIST,
                token,
                Map.of("created_at_start", from, "created_at_end", to, "page_size", 50))
            .path("data");
    assertThat(ids(window.path("record_list"))).isEqualTo(newestFirst.subList(0, 3));
    JsonNode narrow =
        call(
                YouzanServer.CUSTOMER_LIST,
                token,
                Map.of("created_at_start", from + 1, "created_at_end", to - 1))
            .path("data");
    assertThat(narrow.path("total").asInt()).isZero();
    // Seconds given as if they were milliseconds select nothing from 2025.
    JsonNode seconds =
        call(
                YouzanServer.CUSTOMER_LIST,
                token,
                Map.of("created_at_start", from / 1000, "created_at_end", to / 1000))
            .path("data");
    assertThat(seconds.path("total").asInt()).isZero();

    JsonNode members = call(YouzanServer.CUSTOMER_LIST, token, Map.of("is_member", 1)).path("data");
    assertThat(ids(members.path("record_list"))).containsExactly(liu.yzOpenId);
    JsonNode member = members.path("record_list").get(0);
    assertThat(member.path("is_member").asInt()).isEqualTo(1);
    assertThat(member.path("created_member_at").asLong())
        .isEqualTo(Instant.parse("2025-11-05T12:00:00Z").getEpochSecond());

    JsonNode noMobile =
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("has_mobile", false)).path("data");
    assertThat(noMobile.path("total").asInt()).isEqualTo(1);
    JsonNode zhaoRecord = noMobile.path("record_list").get(0);
    assertThat(zhaoRecord.path("yz_open_id").asString()).isEqualTo(zhao.yzOpenId);
    assertThat(zhaoRecord.path("mobile").asString()).isEmpty();
    assertThat(zhaoRecord.path("is_mobile_enable").asBoolean()).isFalse();
    JsonNode wangRecord =
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_size", 1))
            .path("data")
            .path("record_list")
            .get(0);
    assertThat(wangRecord.path("show_name").asString()).isEqualTo("18657120398");

    // A deleted customer is gone from the list.
    shop.delete(wang.yzOpenId);
    JsonNode after = call(YouzanServer.CUSTOMER_LIST, token, Map.of()).path("data");
    assertThat(after.path("total").asInt()).isEqualTo(3);
    assertThat(ids(after.path("record_list"))).isEqualTo(newestFirst.subList(1, 4));
    // A created time changed directly on the customer moves it in the list too.
    shop.customer(chen.yzOpenId).createdAt = Instant.parse("2025-11-06T00:00:00Z");
    JsonNode moved = call(YouzanServer.CUSTOMER_LIST, token, Map.of()).path("data");
    assertThat(ids(moved.path("record_list")))
        .containsExactly(chen.yzOpenId, sameSecond.get(0), sameSecond.get(1));
  }

  @Test
  void capsAListAtTenThousandResultsAndAPageAtFifty() throws Exception {
    at("2026-01-15T04:00:00Z");
    shop.generate(12_000, 7);
    String token = token();

    JsonNode last =
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_no", 200, "page_size", 50));
    assertThat(last.path("data").path("total").asInt()).isEqualTo(12_000);
    assertThat(last.path("data").path("record_list").size()).isEqualTo(50);

    JsonNode beyond =
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_no", 201, "page_size", 50));
    assertThat(beyond.toString())
        .isEqualTo(
            "{\"code\":142710032,\"data\":null,\"success\":false,\"message\":\"超过列表获取总数\","
                + "\"request_id\":null}");
    assertBusinessError(
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_no", 501)), 142710032, "超过列表获取总数");
    assertBusinessError(
        call(YouzanServer.CUSTOMER_LIST, token, Map.of("page_size", 51)),
        141400001,
        "page_size 不能超过 50");

    // Sliced by created time, every customer can be read, each once.
    long now = Instant.parse("2026-01-15T04:00:00Z").toEpochMilli();
    long middle = now - Duration.ofDays(548).toMillis();
    long[][] windows = {{0, middle}, {middle + 1, now}};
    Set<String> seen = new HashSet<>();
    int totals = 0;
    for (long[] w : windows) {
      int pageNo = 1;
      int total;
      do {
        JsonNode page =
            call(
                    YouzanServer.CUSTOMER_LIST,
                    token,
                    Map.of(
                        "page_no",
                        pageNo,
                        "page_size",
                        50,
                        "created_at_start",
                        w[0],
                        "created_at_end",
                        w[1]))
                .path("data");
        total = page.path("total").asInt();
        assertThat(total).isLessThanOrEqualTo(YouzanServer.MAX_LIST_RESULTS);
        long previous = Long.MAX_VALUE;
        for (JsonNode r : page.path("record_list")) {
          assertThat(r.path("created_at").asLong()).isLessThanOrEqualTo(previous);
          previous = r.path("created_at").asLong();
          assertThat(seen.add(r.path("yz_open_id").asString())).isTrue();
        }
        pageNo++;
      } while ((pageNo - 1) * 50 < total);
      totals += total;
    }
    assertThat(totals).isEqualTo(12_000);
    assertThat(seen).hasSize(12_000);
  }

  @Test
  void readsABatchByYzOpenIdWithoutTheDeleted() throws Exception {
    Customer chen = shop.create("陈静", "13812345678");
    Customer liu = shop.create("刘洋", "15967301245");
    Customer zhao = shop.create("赵敏", "18657120398");
    shop.delete(liu.yzOpenId);
    String token = token();
    JsonNode answer =
        call(
            YouzanServer.CUSTOMER_LIST_BY_YZ_OPEN_ID,
            token,
            Map.of(
                "yz_open_ids",
                List.of(zhao.yzOpenId, liu.yzOpenId, "LnhGm4rh576452722916618240", chen.yzOpenId)));
    assertThat(answer.path("success").asBoolean()).isTrue();
    assertThat(answer.path("data").isArray()).isTrue();
    assertThat(ids(answer.path("data"))).containsExactly(zhao.yzOpenId, chen.yzOpenId);
    assertThat(answer.path("data").get(0).path("mobile").asString()).isEqualTo("18657120398");

    List<String> many = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      many.add(chen.yzOpenId);
    }
    assertBusinessError(
        call(YouzanServer.CUSTOMER_LIST_BY_YZ_OPEN_ID, token, Map.of("yz_open_ids", many)),
        141400001,
        "yz_open_ids 不能超过 50 个");
  }

  // ---------------------------------------------------------------- tags

  private static Map<String, Object> tagBody(String type, String id, String... names) {
    List<Map<String, String>> tags = new ArrayList<>();
    for (String name : names) {
      tags.add(Map.of("tag_name", name));
    }
    return Map.of("account_type", type, "account_id", id, "tags", tags);
  }

  @Test
  void addsDeletesAndQueriesTagsByName() throws Exception {
    Customer chen = shop.create("陈静", "13812345678");
    String token = token();
    String id = chen.yzOpenId;

    JsonNode added =
        call(YouzanServer.TAG_RELATION_ADD, token, tagBody("YzOpenId", id, "高价值", "乌龙茶"));
    assertThat(added.path("success").asBoolean()).isTrue();
    assertThat(added.path("data").isBoolean()).isTrue();
    assertThat(added.path("data").asBoolean()).isTrue();
    assertThat(shop.tags(id)).containsExactly("高价值", "乌龙茶");
    // Adding a tag the customer has, and by mobile, is fine.
    call(YouzanServer.TAG_RELATION_ADD, token, tagBody("Mobile", "13812345678", "高价值", "OM:金卡"));
    assertThat(shop.tags(id)).containsExactly("高价值", "乌龙茶", "OM:金卡");

    JsonNode query =
        call(
            YouzanServer.TAG_RELATION_QUERY,
            token,
            Map.of("account", Map.of("account_type", 5, "account_id", id)));
    JsonNode data = query.path("data");
    assertThat(data.path("yz_open_id").asString()).isEqualTo(id);
    assertThat(data.path("tags").size()).isEqualTo(3);
    JsonNode tag = data.path("tags").get(0);
    assertThat(tag.path("name").asString()).isEqualTo("高价值");
    assertThat(tag.path("tag_id").isIntegralNumber()).isTrue();
    assertThat(tag.path("category_id").asInt()).isZero();
    assertThat(tag.path("category_name").asString()).isEmpty();
    long tagId = tag.path("tag_id").asLong();

    // Deleting a tag the customer lacks is no error; the tag keeps its id for the next add.
    JsonNode deleted =
        call(YouzanServer.TAG_RELATION_DELETE, token, tagBody("YzOpenId", id, "高价值", "从未有过"));
    assertThat(deleted.path("data").asBoolean()).isTrue();
    assertThat(shop.tags(id)).containsExactly("乌龙茶", "OM:金卡");
    call(YouzanServer.TAG_RELATION_ADD, token, tagBody("YzOpenId", id, "高价值"));
    JsonNode requery =
        call(
            YouzanServer.TAG_RELATION_QUERY,
            token,
            Map.of("account", Map.of("account_type", 5, "account_id", id)));
    assertThat(requery.path("data").path("tags").get(2).path("tag_id").asLong()).isEqualTo(tagId);
    assertThat(shop.tagWrites()).isEqualTo(4);

    String[] tooMany = new String[21];
    for (int i = 0; i < tooMany.length; i++) {
      tooMany[i] = "标签" + i;
    }
    assertBusinessError(
        call(YouzanServer.TAG_RELATION_ADD, token, tagBody("YzOpenId", id, tooMany)),
        141400001,
        "tags 不能超过 20 个");
    assertBusinessError(
        call(YouzanServer.TAG_RELATION_ADD, token, tagBody("YzOpenId", id, "茶".repeat(31))),
        141400002,
        "标签名称过长");
    assertThat(
            call(YouzanServer.TAG_RELATION_ADD, token, tagBody("YzOpenId", id, "茶".repeat(30)))
                .path("success")
                .asBoolean())
        .isTrue();
    assertBusinessError(
        call(
            YouzanServer.TAG_RELATION_ADD,
            token,
            tagBody("YzOpenId", "LnhGm4rh576452722916618240", "高价值")),
        142400105,
        "客户不存在");
    assertBusinessError(
        call(
            YouzanServer.TAG_RELATION_DELETE,
            token,
            tagBody("YzOpenId", "LnhGm4rh576452722916618240", "高价值")),
        142400105,
        "客户不存在");
    JsonNode fans =
        call(YouzanServer.TAG_RELATION_ADD, token, tagBody("FansID", "6733793850", "高价值"));
    assertThat(fans.path("code").asInt()).isEqualTo(141400001);
    assertThat(fans.path("success").asBoolean()).isFalse();
    assertBusinessError(
        call(
            YouzanServer.TAG_RELATION_QUERY,
            token,
            Map.of(
                "account", Map.of("account_type", 5, "account_id", "LnhGm4rh576452722916618240"))),
        142400105,
        "客户不存在");
    assertThat(shop.tagWrites()).isEqualTo(5);
    assertThat(shop.tags(id)).hasSize(4);
  }

  // ---------------------------------------------------------------- push messages

  private record Received(Map<String, String> headers, byte[] body) {}

  /** A receiver that answers each push with the body {@code answer} holds. */
  private static HttpServer receiver(
      BlockingQueue<Received> received, AtomicReference<String> answer) throws IOException {
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/youzan/push",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          Map<String, String> headers = new LinkedHashMap<>();
          for (String name : List.of("Content-Type", "Event-Sign", "Event-Type", "Client-Id")) {
            headers.put(name, exchange.getRequestHeaders().getFirst(name));
          }
          received.add(new Received(headers, body));
          byte[] reply = answer.get().getBytes(UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    hook.start();
    return hook;
  }

  private static String url(HttpServer hook) {
    return "http://127.0.0.1:" + hook.getAddress().getPort() + "/youzan/push";
  }

  /** md5 of the bytes, computed here rather than by the server under test. */
  private static String md5(byte[]... parts) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (byte[] part : parts) {
      md5.update(part);
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  @Test
  void pushesSignedCustomerEventsWithAnUrlEncodedMsg() throws Exception {
    BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    AtomicReference<String> answer = new AtomicReference<>("{\"code\":0,\"msg\":\"success\"}");
    HttpServer hook = receiver(received, answer);
    try {
      at("2026-02-20T03:04:05Z");
      Customer zhao = shop.create("赵敏", "13698765432");
      shop.update(
          zhao.yzOpenId,
          c -> {
            c.gender = 2;
            c.member = true;
          });

      Delivery delivery =
          shop.sendCustomerEvent(url(hook), YouzanServer.CUSTOMER_CREATED, zhao.yzOpenId);
      assertThat(delivery).isEqualTo(new Delivery(200, "{\"code\":0,\"msg\":\"success\"}", true));

      Received push = received.poll(10, TimeUnit.SECONDS);
      assertThat(push).isNotNull();
      assertThat(push.headers().get("Content-Type")).isEqualTo("application/json");
      assertThat(push.headers().get("Event-Type")).isEqualTo("SCRM_CUSTOMER_EVENT");
      assertThat(push.headers().get("Client-Id")).isEqualTo(YouzanServer.CLIENT_ID);
      String expectedSign =
          md5(
              YouzanServer.CLIENT_ID.getBytes(UTF_8),
              push.body(),
              YouzanServer.CLIENT_SECRET.getBytes(UTF_8));
      assertThat(push.headers().get("Event-Sign"))
          .isEqualTo(expectedSign)
          .isEqualTo(YouzanServer.eventSign(push.body()))
          .matches("[0-9a-f]{32}");

      JsonNode body = JSON.readTree(push.body());
      assertThat(body.path("client_id").asString()).isEqualTo(YouzanServer.CLIENT_ID);
      assertThat(body.path("id").asString()).isEqualTo(zhao.yzOpenId);
      assertThat(body.path("kdt_id").asLong()).isEqualTo(42583152L);
      assertThat(body.path("kdt_name").asString()).isEqualTo("林记茶铺");
      assertThat(body.path("mode").asInt()).isZero();
      assertThat(body.path("sendCount").asInt()).isZero();
      assertThat(body.path("status").asString()).isEqualTo("CUSTOMER_CREATED");
      assertThat(body.path("type").asString()).isEqualTo("SCRM_CUSTOMER_EVENT");
      assertThat(body.path("test").asBoolean()).isFalse();
      assertThat(body.path("version").asLong())
          .isEqualTo(Instant.parse("2026-02-20T03:04:05Z").toEpochMilli());
      assertThat(body.path("msg_id").asString()).matches("[0-9a-f-]{36}");
      String msg = body.path("msg").asString();
      assertThat(msg).startsWith("%7B").doesNotContain("赵");
      assertThat(body.path("sign").asString())
          .isEqualTo(
              md5((YouzanServer.CLIENT_ID + msg + YouzanServer.CLIENT_SECRET).getBytes(UTF_8)));

      JsonNode decoded = JSON.readTree(URLDecoder.decode(msg, UTF_8));
      assertThat(decoded.path("account_type").asString()).isEqualTo("YzOpenId");
      assertThat(decoded.path("account_id").asString()).isEqualTo(zhao.yzOpenId);
      assertThat(decoded.path("yz_open_id").asString()).isEqualTo(zhao.yzOpenId);
      assertThat(decoded.path("mobile").asString()).isEqualTo("13698765432");
      assertThat(decoded.path("name").asString()).isEqualTo("赵敏");
      assertThat(decoded.path("gender").asInt()).isEqualTo(2);
      assertThat(decoded.path("birthday").asString()).isEmpty();
      assertThat(decoded.path("is_member").asInt()).isEqualTo(1);
      assertThat(decoded.path("src").asInt()).isEqualTo(400);
      assertThat(decoded.path("is_log_off").asBoolean()).isFalse();

      // Versions grow even on a fixed clock; an answer without "success" is a failed delivery.
      answer.set("{\"code\":0,\"msg\":\"failed\"}");
      Delivery failed =
          shop.sendCustomerEvent(url(hook), YouzanServer.CUSTOMER_UPDATED, zhao.yzOpenId);
      assertThat(failed.success()).isFalse();
      assertThat(failed.status()).isEqualTo(200);
      JsonNode update = JSON.readTree(received.take().body());
      assertThat(update.path("version").asLong()).isGreaterThan(body.path("version").asLong());
      assertThat(update.path("msg_id").asString()).isNotEqualTo(body.path("msg_id").asString());

      // Log-off: the customer is gone and the push says so.
      answer.set("{\"code\":0,\"msg\":\"success\"}");
      assertThat(shop.sendLogOff(url(hook), zhao.yzOpenId).success()).isTrue();
      JsonNode logOff = JSON.readTree(received.take().body());
      assertThat(logOff.path("status").asString()).isEqualTo("CUSTOMER_UPDATED");
      JsonNode logOffMsg = JSON.readTree(URLDecoder.decode(logOff.path("msg").asString(), UTF_8));
      assertThat(logOffMsg.path("is_log_off").asBoolean()).isTrue();
      assertThat(shop.customer(zhao.yzOpenId)).isNull();
      assertThat(shop.customers()).isEmpty();

      // Raw: a replay with a wrong signature, and headers java.net.http sets itself are skipped.
      Map<String, String> headers = new LinkedHashMap<>(YouzanServer.pushHeaders(push.body()));
      headers.put("Event-Sign", "0".repeat(32));
      headers.put("Content-Length", "1");
      headers.put("Host", "open.youzanyun.com");
      Delivery raw = shop.sendRaw(url(hook), headers, push.body());
      assertThat(raw.success()).isTrue();
      Received replay = received.take();
      assertThat(replay.body()).isEqualTo(push.body());
      assertThat(replay.headers().get("Event-Sign")).isEqualTo("0".repeat(32));
      assertThat(shop.deliveries()).hasSize(4);
    } finally {
      hook.stop(0);
    }
  }

  @Test
  void sendsAHeartbeatAsATestMessage() throws Exception {
    BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    HttpServer hook = receiver(received, new AtomicReference<>("{\"code\":0,\"msg\":\"success\"}"));
    try {
      assertThat(shop.sendHeartbeat(url(hook)).success()).isTrue();
      Received heartbeat = received.take();
      assertThat(heartbeat.headers().get("Event-Sign"))
          .isEqualTo(YouzanServer.eventSign(heartbeat.body()));
      JsonNode body = JSON.readTree(heartbeat.body());
      assertThat(body.path("test").asBoolean()).isTrue();
      assertThat(body.path("msg").asString()).isEmpty();
      assertThat(body.path("id").asString()).isEqualTo("0");
      assertThat(body.path("kdt_id").asLong()).isEqualTo(YouzanServer.KDT_ID);
      assertThat(body.path("client_id").asString()).isEqualTo(YouzanServer.CLIENT_ID);
      assertThat(body.path("sign").asString()).isEqualTo(YouzanServer.bodySign(""));
    } finally {
      hook.stop(0);
    }
  }

  @Test
  void aTagWriteThatChangesACustomerIsPushedFromAnotherThread() throws Exception {
    BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    HttpServer hook = receiver(received, new AtomicReference<>("{\"code\":0,\"msg\":\"success\"}"));
    try {
      Customer liu = shop.create("刘洋", "15967301245");
      shop.notifyChangesTo(url(hook));
      String token = token();
      call(YouzanServer.TAG_RELATION_ADD, token, tagBody("YzOpenId", liu.yzOpenId, "高价值"));
      call(YouzanServer.TAG_RELATION_ADD, token, tagBody("YzOpenId", liu.yzOpenId, "高价值"));
      call(YouzanServer.TAG_RELATION_DELETE, token, tagBody("YzOpenId", liu.yzOpenId, "高价值"));

      for (int i = 0; i < 2; i++) { // one per changing write; pushes go out in order
        Received push = received.poll(10, TimeUnit.SECONDS);
        assertThat(push).isNotNull();
        assertThat(push.headers().get("Event-Sign")).isEqualTo(YouzanServer.eventSign(push.body()));
        JsonNode body = JSON.readTree(push.body());
        assertThat(body.path("status").asString()).isEqualTo("CUSTOMER_UPDATED");
        assertThat(body.path("id").asString()).isEqualTo(liu.yzOpenId);
      }
      assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
      assertThat(shop.tagWrites()).isEqualTo(3);
      assertThat(shop.deliveries()).hasSize(2).allMatch(Delivery::success);
    } finally {
      hook.stop(0);
    }
  }

  // ---------------------------------------------------------------- test data

  @Test
  void generatesManyCustomersQuickly() throws Exception {
    at("2026-06-01T00:00:00Z");
    long started = System.nanoTime();
    shop.generate(100_000, 42);
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(10));
    List<Customer> all = shop.customers();
    assertThat(all).hasSize(100_000);
    Instant threeYearsAgo = Instant.parse("2023-06-02T00:00:00Z");
    assertThat(all)
        .allMatch(c -> c.yzOpenId.matches("[A-Za-z0-9]{8}\\d{18}"))
        .allMatch(c -> !c.createdAt.isBefore(threeYearsAgo))
        .allMatch(c -> c.mobile == null || c.mobile.matches("1[358]\\d{9}"));
    assertThat(all.get(0).createdAt).isAfterOrEqualTo(all.get(99_999).createdAt);
    assertThat(all.stream().filter(c -> c.member).count()).isBetween(45_000L, 55_000L);

    String token = token();
    started = System.nanoTime();
    for (int page = 1; page <= 20; page++) {
      JsonNode answer =
          call(
              YouzanServer.CUSTOMER_LIST,
              token,
              Map.of("page_no", page, "page_size", 50, "is_member", 1));
      assertThat(answer.path("data").path("record_list").size()).isEqualTo(50);
    }
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
  }
}
