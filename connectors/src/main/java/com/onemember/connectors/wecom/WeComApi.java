package com.onemember.connectors.wecom;

import com.onemember.connectors.frame.AccessToken;
import com.onemember.connectors.frame.ErrcodeAnswers;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HttpAnswers;
import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.Sleeper;
import com.onemember.connectors.frame.SourceUnavailable;
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
 * WeCom's server API ({@code qyapi.weixin.qq.com}) as one corporation's customer-contact app calls
 * it, with the app's access token from {@code GET /cgi-bin/gettoken} (corp id and the app's
 * secret).
 *
 * <p>The token is kept until five minutes before it expires, then asked for again; a call refused
 * with 40014 (invalid) or 42001 (expired) asks again once. WeCom answers HTTP 200 with {@code
 * errcode} in the body; its errmsg ends with a hint and a link and is shown, never matched. 45009
 * (the API's frequency limit) and -1 (busy) are transient: -1 and a broken connection are tried
 * once more, then the call fails for the sync to retry later. The secret travels in gettoken's
 * query, as WeCom wants it, so no URL is ever put in a message or a log.
 */
final class WeComApi {

  /** Codes of a token WeCom no longer takes: invalid, expired. */
  private static final Set<Long> TOKEN_CODES = Set.of(40014L, 42001L);

  /**
   * Codes that are the configuration's to fix: an unknown corp id (40013), a wrong secret (40001),
   * a missing one (41002, 41004), a caller IP not trusted (60020), an app without the
   * customer-contact permission (48002) or outside its visible range (60011).
   */
  private static final Set<Long> CONFIGURATION_CODES =
      Set.of(40013L, 40001L, 41002L, 41004L, 60020L, 48002L, 60011L);

  private final String base;
  private final String corpId;
  private final String secret;
  private final Duration timeout;
  private final HttpClient http;
  private final Sleeper sleeper;

  private final AccessToken token;

  WeComApi(
      String base, String corpId, String secret, Duration timeout, Sleeper sleeper, Clock clock) {
    this.base = HttpAnswers.secureAddress("base-url", base);
    this.corpId = corpId;
    this.secret = secret;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.sleeper = sleeper;
    this.token = new AccessToken(this::issue, clock);
  }

  /**
   * {@code GET /cgi-bin/<path>?access_token=&<query>}: WeCom's answer, its errcode 0 or among
   * {@code tolerated} (for the caller to read).
   */
  JsonNode get(String path, String query, Set<Long> tolerated) throws SourceUnavailable {
    return call(path, null, query, tolerated);
  }

  /** {@code POST /cgi-bin/<path>?access_token=} with a JSON body; as {@link #get}. */
  JsonNode post(String path, ObjectNode body, Set<Long> tolerated) throws SourceUnavailable {
    return call(path, body.toString(), null, tolerated);
  }

  private JsonNode call(String path, String json, String query, Set<Long> tolerated)
      throws SourceUnavailable {
    for (boolean renewed = false; ; renewed = true) {
      String current = token.get();
      String address =
          "/cgi-bin/"
              + path
              + "?access_token="
              + encode(current)
              + (query == null ? "" : "&" + query);
      JsonNode given = answered(path, address, json, tolerated);
      if (given != null) {
        return given;
      }
      token.forget(current);
      if (renewed) {
        throw new SourceUnavailable(
            FailureKind.TRANSIENT,
            "企业微信不接受刚取得的 access_token，稍后重试 / WeCom refused an access token just issued;"
                + " trying again later",
            null);
      }
    }
  }

  /** One corporate tag (企业客户标签) in its group. */
  record CorpTag(String group, String id, String name) {}

  /** {@code get_corp_tag_list}: every corporate tag, with its group's name. */
  java.util.List<CorpTag> corpTags() throws SourceUnavailable {
    java.util.List<CorpTag> tags = new java.util.ArrayList<>();
    JsonNode groups =
        post("externalcontact/get_corp_tag_list", JsonDocuments.JSON.createObjectNode(), Set.of())
            .path("tag_group");
    for (JsonNode group : groups) {
      String name = group.path("group_name").asString("");
      for (JsonNode tag : group.path("tag")) {
        tags.add(new CorpTag(name, tag.path("id").asString(""), tag.path("name").asString("")));
      }
    }
    return tags;
  }

  /** Asks the API for a new token ({@link AccessToken} keeps it until it must be renewed). */
  private AccessToken.Issued issue() throws SourceUnavailable {
    JsonNode answer =
        answered(
            "gettoken",
            "/cgi-bin/gettoken?corpid=" + encode(corpId) + "&corpsecret=" + encode(secret),
            null,
            Set.of());
    String given = answer == null ? null : JsonDocuments.text(answer.path("access_token"));
    long seconds = answer == null ? 0 : answer.path("expires_in").asLong(0);
    if (given == null || seconds <= 0) {
      throw new SourceUnavailable(
          FailureKind.SOURCE_SYSTEM,
          "企业微信的 gettoken 回答中没有 access_token / WeCom's gettoken answer holds no token",
          null);
    }
    return new AccessToken.Issued(given, seconds);
  }

  /**
   * The answer of one request ({@link ErrcodeAnswers}: tried once more after WeCom's -1 or a broken
   * connection); {@code null} when WeCom no longer takes the token.
   */
  private JsonNode answered(String api, String address, String json, Set<Long> tolerated)
      throws SourceUnavailable {
    JsonNode answer =
        ErrcodeAnswers.answer(
            "企业微信",
            "WeCom",
            base,
            api,
            () -> {
              HttpRequest.Builder request =
                  HttpRequest.newBuilder(URI.create(base + address)).timeout(timeout);
              if (json == null) {
                request.GET();
              } else {
                request
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
              }
              return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            },
            sleeper);
    long code = answer.path("errcode").asLong(0);
    if (code == 0 || tolerated.contains(code)) {
      return answer;
    }
    if (TOKEN_CODES.contains(code) && !api.equals("gettoken")) {
      return null;
    }
    throw refusal(api, code, answer.path("errmsg").asString(""));
  }

  /** An errcode in words that say whose it is to act. */
  private static SourceUnavailable refusal(String api, long code, String said) {
    if (code == -1 || code == 45009) {
      return new SourceUnavailable(
          FailureKind.TRANSIENT,
          (code == -1 ? "企业微信系统繁忙" : "企业微信接口调用过于频繁")
              + "，稍后重试 / WeCom "
              + (code == -1 ? "is busy (-1)" : "limits the calls' frequency (45009)")
              + " answering "
              + api
              + "; the hub tries again later",
          null);
    }
    if (CONFIGURATION_CODES.contains(code)) {
      return new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "企业微信不接受连接器的配置（"
              + code
              + "），请检查 corp-id、secret（须为「客户联系」的 Secret 或有客户联系权限的自建应用的 Secret）及可信 IP /"
              + " WeCom refused the connector's configuration ("
              + code
              + " "
              + said
              + "): check corp-id, and that secret is the 客户联系 secret or that of an app with"
              + " the customer-contact permission, and the app's trusted IPs",
          null);
    }
    return new SourceUnavailable(
        FailureKind.SOURCE_SYSTEM,
        "企业微信拒绝了 "
            + api
            + "（"
            + code
            + " "
            + said
            + "）/ WeCom refused "
            + api
            + " ("
            + code
            + "): "
            + said,
        null);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
