package com.onemember.connectors.wechat;

import com.onemember.connectors.frame.AccessToken;
import com.onemember.connectors.frame.ErrcodeAnswers;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HttpAnswers;
import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.RegistrationKind.RegistrationRefused;
import com.onemember.connectors.frame.Sleeper;
import com.onemember.connectors.frame.SourceUnavailable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WeChat server API one mini-program's back end would call, called by the hub in its place:
 * {@code jscode2session} (a login code for the openid and unionid) and {@code getuserphonenumber}
 * (a phone code for the verified phone), with the app's access token.
 *
 * <p>The token is the stable one ({@code POST /cgi-bin/stable_token}, not {@code /cgi-bin/token}):
 * asking for it does not end the token the brand's own back end holds, so the hub and that back end
 * can share one app. It is kept until five minutes before it expires, then asked for again; a call
 * refused with 40001 (replaced) or 42001 (expired) asks again once, without {@code force_refresh},
 * which would end everyone else's token too.
 *
 * <p>WeChat answers HTTP 200 with {@code errcode} in the body, whatever the content type says
 * (jscode2session's is text/plain); the error message ends with a request id and is only shown,
 * never matched. Codes a person's request brings (40029 invalid code, 40163 used code) are refused
 * to the caller as 400; 45011 (the app's minute quota) as 429 to retry in a minute; -1 (WeChat
 * busy) and a broken connection are tried once more, then answered as unavailable. The app secret
 * travels in jscode2session's query, as WeChat wants it, so no URL is ever put in a message or a
 * log; neither is the session key, which the hub does not keep.
 */
final class WeChatApi {

  /** Codes of a token WeChat no longer takes: replaced, expired. */
  private static final Set<Long> TOKEN_CODES = Set.of(40001L, 42001L);

  /** Codes of an app id or secret WeChat does not know. */
  private static final Set<Long> CREDENTIAL_CODES = Set.of(40013L, 40125L, 41002L, 41004L, 40164L);

  private final String base;
  private final String appId;
  private final String appSecret;
  private final Duration timeout;
  private final HttpClient http;
  private final Sleeper sleeper;

  private final AccessToken token;

  WeChatApi(
      String base, String appId, String appSecret, Duration timeout, Sleeper sleeper, Clock clock) {
    this.base = HttpAnswers.secureAddress("base-url", base);
    this.appId = appId;
    this.appSecret = appSecret;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.sleeper = sleeper;
    this.token = new AccessToken(this::issue, clock);
  }

  /** What a login code stands for: the person's openid in this app, and unionid when bound. */
  record Session(String openid, String unionid) {}

  /** {@code GET /sns/jscode2session}: the login code of {@code wx.login} for the person's ids. */
  Session session(String loginCode) throws RegistrationRefused, SourceUnavailable {
    String query =
        "appid="
            + encode(appId)
            + "&secret="
            + encode(appSecret)
            + "&js_code="
            + encode(loginCode)
            + "&grant_type=authorization_code";
    JsonNode answer = answered("jscode2session", () -> get("/sns/jscode2session?" + query));
    String openid = JsonDocuments.text(answer.path("openid"));
    if (openid == null) {
      throw new SourceUnavailable(
          FailureKind.SOURCE_SYSTEM,
          "微信的 jscode2session 回答中没有 openid / WeChat's jscode2session answer holds no openid",
          null);
    }
    // the session key stays here: the hub decrypts nothing with it and keeps nothing of it
    return new Session(openid, JsonDocuments.text(answer.path("unionid")));
  }

  /**
   * {@code POST /wxa/business/getuserphonenumber}: the phone code of the mini-program's phone
   * button for the verified phone, a mainland one as its 11 digits, another as {@code
   * +<country><number>}.
   */
  String phone(String phoneCode) throws RegistrationRefused, SourceUnavailable {
    ObjectNode body = JsonDocuments.JSON.createObjectNode();
    body.put("code", phoneCode);
    JsonNode answer = post("getuserphonenumber", "/wxa/business/getuserphonenumber", body);
    JsonNode info = answer.path("phone_info");
    String pure = JsonDocuments.text(info.path("purePhoneNumber"));
    if (pure == null) {
      throw new SourceUnavailable(
          FailureKind.SOURCE_SYSTEM,
          "微信的 getuserphonenumber 回答中没有手机号 / WeChat's getuserphonenumber answer holds no"
              + " phone number",
          null);
    }
    // "86" or 86: the docs' example and the live answers disagree on the type
    String country = JsonDocuments.text(info.path("countryCode"));
    return country == null || country.equals("86") ? pure : "+" + country + " " + pure;
  }

  /**
   * {@code POST <path>?access_token=} with the app's token and a JSON body: WeChat's answer, its
   * errcode 0. A token WeChat no longer takes is asked for again, once.
   *
   * @throws RegistrationRefused for an errcode the caller's request caused (a code) or WeChat's
   *     quota
   * @throws SourceUnavailable for every other errcode, and when WeChat cannot be reached
   */
  JsonNode post(String api, String path, ObjectNode body)
      throws RegistrationRefused, SourceUnavailable {
    return post(api, path, body, Set.of());
  }

  /**
   * As {@link #post(String, String, ObjectNode)}, but an errcode among {@code tolerated} (a card
   * deleted meanwhile) is answered as WeChat gave it, for the caller to read.
   */
  JsonNode post(String api, String path, ObjectNode body, Set<Long> tolerated)
      throws RegistrationRefused, SourceUnavailable {
    String json = body.toString();
    for (boolean renewed = false; ; renewed = true) {
      String current = token.get();
      JsonNode given =
          answered(api, () -> post(path + "?access_token=" + encode(current), json), tolerated);
      if (!given.has(TOKEN_REFUSED)) {
        return given;
      }
      token.forget(current);
      if (renewed) {
        throw new SourceUnavailable(
            FailureKind.TRANSIENT,
            "微信不接受刚取得的 access_token，稍后重试 / WeChat refused an access token just issued;"
                + " try again later",
            null);
      }
    }
  }

  /** A marker put on an answer refused for its token, so the caller asks for a new one. */
  private static final String TOKEN_REFUSED = "__token_refused";

  /**
   * The answer of one call ({@link ErrcodeAnswers}: tried once more after WeChat's -1 or a broken
   * connection); an errcode refused in words (or, for a token WeChat no longer takes, marked for
   * the caller).
   */
  private JsonNode answered(String api, ErrcodeAnswers.Call call)
      throws RegistrationRefused, SourceUnavailable {
    return answered(api, call, Set.of());
  }

  private JsonNode answered(String api, ErrcodeAnswers.Call call, Set<Long> tolerated)
      throws RegistrationRefused, SourceUnavailable {
    JsonNode answer = ErrcodeAnswers.answer("微信", "WeChat", base, api, call, sleeper);
    long code = answer.path("errcode").asLong(0);
    if (code == 0 || tolerated.contains(code)) {
      return answer;
    }
    if (TOKEN_CODES.contains(code)) {
      ObjectNode marked = JsonDocuments.JSON.createObjectNode();
      marked.put(TOKEN_REFUSED, code);
      return marked;
    }
    throw refusal(api, code, answer.path("errmsg").asString(""));
  }

  /**
   * An errcode in words that say whose it is to act: the caller's (a code, the quota) is answered
   * for the caller to throw; the brand's IT's or no one's is thrown as unavailable.
   */
  private static RegistrationRefused refusal(String api, long code, String said)
      throws SourceUnavailable {
    String what = api.equals("getuserphonenumber") ? "phoneCode" : "code";
    if (code == 40029 || code == 40163) {
      return new RegistrationRefused(
          400,
          "invalid-code",
          (code == 40163 ? "该 " + what + " 已用过" : "该 " + what + " 无效或已过期（5 分钟内有效，只能用一次）")
              + "，请让小程序重新获取 / WeChat refused the "
              + what
              + " ("
              + code
              + (code == 40163 ? ", used already" : ", invalid or expired")
              + "): a code is valid for 5 minutes and once; have the mini-program get a new one",
          null);
    }
    if (code == 45011) {
      return new RegistrationRefused(
          429,
          "wechat-rate-limit",
          "小程序调用 "
              + api
              + " 超过每分钟限额，请一分钟后重试 / the mini-program reached WeChat's minute quota for "
              + api
              + " (45011): try again in a minute",
          Duration.ofMinutes(1));
    }
    if (code == -1) {
      throw new SourceUnavailable(
          FailureKind.TRANSIENT,
          "微信系统繁忙，请稍后重试 / WeChat is busy (-1) answering " + api + ": try again shortly",
          null);
    }
    if (CREDENTIAL_CODES.contains(code)) {
      throw new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "微信不接受 app-id 或 app-secret（"
              + code
              + "），请检查连接器配置及服务器 IP 白名单 / WeChat refused the connector's app-id or"
              + " app-secret ("
              + code
              + " "
              + said
              + "): check them, and the app's IP whitelist",
          null);
    }
    throw new SourceUnavailable(
        FailureKind.SOURCE_SYSTEM,
        "微信拒绝了 "
            + api
            + "（"
            + code
            + " "
            + said
            + "）/ WeChat refused "
            + api
            + " ("
            + code
            + "): "
            + said,
        null);
  }

  /** Asks the API for a new token ({@link AccessToken} keeps it until it must be renewed). */
  private AccessToken.Issued issue() throws SourceUnavailable {
    ObjectNode body = JsonDocuments.JSON.createObjectNode();
    body.put("grant_type", "client_credential");
    body.put("appid", appId);
    body.put("secret", appSecret);
    body.put("force_refresh", false);
    JsonNode answer;
    try {
      answer = answered("stable_token", () -> post("/cgi-bin/stable_token", body.toString()));
    } catch (RegistrationRefused e) {
      // a quota on the token itself: nothing the caller's request did
      throw new SourceUnavailable(FailureKind.TRANSIENT, e.getMessage(), null);
    }
    String given = JsonDocuments.text(answer.path("access_token"));
    long seconds = answer.path("expires_in").asLong(0);
    if (given == null || seconds <= 0) {
      throw new SourceUnavailable(
          FailureKind.SOURCE_SYSTEM,
          "微信的 stable_token 回答中没有 access_token / WeChat's stable_token answer holds no token",
          null);
    }
    return new AccessToken.Issued(given, seconds);
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> post(String pathAndQuery, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
