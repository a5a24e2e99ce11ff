package com.onemember.connectors.wechat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.wechat.WeChatServer.App;
import com.onemember.connectors.wechat.WeChatServer.Decrypted;
import com.onemember.connectors.wechat.WeChatServer.Delivery;
import com.onemember.connectors.wechat.WeChatServer.Format;
import com.onemember.connectors.wechat.WeChatServer.Mode;
import com.onemember.connectors.wechat.WeChatServer.Person;
import com.onemember.connectors.wechat.WeChatServer.Verification;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The WeChat stand-in speaks the protocol the connector relies on, checked over a real socket. */
class WeChatServerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The brand's member mini-program and its shop mini-program, both bound to its open account. */
  private static final String MEMBER = "wx1a2b3c4d5e6f7a8b";

  private static final String MEMBER_SECRET = "3f9c1e7a5b2d8f4c6e0a9b3d7f1c5e2a";
  private static final String SHOP = "wx7c6d5e4f3a2b1c0d";
  private static final String SHOP_SECRET = "8e2b6f0a4c9d3e7b1f5a8c2d6e0b4f9a";

  /** A mini-program of a franchisee, not bound to the brand's open platform account. */
  private static final String FRANCHISE = "wx2f3e4d5c6b7a8f9e";

  private static final String FRANCHISE_SECRET = "c4a8e2f6b0d9c3a7e1f5b9d3c7a2e6f0";

  /** 2024-12-06 08:00:00 UTC, 16:00 in Beijing. */
  private static final Instant T0 = Instant.ofEpochSecond(1733472000L);

  private static final String CARD_ID = "pGZUI0xZ3bM6bPJb1kOfXHfAe7gQ";

  /** WeChat's published example (mini-program message push docs). */
  private static final String DOC_TOKEN = "AAAAA";

  private static final String DOC_AES_KEY = "A".repeat(43);
  private static final String DOC_APP_ID = "wxba5fad812f8e6fb9";
  private static final String DOC_ENCRYPT =
      "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZq"
          + "zDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3"
          + "Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIY"
          + "nSeOBrebufAlr7F9mFUPAJGj04=";
  private static final String DOC_MESSAGE =
      "{\"ToUserName\":\"gh_97417a04a28d\",\"FromUserName\":\"o9AgO5Kd5ggOC-bXrbNODIiE3bGY\","
          + "\"CreateTime\":1714112445,\"MsgType\":\"event\",\"Event\":\"debug_demo\","
          + "\"debug_str\":\"hello world\"}";

  private WeChatServer wx;
  private App member;
  private App shop;
  private App franchise;
  private Person wang;
  private Person li;
  private Person chen;

  @BeforeEach
  void start() throws IOException {
    wx = new WeChatServer();
    at(T0);
    member = wx.addApp(MEMBER, MEMBER_SECRET);
    shop = wx.addApp(SHOP, SHOP_SECRET, true, "gh_3f2e1d0c9b8a");
    franchise = wx.addApp(FRANCHISE, FRANCHISE_SECRET, false);
    wang = wx.addPerson("oZ9Fq5vtPeQ6g8C1ZxJrS3nLQk0M", "13812345678", "王芳");
    li = wx.addPerson("oZ9Fq5sXn2Lr8Wd4Kq7Tm1Hc6BvY", "15967301245", "李娜");
    chen = wx.addPerson("oZ9Fq5b7Yk3Pw9Rt2Lm6Nc8Vd0Qa", "+852 61234567", "陈伟");
  }

  @AfterEach
  void stop() {
    wx.close();
  }

  private void at(Instant instant) {
    wx.setClock(Clock.fixed(instant, ZoneOffset.UTC));
  }

  // ---------------------------------------------------------------- client side helpers

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(wx.baseUrl() + pathAndQuery)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(wx.baseUrl() + pathAndQuery))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  /** The JSON answer, after checking it came as HTTP 200 with WeChat's content type. */
  private static JsonNode api(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; encoding=utf-8");
    return JSON.readTree(response.body());
  }

  private static void assertError(JsonNode answer, int errcode, String errmsg) {
    assertThat(answer.path("errcode").isInt()).isTrue();
    assertThat(answer.path("errcode").asInt()).isEqualTo(errcode);
    assertThat(answer.path("errmsg").asString())
        .startsWith(errmsg)
        .matches(".* rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
    assertThat(answer.propertyNames()).containsExactly("errcode", "errmsg");
  }

  private JsonNode tokenAnswer(String appId, String secret) throws Exception {
    return api(
        get("/cgi-bin/token?grant_type=client_credential&appid=" + appId + "&secret=" + secret));
  }

  private String token(String appId, String secret) throws Exception {
    return tokenAnswer(appId, secret).path("access_token").asString();
  }

  private JsonNode stable(String appId, String secret, Boolean forceRefresh) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("grant_type", "client_credential");
    body.put("appid", appId);
    body.put("secret", secret);
    if (forceRefresh != null) {
      body.put("force_refresh", forceRefresh);
    }
    return api(post("/cgi-bin/stable_token", JSON.writeValueAsString(body)));
  }

  private JsonNode phone(String token, String code) throws Exception {
    return api(
        post(
            "/wxa/business/getuserphonenumber?access_token=" + token,
            JSON.writeValueAsString(Map.of("code", code))));
  }

  /** getuserphonenumber with a fresh code of the member app for 王芳: 0 when the token works. */
  private int phoneErrcode(String token) throws Exception {
    return phone(token, wx.phoneCode(MEMBER, wang)).path("errcode").asInt();
  }

  private HttpResponse<String> session(String appId, String secret, String code) throws Exception {
    return get(
        "/sns/jscode2session?appid="
            + appId
            + "&secret="
            + secret
            + "&js_code="
            + code
            + "&grant_type=authorization_code");
  }

  private static JsonNode sns(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
    return JSON.readTree(response.body());
  }

  /** SHA-1 of the sorted parts, computed here rather than by the server under test. */
  private static String sha1(String... parts) throws Exception {
    List<String> sorted = Arrays.stream(parts).sorted().toList();
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    for (String part : sorted) {
      sha1.update(part.getBytes(UTF_8));
    }
    return HexFormat.of().formatHex(sha1.digest());
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void issuesANewTokenEachTimeAndKeepsTheReplacedOneFiveMinutes() throws Exception {
    JsonNode first = tokenAnswer(MEMBER, MEMBER_SECRET);
    assertThat(first.propertyNames()).containsExactly("access_token", "expires_in");
    assertThat(first.path("expires_in").asInt()).isEqualTo(7200);
    String t1 = first.path("access_token").asString();
    assertThat(t1).matches("\\d{2}_[A-Za-z0-9_-]{133}");
    assertThat(phoneErrcode(t1)).isZero();

    at(T0.plusSeconds(60));
    String t2 = token(MEMBER, MEMBER_SECRET);
    assertThat(t2).isNotEqualTo(t1);
    at(T0.plusSeconds(60 + 299));
    assertThat(phoneErrcode(t1)).isZero();
    assertThat(phoneErrcode(t2)).isZero();
    at(T0.plusSeconds(60 + 300));
    assertError(phone(t1, wx.phoneCode(MEMBER, wang)), 40001, "invalid credential");
    assertThat(phoneErrcode(t2)).isZero();

    // Two refreshes in a row: the one before the previous is gone at once.
    String t3 = token(MEMBER, MEMBER_SECRET);
    assertThat(phoneErrcode(t2)).isZero();
    String t4 = token(MEMBER, MEMBER_SECRET);
    assertError(phone(t2, wx.phoneCode(MEMBER, wang)), 40001, "invalid credential");
    assertThat(phoneErrcode(t3)).isZero();

    // Another app's token is its own: the member app's tokens are not touched by it.
    String shopToken = token(SHOP, SHOP_SECRET);
    assertThat(phoneErrcode(t4)).isZero();
    assertThat(phone(shopToken, wx.phoneCode(SHOP, wang)).path("errcode").asInt()).isZero();

    // 7200 s after it was issued the token has expired.
    at(T0.plusSeconds(60 + 300 + 7199));
    assertThat(phoneErrcode(t4)).isZero();
    at(T0.plusSeconds(60 + 300 + 7200));
    assertError(phone(t4, wx.phoneCode(MEMBER, wang)), 42001, "access_token expired");
    assertThat(wx.tokenRequests()).isEqualTo(5);
  }

  @Test
  void refusesTokenRequestsAsWeChatDoes() throws Exception {
    assertError(
        api(get("/cgi-bin/token?grant_type=password&appid=" + MEMBER + "&secret=" + MEMBER_SECRET)),
        40002,
        "invalid grant_type");
    assertError(
        api(get("/cgi-bin/token?grant_type=client_credential&secret=" + MEMBER_SECRET)),
        41002,
        "appid missing");
    assertError(tokenAnswer("wx0000000000000000", MEMBER_SECRET), 40013, "invalid appid");
    assertError(tokenAnswer(MEMBER, SHOP_SECRET), 40125, "invalid appsecret");
    assertError(
        api(get("/cgi-bin/token?grant_type=client_credential&appid=" + MEMBER)),
        41004,
        "appsecret missing");
    assertThat(wx.tokenRequests()).isEqualTo(5);
    assertThat(wx.calls()).containsOnly("GET /cgi-bin/token");
  }

  @Test
  void expiredAndInvalidatedTokensAreRefused() throws Exception {
    String token = token(MEMBER, MEMBER_SECRET);
    String stableToken = stable(MEMBER, MEMBER_SECRET, null).path("access_token").asString();
    wx.expireTokens();
    assertError(phone(token, wx.phoneCode(MEMBER, wang)), 42001, "access_token expired");
    assertError(phone(stableToken, wx.phoneCode(MEMBER, wang)), 42001, "access_token expired");

    // The next requests give new tokens, the stable one too.
    String renewed = token(MEMBER, MEMBER_SECRET);
    String stableRenewed = stable(MEMBER, MEMBER_SECRET, false).path("access_token").asString();
    assertThat(renewed).isNotEqualTo(token);
    assertThat(stableRenewed).isNotEqualTo(stableToken);
    assertThat(phoneErrcode(renewed)).isZero();
    assertThat(phoneErrcode(stableRenewed)).isZero();

    wx.invalidateTokens();
    assertError(
        phone(renewed, wx.phoneCode(MEMBER, wang)),
        40001,
        "invalid credential, access_token is invalid or not latest");
    assertError(phone(stableRenewed, wx.phoneCode(MEMBER, wang)), 40001, "invalid credential");
    assertThat(stable(MEMBER, MEMBER_SECRET, false).path("access_token").asString())
        .isNotEqualTo(stableRenewed);

    assertError(phone("not-a-token", wx.phoneCode(MEMBER, wang)), 40001, "invalid credential");
    assertError(
        api(post("/wxa/business/getuserphonenumber", "{\"code\":\"x\"}")),
        41001,
        "access_token missing");
  }

  @Test
  void stableTokenIsTheSameWhileValidAndIsolatedFromTheOther() throws Exception {
    JsonNode first = stable(MEMBER, MEMBER_SECRET, null);
    assertThat(first.propertyNames()).containsExactly("access_token", "expires_in");
    String s1 = first.path("access_token").asString();
    assertThat(first.path("expires_in").asInt()).isEqualTo(7200);

    // Normal mode: the same token, with the time it has left.
    at(T0.plusSeconds(1000));
    JsonNode again = stable(MEMBER, MEMBER_SECRET, false);
    assertThat(again.path("access_token").asString()).isEqualTo(s1);
    assertThat(again.path("expires_in").asInt()).isEqualTo(6200);

    // getAccessToken does not touch it, nor it getAccessToken's.
    String normal = token(MEMBER, MEMBER_SECRET);
    assertThat(normal).isNotEqualTo(s1);
    assertThat(phoneErrcode(s1)).isZero();
    assertThat(stable(MEMBER, MEMBER_SECRET, null).path("access_token").asString()).isEqualTo(s1);
    assertThat(phoneErrcode(normal)).isZero();

    // Force refresh: a new token, and the old one is gone at once.
    JsonNode forced = stable(MEMBER, MEMBER_SECRET, true);
    String s2 = forced.path("access_token").asString();
    assertThat(s2).isNotEqualTo(s1);
    assertThat(forced.path("expires_in").asInt()).isEqualTo(7200);
    assertError(phone(s1, wx.phoneCode(MEMBER, wang)), 40001, "invalid credential");
    assertThat(phoneErrcode(s2)).isZero();

    // In its last 5 minutes a new one is given, and the old one works to its end.
    at(T0.plusSeconds(1000 + 7200 - 301));
    assertThat(stable(MEMBER, MEMBER_SECRET, false).path("access_token").asString()).isEqualTo(s2);
    at(T0.plusSeconds(1000 + 7200 - 300));
    String s3 = stable(MEMBER, MEMBER_SECRET, false).path("access_token").asString();
    assertThat(s3).isNotEqualTo(s2);
    assertThat(phoneErrcode(s2)).isZero();
    at(T0.plusSeconds(1000 + 7200));
    assertError(phone(s2, wx.phoneCode(MEMBER, wang)), 42001, "access_token expired");
    assertThat(phoneErrcode(s3)).isZero();

    // Refusals.
    assertError(api(get("/cgi-bin/stable_token")), 43002, "require POST method");
    assertError(api(post("/cgi-bin/stable_token", "grant_type=client_credential")), 47001, "data");
    assertError(
        api(
            post(
                "/cgi-bin/stable_token",
                "{\"grant_type\":\"client_credential\",\"appid\":\""
                    + MEMBER
                    + "\",\"secret\":\""
                    + MEMBER_SECRET
                    + "\",\"force_refresh\":\"yes\"}")),
        47001,
        "data format error");
    assertError(stable(MEMBER, SHOP_SECRET, null), 40125, "invalid appsecret");
    assertError(stable("wx0000000000000000", MEMBER_SECRET, null), 40013, "invalid appid");
    assertThat(wx.tokenRequests()).isEqualTo(12);
  }

  // ---------------------------------------------------------------- jscode2session

  @Test
  void exchangesALoginCodeOnceWithinFiveMinutes() throws Exception {
    String code = wx.loginCode(MEMBER, wang);
    assertThat(code).matches("[A-Za-z0-9]{32}");
    JsonNode answer = sns(session(MEMBER, MEMBER_SECRET, code));
    assertThat(answer.has("errcode")).isFalse();
    assertThat(answer.propertyNames())
        .containsExactlyInAnyOrder("session_key", "openid", "unionid");
    assertThat(answer.path("openid").asString())
        .isEqualTo(wang.openid(MEMBER))
        .matches("o[A-Za-z0-9_-]{27}");
    assertThat(answer.path("unionid").asString()).isEqualTo("oZ9Fq5vtPeQ6g8C1ZxJrS3nLQk0M");
    String sessionKey = answer.path("session_key").asString();
    assertThat(Base64.getDecoder().decode(sessionKey)).hasSize(16);
    assertThat(wx.sessionKey(MEMBER, wang)).isEqualTo(sessionKey);

    assertSnsError(session(MEMBER, MEMBER_SECRET, code), 40163, "code been used");
    assertSnsError(session(MEMBER, MEMBER_SECRET, "0".repeat(32)), 40029, "invalid code");

    // Valid for 5 minutes on the server's clock.
    String late = wx.loginCode(MEMBER, wang);
    String inTime = wx.loginCode(MEMBER, wang);
    at(T0.plusSeconds(299));
    assertThat(sns(session(MEMBER, MEMBER_SECRET, inTime)).path("openid").asString())
        .isEqualTo(wang.openid(MEMBER));
    at(T0.plusSeconds(300));
    assertSnsError(session(MEMBER, MEMBER_SECRET, late), 40029, "invalid code");

    // A code is for the app that issued it, and a phone code is no login code.
    String forMember = wx.loginCode(MEMBER, li);
    assertSnsError(session(SHOP, SHOP_SECRET, forMember), 40029, "invalid code");
    assertSnsError(session(MEMBER, MEMBER_SECRET, wx.phoneCode(MEMBER, li)), 40029, "invalid code");

    // Refused credentials and parameters consume nothing.
    assertSnsError(session(MEMBER, SHOP_SECRET, forMember), 40125, "invalid appsecret");
    assertSnsError(session("wx0000000000000000", MEMBER_SECRET, forMember), 40013, "invalid appid");
    assertSnsError(
        get(
            "/sns/jscode2session?appid="
                + MEMBER
                + "&secret="
                + MEMBER_SECRET
                + "&js_code="
                + forMember
                + "&grant_type=client_credential"),
        40002,
        "invalid grant_type");
    assertSnsError(
        get(
            "/sns/jscode2session?appid="
                + MEMBER
                + "&secret="
                + MEMBER_SECRET
                + "&grant_type=authorization_code"),
        41008,
        "missing code");
    assertThat(sns(session(MEMBER, MEMBER_SECRET, forMember)).path("openid").asString())
        .isEqualTo(li.openid(MEMBER));
    assertThat(wx.tokenRequests()).isZero();
  }

  private static void assertSnsError(HttpResponse<String> response, int errcode, String errmsg) {
    assertError(sns(response), errcode, errmsg);
  }

  @Test
  void rateLimitsAndSystemErrorsConsumeNoCode() throws Exception {
    String code = wx.loginCode(MEMBER, wang);
    wx.rateLimitNext(2);
    wx.failNext(1);
    assertSnsError(
        session(MEMBER, MEMBER_SECRET, code),
        45011,
        "api minute-quota reach limit mustslower retry next minute");
    assertSnsError(session(MEMBER, MEMBER_SECRET, code), 45011, "api minute-quota");
    assertSnsError(session(MEMBER, MEMBER_SECRET, code), -1, "system error");
    assertThat(sns(session(MEMBER, MEMBER_SECRET, code)).path("openid").asString())
        .isEqualTo(wang.openid(MEMBER));

    // The same on getuserphonenumber; token requests are not affected.
    String phoneCode = wx.phoneCode(MEMBER, wang);
    wx.rateLimitNext(1);
    wx.failNext(1);
    String token = token(MEMBER, MEMBER_SECRET);
    assertError(phone(token, phoneCode), 45011, "api minute-quota");
    assertError(phone(token, phoneCode), -1, "system error");
    assertThat(phone(token, phoneCode).path("errcode").asInt()).isZero();
    assertThat(wx.calls())
        .containsExactly(
            "GET /sns/jscode2session",
            "GET /sns/jscode2session",
            "GET /sns/jscode2session",
            "GET /sns/jscode2session",
            "GET /cgi-bin/token",
            "POST /wxa/business/getuserphonenumber",
            "POST /wxa/business/getuserphonenumber",
            "POST /wxa/business/getuserphonenumber");
  }

  @Test
  void unionidOnlyForBoundAppsAndTheSameAcrossThem() throws Exception {
    JsonNode inMember = sns(session(MEMBER, MEMBER_SECRET, wx.loginCode(MEMBER, wang)));
    JsonNode inShop = sns(session(SHOP, SHOP_SECRET, wx.loginCode(SHOP, wang)));
    JsonNode inFranchise = sns(session(FRANCHISE, FRANCHISE_SECRET, wx.loginCode(FRANCHISE, wang)));

    assertThat(inMember.path("unionid").asString())
        .isEqualTo(inShop.path("unionid").asString())
        .isEqualTo(wang.unionid());
    assertThat(inFranchise.has("unionid")).isFalse();
    assertThat(inFranchise.propertyNames()).containsExactlyInAnyOrder("session_key", "openid");

    Set<String> openids =
        new HashSet<>(
            List.of(
                inMember.path("openid").asString(),
                inShop.path("openid").asString(),
                inFranchise.path("openid").asString()));
    assertThat(openids).hasSize(3).allMatch(id -> id.matches("o[A-Za-z0-9_-]{27}"));
    assertThat(inShop.path("openid").asString()).isEqualTo(wang.openid(SHOP));

    // Openids of one app share a prefix, as WeChat's do; people differ after it.
    assertThat(li.openid(MEMBER)).startsWith(wang.openid(MEMBER).substring(0, 6));
    assertThat(li.openid(MEMBER)).isNotEqualTo(wang.openid(MEMBER));
    assertThat(wx.personByOpenid(SHOP, wang.openid(SHOP))).isEqualTo(wang);
    assertThat(wx.personByOpenid(SHOP, wang.openid(MEMBER))).isNull();
    assertThat(member.unionBound()).isTrue();
    assertThat(franchise.unionBound()).isFalse();
  }

  // ---------------------------------------------------------------- getuserphonenumber

  @Test
  void givesThePhoneNumberOnceToTheAppThatAskedForIt() throws Exception {
    String token = token(MEMBER, MEMBER_SECRET);
    String code = wx.phoneCode(MEMBER, wang);
    assertThat(code).matches("[0-9a-f]{64}");
    HttpResponse<String> response =
        post(
            "/wxa/business/getuserphonenumber?access_token=" + token,
            "{\"code\":\"" + code + "\"}");
    JsonNode answer = api(response);
    assertThat(answer.propertyNames()).containsExactly("errcode", "errmsg", "phone_info");
    assertThat(answer.path("errcode").asInt()).isZero();
    assertThat(answer.path("errmsg").asString()).isEqualTo("ok");
    JsonNode info = answer.path("phone_info");
    assertThat(info.path("phoneNumber").asString()).isEqualTo("13812345678");
    assertThat(info.path("purePhoneNumber").asString()).isEqualTo("13812345678");
    assertThat(info.path("countryCode").isString()).isTrue();
    assertThat(info.path("countryCode").asString()).isEqualTo("86");
    assertThat(info.path("watermark").path("timestamp").asLong()).isEqualTo(1733472000L);
    assertThat(info.path("watermark").path("appid").asString()).isEqualTo(MEMBER);

    assertError(phone(token, code), 40029, "invalid code");
    assertError(phone(token, "f".repeat(64)), 40029, "invalid code");
    assertError(phone(token, wx.phoneCode(SHOP, wang)), 40029, "invalid code");
    assertError(phone(token, wx.loginCode(MEMBER, wang)), 40029, "invalid code");
    String late = wx.phoneCode(MEMBER, li);
    at(T0.plusSeconds(300));
    assertError(phone(token, late), 40029, "invalid code");

    assertError(
        api(get("/wxa/business/getuserphonenumber?access_token=" + token)),
        43002,
        "require POST method");
    assertError(
        api(post("/wxa/business/getuserphonenumber?access_token=" + token, "code=abc")),
        47001,
        "data format error");
    assertError(
        api(post("/wxa/business/getuserphonenumber?access_token=" + token, "{}")),
        41008,
        "missing code");

    // A foreign number has its country code in phoneNumber; countryCode may come as a number.
    JsonNode hongKong = phone(token, wx.phoneCode(MEMBER, chen)).path("phone_info");
    assertThat(hongKong.path("phoneNumber").asString()).isEqualTo("+85261234567");
    assertThat(hongKong.path("purePhoneNumber").asString()).isEqualTo("61234567");
    assertThat(hongKong.path("countryCode").asString()).isEqualTo("852");
    wx.countryCodeAsNumber(true);
    JsonNode numeric = phone(token, wx.phoneCode(MEMBER, li)).path("phone_info");
    assertThat(numeric.path("countryCode").isInt()).isTrue();
    assertThat(numeric.path("countryCode").asInt()).isEqualTo(86);
    assertThat(numeric.path("purePhoneNumber").asString()).isEqualTo("15967301245");
  }

  @Test
  void refusesBadAppsAndPeople() {
    assertThatThrownBy(() -> wx.addApp("wxABCDEF", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wx.addApp(MEMBER, MEMBER_SECRET))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wx.addPerson(wang.unionid(), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wx.addPerson("oZ9Fq5AAAAAAAAAAAAAAAAAAAAAA", "13812345678"))
        .hasMessageContaining("13812345678");
    assertThatThrownBy(() -> wx.addPerson("oZ9Fq5BBBBBBBBBBBBBBBBBBBBBB", "12345"))
        .isInstanceOf(IllegalArgumentException.class);
    Person noPhone = wx.addPerson("oZ9Fq5CCCCCCCCCCCCCCCCCCCCCC", null);
    assertThatThrownBy(() -> wx.phoneCode(MEMBER, noPhone))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wx.loginCode("wx0000000000000000", wang))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wx.setPushConfig(MEMBER, "token", "tooShort"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- crypto, WeChat's vectors

  @Test
  void signsAndEncryptsAsWeChatsPublishedExamples() {
    // URL check, plain push, and the signature and msg_signature of a safe push.
    assertThat(WeChatServer.signature(DOC_TOKEN, "1714036504", "1514711492"))
        .isEqualTo("f464b24fc39322e44b38aa78f5edd27bd1441696");
    assertThat(WeChatServer.signature(DOC_TOKEN, "1714037059", "486452656"))
        .isEqualTo("899cf89e464efb63f54ddac96b0a0a235f53aa78");
    assertThat(WeChatServer.signature(DOC_TOKEN, "1714112445", "415670741"))
        .isEqualTo("6c5c811b55cc85e0e1b54100749188c20beb3f5d");
    assertThat(WeChatServer.signature(DOC_TOKEN, "1714112445", "415670741", DOC_ENCRYPT))
        .isEqualTo("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3");
    assertThat(
            WeChatServer.pushQuery(
                DOC_TOKEN, 1714112445L, "415670741", "o9AgO5Kd5ggOC-bXrbNODIiE3bGY", DOC_ENCRYPT))
        .containsExactly(
            Map.entry("signature", "6c5c811b55cc85e0e1b54100749188c20beb3f5d"),
            Map.entry("timestamp", "1714112445"),
            Map.entry("nonce", "415670741"),
            Map.entry("openid", "o9AgO5Kd5ggOC-bXrbNODIiE3bGY"),
            Map.entry("encrypt_type", "aes"),
            Map.entry("msg_signature", "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3"));

    // The published ciphertext decrypts to the published event, from the published app.
    Decrypted decrypted = WeChatServer.decrypt(DOC_AES_KEY, DOC_ENCRYPT);
    assertThat(decrypted.message()).isEqualTo(DOC_MESSAGE).hasSize(167);
    assertThat(decrypted.appId()).isEqualTo(DOC_APP_ID);
    assertThat(WeChatServer.decrypt(DOC_AES_KEY, DOC_APP_ID, DOC_ENCRYPT)).isEqualTo(DOC_MESSAGE);
    assertThatThrownBy(() -> WeChatServer.decrypt(DOC_AES_KEY, MEMBER, DOC_ENCRYPT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DOC_APP_ID);

    // The published reply: the same 16 "random" bytes give the same ciphertext and signature.
    String reply =
        WeChatServer.encrypt(
            DOC_AES_KEY,
            DOC_APP_ID,
            "{\"demo_resp\":\"good luck\"}",
            "707722b803182950".getBytes(UTF_8));
    assertThat(reply)
        .isEqualTo(
            "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==");
    assertThat(WeChatServer.signature(DOC_TOKEN, "1713424427", "415670741", reply))
        .isEqualTo("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1");

    // Round trips, Chinese text included, pad to 32-byte blocks (a full block when aligned).
    String key = member.encodingAesKey();
    for (String text : List.of("", "success", "王芳领取了会员卡 ]]> <x/>", "x".repeat(1000))) {
      String encrypted = WeChatServer.encrypt(key, MEMBER, text);
      assertThat(Base64.getDecoder().decode(encrypted).length % 32).isZero();
      assertThat(WeChatServer.decrypt(key, MEMBER, encrypted)).isEqualTo(text);
      assertThat(WeChatServer.encrypt(key, MEMBER, text)).isNotEqualTo(encrypted);
    }
    String aligned = "x".repeat(32 - 20 - MEMBER.length() + 32);
    assertThat(Base64.getDecoder().decode(WeChatServer.encrypt(key, MEMBER, aligned))).hasSize(96);

    // A wrong key or a changed ciphertext does not decrypt.
    assertThatThrownBy(() -> WeChatServer.decrypt(shop.encodingAesKey(), DOC_ENCRYPT))
        .isInstanceOf(IllegalArgumentException.class);
    String changed = "A" + DOC_ENCRYPT.substring(1, DOC_ENCRYPT.length() - 6) + "AAAAA=";
    assertThatThrownBy(() -> WeChatServer.decrypt(DOC_AES_KEY, changed))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WeChatServer.decrypt(DOC_AES_KEY, "not base64!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WeChatServer.decrypt("short", DOC_ENCRYPT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- the hub's side

  private record Received(
      String method,
      String rawQuery,
      Map<String, String> query,
      Map<String, String> headers,
      String body) {}

  /** A stand-in for the hub's push endpoint: records each request, answers as told. */
  private static final class Hook implements AutoCloseable {
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicReference<String> answer = new AtomicReference<>("success");
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicLong delayMillis = new AtomicLong();

    /** For URL checks: answers echostr when the signature is right for this token. */
    final AtomicReference<String> token = new AtomicReference<>();

    final HttpServer server;

    Hook() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/wechat/push",
          exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            Map<String, String> query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
              int eq = pair.indexOf('=');
              query.put(
                  URLDecoder.decode(pair.substring(0, eq), UTF_8),
                  URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name :
                List.of("Content-Type", "User-Agent", "Accept", "Pragma", "X-Probe", "Host")) {
              headers.put(name, exchange.getRequestHeaders().getFirst(name));
            }
            received.add(new Received(exchange.getRequestMethod(), raw, query, headers, body));
            String reply = answer.get();
            if (exchange.getRequestMethod().equals("GET") && token.get() != null) {
              try {
                boolean signed =
                    query
                        .get("signature")
                        .equals(sha1(token.get(), query.get("timestamp"), query.get("nonce")));
                reply = signed ? query.get("echostr") : "bad signature";
              } catch (Exception e) {
                reply = e.toString();
              }
            }
            try {
              Thread.sleep(delayMillis.get());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            byte[] bytes = reply.getBytes(UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/wechat/push";
    }

    Received take() throws InterruptedException {
      Received r = received.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("a request reached the hook").isNotNull();
      return r;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** The child elements of an XML document's root, by name, parsed with DOCTYPEs refused. */
  private static Map<String, String> xml(String document) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element root =
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(document.getBytes(UTF_8)))
            .getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("xml");
    Map<String, String> fields = new LinkedHashMap<>();
    NodeList children = root.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node child = children.item(i);
      if (child.getNodeType() == Node.ELEMENT_NODE) {
        fields.put(child.getNodeName(), child.getTextContent());
      }
    }
    return fields;
  }

  @Test
  void verifiesTheUrlWithASignedEchostr() throws Exception {
    try (Hook hook = new Hook()) {
      hook.token.set(member.pushToken());
      Verification ok = wx.verifyUrl(hook.url(), member.pushToken());
      assertThat(ok.passed()).isTrue();
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo(ok.echostr()).matches("\\d{19}");
      Received check = hook.take();
      assertThat(check.method()).isEqualTo("GET");
      assertThat(check.query().keySet())
          .containsExactly("signature", "echostr", "timestamp", "nonce");
      assertThat(check.query().get("timestamp")).isEqualTo("1733472000");
      assertThat(check.query().get("nonce")).matches("\\d{9,10}");
      assertThat(check.query().get("signature"))
          .isEqualTo(sha1(member.pushToken(), "1733472000", check.query().get("nonce")));

      // Signed with another token: the hook refuses, and the check fails.
      Verification refused = wx.verifyUrl(hook.url(), shop.pushToken());
      assertThat(refused.passed()).isFalse();
      assertThat(refused.body()).isEqualTo("bad signature");
      assertThat(refused.echostr()).isNotEqualTo(ok.echostr());
    }
  }

  @Test
  void aSafeJsonPushDecryptsToThePlainEvent() throws Exception {
    try (Hook hook = new Hook()) {
      Delivery delivery =
          wx.userGetCard(hook.url(), MEMBER, wang, CARD_ID, "883920117356", Mode.SAFE, Format.JSON);
      assertThat(delivery.status()).isEqualTo(200);
      assertThat(delivery.answer()).isEqualTo("success");
      assertThat(delivery.counted()).isTrue();
      assertThat(wx.deliveries()).containsExactly(delivery);

      Received push = hook.take();
      assertThat(push.method()).isEqualTo("POST");
      assertThat(push.headers().get("Content-Type")).isEqualTo("application/json");
      assertThat(push.headers().get("User-Agent")).isEqualTo("Mozilla/4.0");
      assertThat(push.query().keySet())
          .containsExactly(
              "signature", "timestamp", "nonce", "openid", "encrypt_type", "msg_signature");
      assertThat(push.query()).isEqualTo(delivery.query());
      String timestamp = push.query().get("timestamp");
      String nonce = push.query().get("nonce");
      assertThat(timestamp).isEqualTo("1733472000");
      assertThat(push.query().get("openid")).isEqualTo(wang.openid(MEMBER));
      assertThat(push.query().get("encrypt_type")).isEqualTo("aes");
      assertThat(push.query().get("signature"))
          .isEqualTo(sha1(member.pushToken(), timestamp, nonce));

      JsonNode envelope = JSON.readTree(push.body());
      assertThat(envelope.propertyNames()).containsExactly("ToUserName", "Encrypt");
      assertThat(envelope.path("ToUserName").asString())
          .isEqualTo(member.originalId())
          .matches("gh_[0-9a-f]{12}");
      String encrypt = envelope.path("Encrypt").asString();
      assertThat(push.query().get("msg_signature"))
          .isEqualTo(sha1(member.pushToken(), timestamp, nonce, encrypt));

      String plain = WeChatServer.decrypt(member.encodingAesKey(), MEMBER, encrypt);
      assertThat(plain).isEqualTo(delivery.plain());
      JsonNode event = JSON.readTree(plain);
      assertThat(event.propertyNames())
          .containsExactly(
              "ToUserName",
              "FromUserName",
              "CreateTime",
              "MsgType",
              "Event",
              "CardId",
              "IsGiveByFriend",
              "UserCardCode",
              "FriendUserName",
              "OuterId",
              "OldUserCardCode",
              "OuterStr",
              "IsRestoreMemberCard",
              "UnionId");
      assertThat(event.path("ToUserName").asString()).isEqualTo(member.originalId());
      assertThat(event.path("FromUserName").asString()).isEqualTo(wang.openid(MEMBER));
      assertThat(event.path("CreateTime").isIntegralNumber()).isTrue();
      assertThat(event.path("CreateTime").asLong()).isEqualTo(1733472000L);
      assertThat(event.path("MsgType").asString()).isEqualTo("event");
      assertThat(event.path("Event").asString()).isEqualTo("user_get_card");
      assertThat(event.path("CardId").asString()).isEqualTo(CARD_ID);
      assertThat(event.path("UserCardCode").isString()).isTrue();
      assertThat(event.path("UserCardCode").asString()).isEqualTo("883920117356");
      assertThat(event.path("IsGiveByFriend").isInt()).isTrue();
      assertThat(event.path("IsGiveByFriend").asInt()).isZero();
      assertThat(event.path("IsRestoreMemberCard").asInt()).isZero();
      assertThat(event.path("FriendUserName").asString()).isEmpty();
      assertThat(event.path("UnionId").asString()).isEqualTo(wang.unionid());
      assertThat(WeChatServer.decrypt(member.encodingAesKey(), encrypt).appId()).isEqualTo(MEMBER);
    }
  }

  @Test
  void aSafeXmlPushDecryptsToThePlainEvent() throws Exception {
    String key = "kU7vXq2Lr9Wd4Tm1Hc6BvYp3Ns8Ga5Jf0Ze7Qx2Rb4L";
    App configured = wx.setPushConfig(SHOP, "OneMemberHub2024", key);
    assertThat(configured.pushToken()).isEqualTo("OneMemberHub2024");
    assertThat(wx.app(SHOP).encodingAesKey()).isEqualTo(key);
    at(T0.plusSeconds(90));
    try (Hook hook = new Hook()) {
      Delivery delivery =
          wx.submitMemberCardUserInfo(
              hook.url(), SHOP, li, CARD_ID, "883920117357", Mode.SAFE, Format.XML);
      assertThat(delivery.counted()).isTrue();
      Received push = hook.take();
      assertThat(push.headers().get("Content-Type")).isEqualTo("text/xml");
      String timestamp = push.query().get("timestamp");
      assertThat(timestamp).isEqualTo("1733472090");
      assertThat(push.query().get("signature"))
          .isEqualTo(sha1("OneMemberHub2024", timestamp, push.query().get("nonce")));

      assertThat(push.body())
          .startsWith("<xml><ToUserName><![CDATA[gh_3f2e1d0c9b8a]]></ToUserName>");
      Map<String, String> envelope = xml(push.body());
      assertThat(envelope.keySet()).containsExactly("ToUserName", "Encrypt");
      assertThat(envelope.get("ToUserName")).isEqualTo("gh_3f2e1d0c9b8a");
      String encrypt = envelope.get("Encrypt");
      assertThat(push.query().get("msg_signature"))
          .isEqualTo(sha1("OneMemberHub2024", timestamp, push.query().get("nonce"), encrypt));

      String plain = WeChatServer.decrypt(key, SHOP, encrypt);
      assertThat(plain)
          .isEqualTo(delivery.plain())
          .contains("<CreateTime>1733472090</CreateTime>")
          .contains("<UserCardCode><![CDATA[883920117357]]></UserCardCode>");
      Map<String, String> event = xml(plain);
      assertThat(event)
          .containsExactly(
              Map.entry("ToUserName", "gh_3f2e1d0c9b8a"),
              Map.entry("FromUserName", li.openid(SHOP)),
              Map.entry("CreateTime", "1733472090"),
              Map.entry("MsgType", "event"),
              Map.entry("Event", "submit_membercard_user_info"),
              Map.entry("CardId", CARD_ID),
              Map.entry("UserCardCode", "883920117357"));

      // The key the app had before does not decrypt it.
      assertThatThrownBy(() -> WeChatServer.decrypt(shop.encodingAesKey(), SHOP, encrypt))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void plainPushesAreSignedXmlOrJson() throws Exception {
    try (Hook hook = new Hook()) {
      Delivery deleted =
          wx.userDelCard(hook.url(), MEMBER, wang, CARD_ID, "883920117356", Mode.PLAIN, Format.XML);
      Received push = hook.take();
      assertThat(push.query().keySet()).containsExactly("signature", "timestamp", "nonce");
      assertThat(push.query().get("signature"))
          .isEqualTo(sha1(member.pushToken(), "1733472000", push.query().get("nonce")));
      assertThat(push.body())
          .isEqualTo(deleted.plain())
          .isEqualTo(deleted.sent())
          .isEqualTo(
              "<xml><ToUserName><![CDATA["
                  + member.originalId()
                  + "]]></ToUserName><FromUserName><![CDATA["
                  + wang.openid(MEMBER)
                  + "]]></FromUserName><CreateTime>1733472000</CreateTime>"
                  + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[user_del_card]]></Event>"
                  + "<CardId><![CDATA["
                  + CARD_ID
                  + "]]></CardId><UserCardCode><![CDATA[883920117356]]></UserCardCode></xml>");

      // JSON, a card given by a friend, in an app without unionids: no UnionId.
      Map<String, Object> changes = new LinkedHashMap<>();
      changes.put("IsGiveByFriend", 1);
      changes.put("FriendUserName", li.openid(FRANCHISE));
      changes.put("OuterStr", "杭州西湖店");
      changes.put("OldUserCardCode", null);
      Delivery given =
          wx.userGetCard(
              hook.url(),
              FRANCHISE,
              wang,
              CARD_ID,
              "883920117358",
              Mode.PLAIN,
              Format.JSON,
              changes);
      assertThat(given.counted()).isTrue();
      Received json = hook.take();
      assertThat(json.headers().get("Content-Type")).isEqualTo("application/json");
      JsonNode event = JSON.readTree(json.body());
      assertThat(event.propertyNames())
          .containsExactly(
              "ToUserName",
              "FromUserName",
              "CreateTime",
              "MsgType",
              "Event",
              "CardId",
              "IsGiveByFriend",
              "UserCardCode",
              "FriendUserName",
              "OuterId",
              "OuterStr",
              "IsRestoreMemberCard");
      assertThat(event.path("IsGiveByFriend").asInt()).isEqualTo(1);
      assertThat(event.path("FriendUserName").asString()).isEqualTo(li.openid(FRANCHISE));
      assertThat(event.path("OuterStr").asString()).isEqualTo("杭州西湖店");
      assertThat(event.path("FromUserName").asString()).isEqualTo(wang.openid(FRANCHISE));

      // Any event, with text that must not end a CDATA section early.
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("FromUserName", chen.openid(MEMBER));
      fields.put("Event", "debug_demo");
      fields.put("debug_str", "a]]>b <c> & 陈伟");
      wx.push(hook.url(), MEMBER, Mode.PLAIN, Format.XML, fields);
      Map<String, String> parsed = xml(hook.take().body());
      assertThat(parsed.get("debug_str")).isEqualTo("a]]>b <c> & 陈伟");
      assertThat(parsed.get("Event")).isEqualTo("debug_demo");
      assertThat(wx.deliveries()).hasSize(3).allMatch(Delivery::counted);
    }
  }

  @Test
  void aPushCountsOnlyWhenAnsweredWithSuccessOrNothing() throws Exception {
    try (Hook hook = new Hook()) {
      record Case(int status, String answer, boolean counted) {}
      List<Case> cases =
          List.of(
              new Case(200, "success", true),
              new Case(200, "", true),
              new Case(200, "SUCCESS", false),
              new Case(200, "{\"errcode\":0}", false),
              new Case(200, "fail", false),
              new Case(500, "success", false),
              new Case(403, "", false));
      for (Case c : cases) {
        hook.status.set(c.status());
        hook.answer.set(c.answer());
        Delivery d =
            wx.userGetCard(
                hook.url(), MEMBER, wang, CARD_ID, "883920117356", Mode.SAFE, Format.XML);
        assertThat(d.status()).as("%s", c).isEqualTo(c.status());
        assertThat(d.answer()).as("%s", c).isEqualTo(c.answer());
        assertThat(d.counted()).as("%s", c).isEqualTo(c.counted());
      }
      assertThat(hook.received).hasSize(cases.size());
      assertThat(wx.deliveries()).hasSize(cases.size());
    }
  }

  @Test
  void aPushWaitsFiveSecondsForTheAnswer() throws Exception {
    try (Hook hook = new Hook()) {
      hook.delayMillis.set(5600);
      long started = System.nanoTime();
      Delivery late =
          wx.userDelCard(
              hook.url(), MEMBER, wang, CARD_ID, "883920117356", Mode.PLAIN, Format.JSON);
      Duration waited = Duration.ofNanos(System.nanoTime() - started);
      assertThat(late.status()).isZero();
      assertThat(late.counted()).isFalse();
      assertThat(late.answer()).isEmpty();
      assertThat(waited).isBetween(Duration.ofMillis(4900), Duration.ofMillis(6400));
      assertThat(hook.take().method()).isEqualTo("POST");
    }
  }

  @Test
  void sendRawSendsExactlyWhatItIsGiven() throws Exception {
    try (Hook hook = new Hook()) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("signature", "0".repeat(40));
      query.put("timestamp", "1733400000");
      query.put("nonce", "415670741");
      query.put("openid", null);
      Map<String, String> headers = new LinkedHashMap<>(WeChatServer.pushHeaders(Format.XML));
      headers.put("X-Probe", "xxe");
      headers.put("Content-Length", "1");
      headers.put("Host", "api.weixin.qq.com");
      headers.put("Pragma", null);
      String xxe =
          "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
              + "<xml><ToUserName><![CDATA[gh_3f2e1d0c9b8a]]></ToUserName><Event>&e;</Event></xml>";
      hook.answer.set("");
      Delivery d = wx.sendRaw(hook.url() + "?probe=1", query, headers, xxe);
      assertThat(d.counted()).isTrue();
      assertThat(d.plain()).isNull();
      assertThat(d.sent()).isEqualTo(xxe);
      assertThat(d.query()).containsOnlyKeys("signature", "timestamp", "nonce");

      Received raw = hook.take();
      assertThat(raw.body()).isEqualTo(xxe);
      assertThat(raw.rawQuery())
          .isEqualTo(
              "probe=1&signature=0000000000000000000000000000000000000000"
                  + "&timestamp=1733400000&nonce=415670741");
      assertThat(raw.headers().get("X-Probe")).isEqualTo("xxe");
      assertThat(raw.headers().get("Content-Type")).isEqualTo("text/xml");
      assertThat(raw.headers().get("Pragma")).isNull();
      assertThat(raw.headers().get("Host")).startsWith("127.0.0.1:");

      byte[] big = new byte[3 * 1024 * 1024];
      Arrays.fill(big, (byte) 'x');
      Delivery oversized = wx.sendRaw(hook.url(), Map.of(), Map.of(), big);
      assertThat(oversized.status()).isEqualTo(200);
      assertThat(hook.take().body()).hasSize(big.length);
    }
  }

  // ---------------------------------------------------------------- test data

  @Test
  void generatesManyPeopleQuicklyAndTheSameForTheSameSeed() throws Exception {
    long started = System.nanoTime();
    List<Person> people = wx.generate(100_000, 42);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(people).hasSize(100_000);
    assertThat(wx.people()).hasSize(100_003);
    assertThat(people)
        .allMatch(p -> p.unionid().matches("oZ9Fq5[A-Za-z0-9_-]{22}"))
        .allMatch(p -> p.phone() == null || p.phone().matches("1[3-9]\\d{9}"))
        .allMatch(p -> p.name().matches("\\p{IsHan}{2,3}"));
    Set<String> phones = new HashSet<>();
    people.stream().map(Person::phone).filter(p -> p != null).forEach(phones::add);
    assertThat(phones).hasSizeBetween(93_000, 97_000).doesNotContain(wang.phone());
    assertThat(people.stream().map(Person::unionid).distinct().count()).isEqualTo(100_000);

    // Generated people log in like any other.
    Person someone = people.get(12_345);
    JsonNode answer = sns(session(SHOP, SHOP_SECRET, wx.loginCode(SHOP, someone)));
    assertThat(answer.path("unionid").asString()).isEqualTo(someone.unionid());
    assertThat(answer.path("openid").asString()).isEqualTo(someone.openid(SHOP));

    try (WeChatServer other = new WeChatServer()) {
      assertThat(other.generate(1000, 42)).isEqualTo(people.subList(0, 1000));
      assertThat(other.generate(10, 43)).doesNotContainAnyElementsOf(people.subList(0, 1000));
    }
  }
}
