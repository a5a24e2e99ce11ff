package com.onemember.connectors.youzan;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HttpAnswers;
import com.onemember.connectors.frame.JsonDocuments;
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
import java.time.Instant;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls the Youzan Cloud open API for one shop: {@code POST <base-url>/api/<name>/<version>
 * ?access_token=…} with a JSON body. The token comes from {@code POST <base-url>/auth/token} (a
 * self-use app's silent grant: client id, client secret and the shop's id as grant id); it lives
 * seven days, and is asked for again an hour before it expires and, once per call, when the gateway
 * answers that it is invalid, expired or unknown (4201, 4202, 4203: another process may have taken
 * a new one).
 *
 * <p>Youzan answers everything with HTTP 200 and says what went wrong in the body, in three shapes:
 * {@code {"success":…,"code":…,"data":…}}, the gateway's {@code {"gw_err_resp":{"err_code":…}}},
 * and older APIs' {@code {"response":…}} / {@code {"error_response":…}}. Too many requests (gateway
 * 4101, or the business codes for throttling) are waited out, 3, 6, 12, 24, 48 s as Youzan advises,
 * for at most {@code throttle-wait} seconds per call; a 5xx from a proxy on the way or a broken
 * connection is asked again three times (1, 2, 4 s); then the call fails as TRANSIENT.
 */
final class YouzanClient {

  static final JsonMapper JSON = JsonDocuments.JSON;

  private static final int RETRIES = 3;

  /** The gateway's codes for a token it does not take: invalid, expired, unknown. */
  private static final Set<Integer> TOKEN_CODES = Set.of(4201, 4202, 4203);

  /** Throttling: the gateway's, and the business codes some APIs use for it. */
  private static final Set<Long> THROTTLED = Set.of(4101L, 500100004L, 123000042L, 141500203L);

  /** A token is renewed this long before it expires. */
  static final Duration RENEW_BEFORE = Duration.ofHours(1);

  private final String base;
  private final String clientId;
  private final String clientSecret;
  private final String grantId;
  private final Duration timeout;
  private final Duration throttleWait;
  private final HttpClient http;
  private final Sleeper sleeper;
  private final Clock clock;

  private String token;
  private Instant expires;

  YouzanClient(ConnectorInstance instance) {
    this(instance, Sleeper.REAL, Clock.systemUTC());
  }

  YouzanClient(ConnectorInstance instance, Sleeper sleeper, Clock clock) {
    String url = instance.text("base-url");
    this.base =
        HttpAnswers.secureAddress("base-url", url == null ? "https://open.youzanyun.com" : url);
    this.clientId = instance.text("client-id");
    this.clientSecret = instance.text("client-secret");
    this.grantId = instance.text("grant-id");
    this.timeout = Duration.ofSeconds(instance.number("timeout", 30));
    this.throttleWait = Duration.ofSeconds(instance.number("throttle-wait", 300));
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /**
   * Calls one API; answers its {@code data} (or a legacy API's {@code response}).
   *
   * @throws SourceUnavailable with the kind of failure and Youzan's own words
   */
  JsonNode call(String api, String version, ObjectNode body) throws SourceUnavailable {
    return call(api, version, body, Set.of());
  }

  /**
   * As {@link #call(String, String, ObjectNode)}, but a refusal with one of {@code tolerated} codes
   * (a customer Youzan does not know) answers {@code null} instead of failing.
   */
  JsonNode call(String api, String version, ObjectNode body, Set<Long> tolerated)
      throws SourceUnavailable {
    String json = JSON.writeValueAsString(body == null ? JSON.createObjectNode() : body);
    boolean renewed = false;
    Duration waited = Duration.ZERO;
    int throttles = 0;
    while (true) {
      String current = token();
      JsonNode answer =
          post(
              base
                  + "/api/"
                  + api
                  + "/"
                  + version
                  + "?access_token="
                  + URLEncoder.encode(current, StandardCharsets.UTF_8),
              json,
              api);
      JsonNode gateway = answer.path("gw_err_resp");
      long code;
      String said;
      if (gateway.isObject()) {
        code = gateway.path("err_code").asLong(-1);
        said = gateway.path("err_msg").asString("");
        if (TOKEN_CODES.contains((int) code)) {
          forgetToken(current);
          if (!renewed) {
            renewed = true;
            continue;
          }
          throw new SourceUnavailable(
              FailureKind.TRANSIENT,
              "有赞不接受新取得的 access_token（"
                  + code
                  + " "
                  + said
                  + "），将重试；若持续出现，请检查应用是否仍获店铺授权 / Youzan refused a token just"
                  + " issued ("
                  + code
                  + " "
                  + said
                  + "), will retry; if it goes on, check that the shop still authorizes the app",
              null);
        }
      } else if (answer.has("error_response")) {
        code = answer.path("error_response").path("code").asLong(-1);
        said = answer.path("error_response").path("msg").asString("");
      } else if (answer.has("response")) {
        return answer.path("response");
      } else if (answer.path("success").asBoolean(false)) {
        return answer.path("data");
      } else {
        code = answer.path("code").asLong(-1);
        said = answer.path("message").asString(answer.path("msg").asString(""));
      }
      if (THROTTLED.contains(code)) {
        Duration pause = Duration.ofSeconds(3L << Math.min(throttles++, 4));
        if (waited.compareTo(throttleWait) >= 0) {
          throw new SourceUnavailable(
              FailureKind.TRANSIENT,
              "有赞限流（"
                  + code
                  + " "
                  + said
                  + "），已等待 "
                  + waited.toSeconds()
                  + " 秒，下次同步继续 / Youzan kept throttling "
                  + api
                  + " ("
                  + code
                  + " "
                  + said
                  + ") for "
                  + waited.toSeconds()
                  + " s; the next sync tries again",
              null);
        }
        Duration left = throttleWait.minus(waited);
        pause = pause.compareTo(left) > 0 ? left : pause;
        sleeper.pause(pause);
        waited = waited.plus(pause);
        continue;
      }
      if (tolerated.contains(code)) {
        return null;
      }
      throw refused(api, code, said);
    }
  }

  /** An answer no waiting mends, in words that say what to check. */
  private static SourceUnavailable refused(String api, long code, String said) {
    if (code == 4005 || code == 4204) {
      return new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "应用无权调用 "
              + api
              + "（"
              + code
              + " "
              + said
              + "），请在有赞云控制台为应用开通客户管理能力 / the app may not call "
              + api
              + " ("
              + code
              + " "
              + said
              + "): grant it the customer (SCRM) capability in the Youzan Cloud console",
          null);
    }
    return new SourceUnavailable(
        FailureKind.SOURCE_SYSTEM,
        "有赞拒绝了 "
            + api
            + "（"
            + code
            + " "
            + said
            + "），请按有赞的说明检查该店铺或客户 / Youzan refused "
            + api
            + " ("
            + code
            + "): "
            + said
            + "; Youzan's words name what to check in the shop or the customer",
        null);
  }

  /** The shop's access token: the one held while it has an hour to live, else a new one. */
  synchronized String token() throws SourceUnavailable {
    if (token != null && clock.instant().isBefore(expires.minus(RENEW_BEFORE))) {
      return token;
    }
    // refresh: true when the held token is about to expire, so that Youzan issues a new one
    // rather than answering the same token back
    ObjectNode body = JSON.createObjectNode();
    body.put("client_id", clientId);
    body.put("client_secret", clientSecret);
    body.put("authorize_type", "silent");
    body.put("grant_id", grantId);
    body.put("refresh", token != null);
    JsonNode answer = post(base + "/auth/token", JSON.writeValueAsString(body), "/auth/token");
    if (!answer.path("success").asBoolean(false)) {
      long code = answer.path("code").asLong(-1);
      String said = answer.path("message").asString("");
      throw new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "有赞拒绝发放 access_token（"
              + code
              + " "
              + said
              + "），请检查 client-id、client-secret 和 grant-id（店铺 id），以及应用是否获店铺授权 /"
              + " Youzan refused a token ("
              + code
              + " "
              + said
              + "): check client-id, client-secret, grant-id (the shop's id) and that the shop"
              + " authorized the app",
          null);
    }
    JsonNode data = answer.path("data");
    token = data.path("access_token").asString(null);
    long millis = data.path("expires").asLong(0);
    // an absolute time in epoch milliseconds; a token without one is used once, then asked again
    expires = millis > 0 ? Instant.ofEpochMilli(millis) : clock.instant().plus(RENEW_BEFORE);
    if (token == null) {
      throw new SourceUnavailable(
          FailureKind.SOURCE_SYSTEM,
          "有赞的 token 回答中没有 access_token / Youzan's token answer holds no access_token",
          null);
    }
    return token;
  }

  private synchronized void forgetToken(String refused) {
    if (refused.equals(token)) {
      token = null;
      // ask again without refresh: another process (the writeback, another hub) may hold the
      // current token, and refresh: true would knock it out in turn

    }
  }

  /** One POST; a 5xx or a broken connection is tried again, any answer read as JSON. */
  private JsonNode post(String url, String json, String what) throws SourceUnavailable {
    int failures = 0;
    while (true) {
      HttpResponse<String> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        if (++failures > RETRIES) {
          throw new SourceUnavailable(
              FailureKind.TRANSIENT,
              "无法连接有赞，稍后重试 / cannot reach Youzan at " + base + " (" + what + "): " + e,
              e);
        }
        sleeper.pause(Duration.ofSeconds(1L << (failures - 1)));
        continue;
      } catch (InterruptedException e) {
        throw HttpAnswers.interrupted(e);
      }
      int status = response.statusCode();
      if (status >= 500 || status == 429) {
        if (++failures > RETRIES) {
          throw new SourceUnavailable(
              FailureKind.TRANSIENT,
              "有赞暂时不可用 / Youzan answered HTTP "
                  + status
                  + " to "
                  + what
                  + " "
                  + RETRIES
                  + " times in a row, will retry: "
                  + HttpAnswers.excerpt(response.body()),
              null);
        }
        sleeper.pause(Duration.ofSeconds(1L << (failures - 1)));
        continue;
      }
      if (status != 200) {
        throw new SourceUnavailable(
            status == 404 ? FailureKind.CONFIGURATION : FailureKind.SOURCE_SYSTEM,
            "有赞返回 HTTP "
                + status
                + " / Youzan answered HTTP "
                + status
                + " to "
                + what
                + (status == 404 ? ": check base-url" : "")
                + ": "
                + HttpAnswers.excerpt(response.body()),
            null);
      }
      try {
        return JSON.readTree(response.body());
      } catch (JacksonException e) {
        throw new SourceUnavailable(
            FailureKind.SOURCE_SYSTEM,
            "有赞的回答不是 JSON / Youzan's answer to "
                + what
                + " is not JSON: "
                + HttpAnswers.excerpt(response.body()),
            e);
      }
    }
  }
}
