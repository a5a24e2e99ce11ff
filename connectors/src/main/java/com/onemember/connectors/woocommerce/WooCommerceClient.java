package com.onemember.connectors.woocommerce;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HttpAnswers;
import com.onemember.connectors.frame.Sleeper;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.woocommerce.api.AnalyticsApi;
import com.onemember.connectors.woocommerce.api.CustomersApi;
import com.onemember.connectors.woocommerce.api.WebhooksApi;
import com.onemember.connectors.woocommerce.api.invoker.ApiClient;
import com.onemember.connectors.woocommerce.api.invoker.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The generated wc/v3 client set up for one shop: its address ({@code <base-url>/wp-json}), the
 * REST key as HTTP Basic credentials, timeouts, and the retries a shop on shared hosting needs. A
 * 429 or 503 with {@code Retry-After} is waited out (up to {@code throttle-wait} seconds in one
 * call), any other 5xx or a broken connection is asked again three times (1, 2, 4 s); then the call
 * fails as TRANSIENT and the sync's backoff takes over. A refused key or a site without the API is
 * CONFIGURATION, naming what to check.
 *
 * <p>WooCommerce takes the key as Basic credentials only over HTTPS (over plain HTTP it wants OAuth
 * 1.0a signatures), so {@code base-url} must be https; plain http is allowed to this machine only
 * (a test, or a TLS proxy beside the hub).
 */
final class WooCommerceClient {

  private static final int RETRIES = 3;

  final CustomersApi customers;
  final WebhooksApi webhooks;
  final AnalyticsApi analytics;
  private final String api;
  private final Duration throttleWait;
  private final Sleeper sleeper;

  /** One call of the generated client. */
  interface Call<T> {
    T run() throws ApiException;
  }

  WooCommerceClient(ConnectorInstance instance) {
    this(instance, Sleeper.REAL);
  }

  WooCommerceClient(ConnectorInstance instance, Sleeper sleeper) {
    String site = siteAddress(instance);
    this.api = site + "/wp-json";
    Duration timeout = Duration.ofSeconds(instance.number("timeout", 30));
    this.throttleWait = Duration.ofSeconds(instance.number("throttle-wait", 300));
    this.sleeper = sleeper;
    String credentials =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (instance.text("consumer-key") + ":" + instance.text("consumer-secret"))
                        .getBytes(StandardCharsets.UTF_8));
    ApiClient client = new ApiClient();
    client.updateBaseUri(api);
    client.setConnectTimeout(timeout);
    client.setReadTimeout(timeout);
    client.setRequestInterceptor(request -> request.header("Authorization", credentials));
    this.customers = new CustomersApi(client);
    this.webhooks = new WebhooksApi(client);
    this.analytics = new AnalyticsApi(client);
  }

  /** {@code base-url} without a trailing slash, after checking it can carry the key safely. */
  static String siteAddress(ConnectorInstance instance) {
    return HttpAnswers.secureAddress("base-url", instance.text("base-url"));
  }

  /**
   * Runs a call, waiting out throttling and retrying what may pass.
   *
   * @param what the call in words, for a failure's message
   * @throws SourceUnavailable with the kind of failure and WooCommerce's own words
   */
  <T> T call(String what, Call<T> call) throws SourceUnavailable {
    Duration waited = Duration.ZERO;
    int failures = 0;
    while (true) {
      try {
        return call.run();
      } catch (ApiException e) {
        int status = e.getCode();
        String retryAfter =
            e.getResponseHeaders() == null
                ? null
                : e.getResponseHeaders().firstValue("Retry-After").orElse(null);
        if (status == 429 || (status == 503 && retryAfter != null)) {
          Duration pause = HttpAnswers.retryAfter(retryAfter, Instant.now());
          // at least a second: a Retry-After of 0 (or a date past) would ask again at once
          pause = pause.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : pause;
          if (waited.compareTo(throttleWait) >= 0) {
            throw new SourceUnavailable(
                FailureKind.TRANSIENT,
                "WooCommerce 限流，已等待 "
                    + waited.toSeconds()
                    + " 秒，下次同步继续 / the shop kept answering HTTP "
                    + status
                    + " to "
                    + what
                    + " for "
                    + waited.toSeconds()
                    + " s; the next sync goes on from the last position",
                e);
          }
          Duration left = throttleWait.minus(waited);
          pause = pause.compareTo(left) > 0 ? left : pause;
          sleeper.pause(pause);
          waited = waited.plus(pause);
          continue;
        }
        if (status == 0 && e.getCause() instanceof com.fasterxml.jackson.core.JacksonException) {
          throw new SourceUnavailable(
              FailureKind.SOURCE_SYSTEM,
              "WooCommerce 的回答不是预期的 JSON（可能有插件输出了警告）/ the shop's answer to "
                  + what
                  + " is not the JSON expected (a plugin printing PHP notices before it?): "
                  + e.getCause().getMessage(),
              e);
        }
        if (status == 0 || status >= 500) {
          if (++failures > RETRIES) {
            throw new SourceUnavailable(
                FailureKind.TRANSIENT,
                status == 0
                    ? "无法连接 WooCommerce，稍后重试 / cannot reach the shop at "
                        + api
                        + " ("
                        + what
                        + "), will retry: "
                        + e.getMessage()
                    : "WooCommerce 暂时不可用 / the shop answered HTTP "
                        + status
                        + " to "
                        + what
                        + " "
                        + RETRIES
                        + " times in a row, will retry: "
                        + HttpAnswers.excerpt(e.getResponseBody()),
                e);
          }
          sleeper.pause(Duration.ofSeconds(1L << (failures - 1)));
          continue;
        }
        throw refused(what, e);
      }
    }
  }

  /** An answer no waiting mends, in words that say what to check. */
  private SourceUnavailable refused(String what, ApiException e) {
    int status = e.getCode();
    Map.Entry<String, String> error = wordpressError(e.getResponseBody());
    String said = error == null ? HttpAnswers.excerpt(e.getResponseBody()) : error.getValue();
    String code = error == null ? "" : error.getKey();
    if (status == 401 || status == 403) {
      return new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "WooCommerce 拒绝了 REST 密钥，请检查 consumer-key、consumer-secret 及其读写权限 / the shop"
              + " refused the REST key (HTTP "
              + status
              + " "
              + code
              + ": "
              + said
              + "): check consumer-key, consumer-secret and that the key may Read/Write",
          e);
    }
    if (status == 404 && "rest_no_route".equals(code) && !what.contains("wc-analytics")) {
      return new SourceUnavailable(
          FailureKind.CONFIGURATION,
          "在 "
              + api
              + " 找不到 WooCommerce REST API，请检查 base-url、WooCommerce 是否启用、固定链接是否开启 / no"
              + " WooCommerce REST API at "
              + api
              + " ("
              + said
              + "): check base-url, that WooCommerce is active and that permalinks are not"
              + " 'Plain'",
          e);
    }
    return new SourceUnavailable(
        FailureKind.SOURCE_SYSTEM,
        "WooCommerce 拒绝了 "
            + what
            + " / the shop refused "
            + what
            + " (HTTP "
            + status
            + (code.isEmpty() ? "" : " " + code)
            + "): "
            + said,
        e);
  }

  /** A WordPress REST error body's code and message; null when the body is not one. */
  static Map.Entry<String, String> wordpressError(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode error = com.onemember.connectors.frame.JsonDocuments.JSON.readTree(body);
      String code = error.path("code").asString(null);
      return code == null ? null : Map.entry(code, error.path("message").asString(""));
    } catch (JacksonException e) {
      return null;
    }
  }

  /** The value of a paging header such as {@code X-WP-TotalPages}; -1 when absent. */
  static int header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey() != null && h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
        try {
          return Integer.parseInt(h.getValue().get(0).strip());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
