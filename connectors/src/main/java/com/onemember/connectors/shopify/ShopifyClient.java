package com.onemember.connectors.shopify;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HttpAnswers;
import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.Sleeper;
import com.onemember.connectors.frame.SourceUnavailable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a shop's Admin GraphQL API ({@code POST <base-url>/admin/api/<api-version>/graphql.json}
 * with {@code X-Shopify-Access-Token}) and keeps to Shopify's cost-based rate limit: every answer's
 * {@code extensions.cost.throttleStatus} says how many points the shop's bucket holds and how fast
 * it refills, so the next call waits until the bucket holds what the last one cost, and a {@code
 * THROTTLED} answer (HTTP 200) or a 429 ({@code Retry-After}) is waited out and asked again. A sync
 * slows down rather than fails; only after {@code throttle-wait} seconds of waiting in one call
 * does it end as TRANSIENT. A 5xx or a broken connection is asked again three times (1, 2, 4 s).
 */
final class ShopifyClient {

  static final JsonMapper JSON = JsonDocuments.JSON;

  private static final int RETRIES = 3;

  private final URI endpoint;
  private final String accessToken;
  private final Duration timeout;
  private final Duration throttleWait;
  private final HttpClient http;
  private final Sleeper sleeper;

  /** Points the bucket held and its refill rate, from the last answer; NaN before the first. */
  private double available = Double.NaN;

  private double restoreRate = Double.NaN;
  private double lastCost;

  ShopifyClient(ConnectorInstance instance) {
    this(instance, Sleeper.REAL);
  }

  ShopifyClient(ConnectorInstance instance, Sleeper sleeper) {
    String base = instance.text("base-url");
    if (base == null) {
      base = "https://" + instance.text("shop-domain");
    }
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String version = instance.text("api-version");
    this.endpoint =
        URI.create(
            base + "/admin/api/" + (version == null ? "2025-10" : version) + "/graphql.json");
    this.accessToken = instance.text("access-token");
    this.timeout = Duration.ofSeconds(instance.number("timeout", 30));
    this.throttleWait = Duration.ofSeconds(instance.number("throttle-wait", 300));
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.sleeper = sleeper;
  }

  /**
   * Runs one query or mutation; answers its {@code data}.
   *
   * @throws SourceUnavailable with the kind of failure and Shopify's own words
   */
  JsonNode call(String document, ObjectNode variables) throws SourceUnavailable {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", document);
    body.set("variables", variables == null ? JSON.createObjectNode() : variables);
    String json = JSON.writeValueAsString(body);
    Duration waited = Duration.ZERO;
    int failures = 0;
    while (true) {
      waited = waited.plus(waitForBucket());
      HttpResponse<String> response;
      try {
        response = post(json);
      } catch (IOException e) {
        if (++failures > RETRIES) {
          throw new SourceUnavailable(
              FailureKind.TRANSIENT,
              "无法连接 Shopify，稍后重试 / cannot reach Shopify at " + endpoint + ", will retry: " + e,
              e);
        }
        sleeper.pause(Duration.ofSeconds(1L << (failures - 1)));
        continue;
      }
      int status = response.statusCode();
      if (status == 429) {
        Duration pause =
            HttpAnswers.retryAfter(
                response.headers().firstValue("Retry-After").orElse(null), Instant.now());
        waited = throttled(waited, pause, "HTTP 429");
        continue;
      }
      if (status >= 500) {
        if (++failures > RETRIES) {
          throw new SourceUnavailable(
              FailureKind.TRANSIENT,
              "Shopify 暂时不可用 / Shopify answered HTTP "
                  + status
                  + " "
                  + RETRIES
                  + " times in a row, will retry: "
                  + HttpAnswers.excerpt(response.body()),
              null);
        }
        sleeper.pause(Duration.ofSeconds(1L << (failures - 1)));
        continue;
      }
      refused(status, response.body());
      JsonNode answer;
      try {
        answer = JSON.readTree(response.body());
      } catch (JacksonException e) {
        throw new SourceUnavailable(
            FailureKind.SOURCE_SYSTEM,
            "Shopify 的回答不是 JSON / Shopify's answer is not JSON: " + e.getOriginalMessage(),
            e);
      }
      remember(answer.path("extensions").path("cost"));
      JsonNode errors = answer.path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        List<String> codes = new ArrayList<>();
        errors.forEach(e -> codes.add(e.path("extensions").path("code").asString("")));
        if (codes.contains("THROTTLED")) {
          waited = throttled(waited, Duration.ZERO, "THROTTLED");
          continue;
        }
        throw graphQlErrors(codes, errors);
      }
      return answer.path("data");
    }
  }

  private HttpResponse<String> post(String json) throws IOException, SourceUnavailable {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("X-Shopify-Access-Token", accessToken)
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      throw HttpAnswers.interrupted(e);
    }
  }

  /** Answers that no waiting mends: the token, the shop or the address is wrong, or the shop is. */
  private void refused(int status, String body) throws SourceUnavailable {
    String said = HttpAnswers.excerpt(body);
    switch (status) {
      case 401 ->
          throw new SourceUnavailable(
              FailureKind.CONFIGURATION,
              "Shopify 拒绝了 access-token / Shopify refused the access-token (HTTP 401): " + said,
              null);
      case 403 ->
          throw new SourceUnavailable(
              FailureKind.CONFIGURATION,
              "Shopify 拒绝访问，请检查应用权限 read_customers/write_customers / Shopify refused access"
                  + " (HTTP 403): check the app's scopes read_customers and write_customers: "
                  + said,
              null);
      case 404 ->
          throw new SourceUnavailable(
              FailureKind.CONFIGURATION,
              "找不到店铺或 API 版本 / no shop or API version at "
                  + endpoint
                  + " (HTTP 404): check shop-domain, base-url and api-version",
              null);
      case 402, 423 ->
          throw new SourceUnavailable(
              FailureKind.SOURCE_SYSTEM,
              "Shopify 店铺已冻结或锁定 / the shop is frozen or locked (HTTP " + status + "): " + said,
              null);
      default -> {
        if (status != 200) {
          throw new SourceUnavailable(
              FailureKind.SOURCE_SYSTEM,
              "Shopify 返回 HTTP " + status + " / Shopify answered HTTP " + status + ": " + said,
              null);
        }
      }
    }
  }

  private static SourceUnavailable graphQlErrors(List<String> codes, JsonNode errors) {
    StringBuilder said = new StringBuilder();
    errors.forEach(
        e -> {
          if (!said.isEmpty()) {
            said.append("; ");
          }
          said.append(e.path("message").asString(""));
        });
    if (codes.contains("ACCESS_DENIED")) {
      return new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "Shopify 拒绝访问，请检查应用权限 / Shopify denied access, check the app's scopes: " + said,
          null);
    }
    if (codes.contains("MAX_COST_EXCEEDED")) {
      return new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "单次查询超过 Shopify 的成本上限，请调小 page-size / one query costs more than Shopify allows:"
              + " lower page-size: "
              + said,
          null);
    }
    return new SourceUnavailable(
        FailureKind.SOURCE_SYSTEM, "Shopify 返回错误 / Shopify answered with errors: " + said, null);
  }

  /** Keeps what the answer said of the bucket, for the wait before the next call. */
  private void remember(JsonNode cost) {
    JsonNode bucket = cost.path("throttleStatus");
    if (bucket.isObject()) {
      available = bucket.path("currentlyAvailable").asDouble(Double.NaN);
      restoreRate = bucket.path("restoreRate").asDouble(Double.NaN);
    }
    JsonNode requested = cost.path("requestedQueryCost");
    if (requested.isNumber()) {
      lastCost = requested.asDouble();
    }
  }

  /** Waits until the bucket should hold what the last call cost; answers how long it waited. */
  private Duration waitForBucket() throws SourceUnavailable {
    if (Double.isNaN(available) || Double.isNaN(restoreRate) || restoreRate <= 0) {
      return Duration.ZERO;
    }
    double missing = lastCost - available;
    if (missing <= 0) {
      return Duration.ZERO;
    }
    Duration pause = Duration.ofMillis((long) Math.ceil(missing / restoreRate * 1000));
    if (pause.compareTo(throttleWait) > 0) {
      pause = throttleWait;
    }
    sleeper.pause(pause);
    available = lastCost; // refilled meanwhile; the next answer says exactly
    return pause;
  }

  /** A throttled answer: waits (at least a second, as Shopify advises) unless waited too long. */
  private Duration throttled(Duration waited, Duration asked, String why) throws SourceUnavailable {
    if (waited.compareTo(throttleWait) >= 0) {
      throw new SourceUnavailable(
          FailureKind.TRANSIENT,
          "Shopify 限流，已等待 "
              + waited.toSeconds()
              + " 秒，下次同步继续 / Shopify kept throttling ("
              + why
              + ") for "
              + waited.toSeconds()
              + " s; the next sync goes on from the last position",
          null);
    }
    Duration pause = asked;
    if (!Double.isNaN(available) && restoreRate > 0 && lastCost > available) {
      Duration refill =
          Duration.ofMillis((long) Math.ceil((lastCost - available) / restoreRate * 1000));
      pause = pause.compareTo(refill) > 0 ? pause : refill;
    }
    if (pause.compareTo(Duration.ofSeconds(1)) < 0) {
      pause = Duration.ofSeconds(1);
    }
    // a Retry-After of an hour (or a bucket that refills at a trickle) waits no longer than the
    // connector allows; then the next try fails as TRANSIENT
    Duration left = throttleWait.minus(waited);
    if (pause.compareTo(left) > 0) {
      pause = left;
    }
    sleeper.pause(pause);
    available = Double.NaN; // the next answer says again
    return waited.plus(pause);
  }
}
