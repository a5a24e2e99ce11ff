package com.onemember.connectors.pospal;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.Sleeper;
import com.onemember.connectors.frame.SourceUnavailable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls Pospal's open API (V1) as its "交互格式说明" describes: every call a POST of a UTF-8 JSON body
 * carrying {@code appId}, signed by {@code data-signature} = upper-case hex MD5 of the trimmed app
 * key followed by the trimmed body (the exact bytes sent), with a {@code time-stamp} header in
 * milliseconds. Answers are {@code {status, messages, errorCode, data}}. When Pospal says the
 * account's access quota is used up, the call waits and asks again (2 s, doubling up to a minute)
 * for at most {@code quota-wait} seconds: a sync slows down rather than fails.
 */
final class PospalClient {

  /** Pospal's JSON, read and written with the connectors' one mapper. */
  static final JsonMapper JSON = com.onemember.connectors.frame.JsonDocuments.JSON;

  /** Words Pospal's answers use when the account has made too many calls. */
  private static final List<String> QUOTA_WORDS =
      List.of("访问次数", "调用次数", "频繁", "太快", "quota", "rate limit", "too many requests");

  /** Words Pospal's answers use when the appId or the signature is wrong. */
  private static final List<String> CREDENTIAL_WORDS =
      List.of("签名", "signature", "appid", "appkey", "认证", "授权");

  private final String baseUrl;
  private final String appId;
  private final String appKey;
  private final Duration timeout;
  private final Duration quotaWait;
  private final HttpClient http;
  private final Sleeper sleeper;

  PospalClient(ConnectorInstance instance) {
    this(instance, Sleeper.REAL);
  }

  PospalClient(ConnectorInstance instance, Sleeper sleeper) {
    String base = instance.text("base-url");
    this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.appId = instance.text("app-id");
    this.appKey = instance.text("app-key");
    this.timeout = Duration.ofSeconds(instance.number("timeout", 30));
    this.quotaWait = Duration.ofSeconds(instance.number("quota-wait", 300));
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.sleeper = sleeper;
  }

  /** A body with the account's {@code appId}, for the caller to add the call's fields to. */
  ObjectNode body() {
    ObjectNode body = JSON.createObjectNode();
    body.put("appId", appId);
    return body;
  }

  /**
   * POSTs {@code body} to {@code path} (e.g. {@code customerOpenApi/queryCustomerPages}) and
   * answers {@code data}.
   */
  JsonNode call(String path, ObjectNode body) throws SourceUnavailable {
    String json = JSON.writeValueAsString(body);
    Duration waited = Duration.ZERO;
    Duration pause = Duration.ofSeconds(2);
    while (true) {
      JsonNode answer = post(path, json);
      if ("success".equalsIgnoreCase(answer.path("status").asString(""))) {
        return answer.path("data");
      }
      String messages = messages(answer);
      String lower = messages.toLowerCase(Locale.ROOT);
      if (QUOTA_WORDS.stream().anyMatch(lower::contains)) {
        if (waited.compareTo(quotaWait) >= 0) {
          throw new SourceUnavailable(
              FailureKind.TRANSIENT,
              "银豹账号的访问次数已用完，下次同步从头再读 / the Pospal account's access quota is used"
                  + " up; the next sync reads from the first page again: "
                  + messages,
              null);
        }
        sleeper.pause(pause);
        waited = waited.plus(pause);
        pause =
            pause.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0
                ? Duration.ofMinutes(1)
                : pause.multipliedBy(2);
        continue;
      }
      FailureKind kind =
          CREDENTIAL_WORDS.stream().anyMatch(lower::contains)
              ? FailureKind.CONFIGURATION
              : FailureKind.SOURCE_SYSTEM;
      throw new SourceUnavailable(
          kind,
          (kind == FailureKind.CONFIGURATION
                  ? "银豹拒绝了 app-id 或 app-key / Pospal refused the app-id or app-key: "
                  : "银豹返回错误 / Pospal answered with an error: ")
              + messages
              + " (errorCode "
              + answer.path("errorCode").asString("none")
              + ")",
          null);
    }
  }

  private JsonNode post(String path, String json) throws SourceUnavailable {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/" + path))
            .timeout(timeout)
            .header("User-Agent", "openApi")
            .header("Content-Type", "application/json; charset=utf-8")
            .header("time-stamp", Long.toString(System.currentTimeMillis()))
            .header("data-signature", signature(appKey, json))
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SourceUnavailable(
          FailureKind.TRANSIENT,
          "无法连接银豹，稍后重试 / cannot reach Pospal at " + baseUrl + ", will retry: " + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceUnavailable(FailureKind.TRANSIENT, "interrupted", e);
    }
    if (response.statusCode() == 401
        || response.statusCode() == 403
        || response.statusCode() == 404) {
      throw new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "银豹地址或凭证有误 / Pospal answered HTTP "
              + response.statusCode()
              + " at "
              + request.uri()
              + ": check base-url, app-id and app-key",
          null);
    }
    if (response.statusCode() != 200) {
      throw new SourceUnavailable(
          FailureKind.TRANSIENT,
          "银豹暂时不可用 / Pospal answered HTTP " + response.statusCode() + ", will retry",
          null);
    }
    try {
      return JSON.readTree(response.body());
    } catch (JacksonException e) {
      throw new SourceUnavailable(
          FailureKind.SOURCE_SYSTEM,
          "银豹的回答不是 JSON / Pospal's answer is not JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  private static String messages(JsonNode answer) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode m : answer.path("messages")) {
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(m.asString());
    }
    return sb.isEmpty() ? "(no message)" : sb.toString();
  }

  /** Upper-case hex MD5 of the trimmed app key followed by the trimmed body, in UTF-8. */
  static String signature(String appKey, String body) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] digest = md5.digest((appKey.trim() + body.trim()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }
}
