package com.onemember.connectors.woocommerce;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.woocommerce.WooCommerceServer.Customer;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WooCommerce stand-in speaks wc/v3 and its webhooks as the connector meets them, on a socket.
 */
class WooCommerceServerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  (WooCommerceServer.CONSUMER_KEY + ":" + WooCommerceServer.CONSUMER_SECRET)
                      .getBytes(UTF_8));

  private WooCommerceServer shop;
  private Receiver receiver;

  @BeforeEach
  void start() throws IOException {
    shop = new WooCommerceServer();
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    shop.close();
    receiver.close();
  }

  // ---------------------------------------------------------------- authentication

  @Test
  void keysAreAcceptedByBasicAuthOrQueryParameters() throws Exception {
    shop.create("王", "芳", "13812345678", "wangfang@163.com");
    String query =
        "?consumer_key="
            + WooCommerceServer.CONSUMER_KEY
            + "&consumer_secret="
            + WooCommerceServer.CONSUMER_SECRET;

    HttpResponse<String> basic = send("GET", "/customers", null, BASIC);
    HttpResponse<String> params = send("GET", "/customers" + query, null, null);
    // The query's key is looked at first; a wrong Basic header beside it does not matter.
    HttpResponse<String> both =
        send("GET", "/customers" + query, null, basic("ck_wrong", "cs_wrong"));

    for (HttpResponse<String> response : List.of(basic, params, both)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).get(0).path("email").asString())
          .isEqualTo("wangfang@163.com");
    }
    assertThat(WooCommerceServer.CONSUMER_KEY).matches("ck_[0-9a-f]{40}");
    assertThat(WooCommerceServer.CONSUMER_SECRET).matches("cs_[0-9a-f]{40}");
    assertThat(shop.requestLog())
        .containsExactly(
            "GET /wp-json/wc/v3/customers",
            "GET /wp-json/wc/v3/customers" + query,
            "GET /wp-json/wc/v3/customers" + query);
  }

  @Test
  void missingCredentialsAndUnknownKeysAreAnonymousWhileAWrongSecretIsRefusedEverywhere()
      throws Exception {
    HttpResponse<String> none = send("GET", "/customers", null, null);
    assertError(none, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    assertThat(none.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=UTF-8");

    // WooCommerce does not say the key is unknown: the caller is just not logged in.
    HttpResponse<String> unknownKey =
        send("GET", "/customers", null, basic("ck_" + "0".repeat(40), "cs_" + "0".repeat(40)));
    assertError(
        unknownKey, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");

    HttpResponse<String> wrongSecret =
        send("GET", "/customers", null, basic(WooCommerceServer.CONSUMER_KEY, "cs_wrong"));
    assertError(
        wrongSecret, 401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.");
    HttpResponse<String> wrongSecretNoRoute =
        send("GET", "/orders-export", null, basic(WooCommerceServer.CONSUMER_KEY, "cs_wrong"));
    assertThat(wrongSecretNoRoute.statusCode()).isEqualTo(401);

    assertError(
        send("GET", "/orders-export", null, BASIC),
        404,
        "rest_no_route",
        "No route was found matching the URL and request method.");

    shop.setKeyPermissions("read");
    assertError(
        send("PUT", "/customers/1001", "{}", BASIC),
        401,
        "woocommerce_rest_authentication_error",
        "The API key provided does not have write permissions.");
    assertThat(shop.requests()).isEqualTo(6);
  }

  // ---------------------------------------------------------------- listing customers

  @Test
  void pagesCarryTotalsAndWordPressLinkHeaders() throws Exception {
    for (int i = 0; i < 25; i++) {
      shop.create("李", "娜" + i, "1391234" + String.format("%04d", i), "lina" + i + "@126.com");
    }
    String customers = shop.apiUrl() + "/customers";

    HttpResponse<String> second = send("GET", "/customers?per_page=10&page=2", null, BASIC);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(second.body()).size()).isEqualTo(10);
    assertThat(second.headers().firstValue("X-WP-Total")).hasValue("25");
    assertThat(second.headers().firstValue("X-WP-TotalPages")).hasValue("3");
    assertThat(second.headers().firstValue("Link"))
        .hasValue(
            "<"
                + customers
                + "?per_page=10&page=1>; rel=\"prev\", <"
                + customers
                + "?per_page=10&page=3>; rel=\"next\"");

    HttpResponse<String> first = send("GET", "/customers?per_page=10", null, BASIC);
    assertThat(first.headers().firstValue("Link"))
        .hasValue("<" + customers + "?per_page=10&page=2>; rel=\"next\"");

    HttpResponse<String> beyond = send("GET", "/customers?per_page=10&page=4", null, BASIC);
    assertThat(beyond.statusCode()).isEqualTo(200);
    assertThat(beyond.body()).isEqualTo("[]");
    assertThat(beyond.headers().firstValue("X-WP-Total")).hasValue("25");
    assertThat(beyond.headers().firstValue("Link"))
        .hasValue("<" + customers + "?per_page=10&page=3>; rel=\"prev\"");
  }

  @Test
  void theLinkHeaderDecodesValuesTwiceSoAPlusInAnOffsetIsLost() throws Exception {
    shop.setClock(Clock.fixed(Instant.parse("2026-12-06T02:00:00Z"), ZoneOffset.UTC));
    for (int i = 0; i < 3; i++) {
      shop.create("张", "伟" + i, "", "zhangwei" + i + "@qq.com");
    }
    String since = URLEncoder.encode("2026-12-06T08:00:00+08:00", UTF_8);
    HttpResponse<String> first =
        send("GET", "/customers?modified_after=" + since + "&per_page=2", null, BASIC);
    assertThat(first.headers().firstValue("X-WP-Total")).hasValue("3");
    String next = first.headers().firstValue("Link").orElseThrow();
    assertThat(next).contains("modified_after=2026-12-06T08%3A00%3A00+08%3A00&per_page=2&page=2");

    String url = next.substring(1, next.indexOf('>'));
    HttpResponse<String> followed =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).header("Authorization", BASIC).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(followed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(followed.body()).path("data").path("params").path("modified_after"))
        .hasToString("\"Invalid date.\"");
  }

  @Test
  void perPageAboveOneHundredAndUnknownSortKeysAreInvalidParameters() throws Exception {
    HttpResponse<String> tooMany = send("GET", "/customers?per_page=101", null, BASIC);
    assertError(tooMany, 400, "rest_invalid_param", "Invalid parameter(s): per_page");
    JsonNode data = JSON.readTree(tooMany.body()).path("data");
    assertThat(data.path("params").path("per_page").asString())
        .isEqualTo("per_page must be between 1 (inclusive) and 100 (inclusive)");
    assertThat(data.path("details").path("per_page").path("code").asString())
        .isEqualTo("rest_out_of_bounds");

    HttpResponse<String> both =
        send("GET", "/customers?orderby=email&per_page=0&order=ASC", null, BASIC);
    JsonNode params = JSON.readTree(both.body()).path("data").path("params");
    assertThat(params.path("orderby").asString())
        .isEqualTo("orderby is not one of id, include, name, and registered_date.");
    assertThat(params.path("order").asString()).isEqualTo("order is not one of asc and desc.");
    assertThat(params.propertyNames()).containsExactly("per_page", "order", "orderby");

    // Parameters are checked before permissions: no key gets the same 400.
    assertThat(send("GET", "/customers?per_page=101", null, null).statusCode()).isEqualTo(400);
  }

  @Test
  void pagingByIdVisitsEveryCustomerExactlyOnce() throws Exception {
    shop.generate(1234, 42);
    List<Long> seen = new ArrayList<>();
    int pages = Integer.MAX_VALUE;
    for (int page = 1; page <= pages; page++) {
      HttpResponse<String> response =
          send("GET", "/customers?orderby=id&order=asc&per_page=100&page=" + page, null, BASIC);
      pages = Integer.parseInt(response.headers().firstValue("X-WP-TotalPages").orElseThrow());
      JSON.readTree(response.body()).forEach(c -> seen.add(c.path("id").asLong()));
    }
    assertThat(pages).isEqualTo(13);
    assertThat(seen).hasSize(1234).doesNotHaveDuplicates().isSorted();
    assertThat(seen).containsExactlyElementsOf(shop.customers().stream().map(c -> c.id).toList());
    assertThat(shop.requestLog())
        .hasSize(13)
        .last()
        .isEqualTo("GET /wp-json/wc/v3/customers?orderby=id&order=asc&per_page=100&page=13");

    JsonNode one = JSON.readTree(send("GET", "/customers/" + seen.get(0), null, BASIC).body());
    assertThat(one.path("last_name").asString()).matches("\\p{IsHan}");
    assertThat(one.path("billing").path("state").asString()).matches("CN\\d{1,2}");
    assertThat(one.path("billing").path("city").asString()).endsWith("市");
    assertThat(one.path("billing").path("email").asString())
        .isEqualTo(one.path("email").asString());
    assertThat(one.path("date_modified_gmt").asString())
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
    assertThat(one.path("_links").path("self").get(0).path("href").asString())
        .isEqualTo(shop.apiUrl() + "/customers/" + seen.get(0));
    assertThat(shop.customers())
        .extracting(c -> c.billing.phone)
        .filteredOn(phone -> !phone.isEmpty())
        .allMatch(phone -> phone.matches("(\\+?86)?1[3-9]\\d{9}"));
  }

  @Test
  void aHundredThousandCustomersAreGeneratedWithUniqueEmails() throws Exception {
    shop.generate(100_000, 7);
    List<Customer> all = shop.customers();
    assertThat(all).hasSize(100_000);
    assertThat(new HashSet<>(all.stream().map(c -> c.email).toList())).hasSize(100_000);
    assertThat(new HashSet<>(all.stream().map(c -> c.username).toList())).hasSize(100_000);

    HttpResponse<String> last =
        send("GET", "/customers?orderby=id&per_page=100&page=1000", null, BASIC);
    assertThat(last.headers().firstValue("X-WP-Total")).hasValue("100000");
    assertThat(JSON.readTree(last.body()).get(99).path("id").asLong())
        .isEqualTo(WooCommerceServer.FIRST_CUSTOMER_ID + 99_999);
  }

  @Test
  void includeTakesACommaListOrAnArrayAndCanSetTheOrder() throws Exception {
    Customer wang = shop.create("王", "芳", "13800138000", "wangfang@163.com");
    Customer li = shop.create("李", "娜", "13900139000", "lina@qq.com");
    Customer zhang = shop.create("张", "伟", "+86 138 0013 8001", "zhangwei@sina.com");

    assertThat(ids(send("GET", "/customers?include=" + zhang.id + "," + wang.id, null, BASIC)))
        .containsExactlyInAnyOrder(wang.id, zhang.id);
    assertThat(
            ids(
                send(
                    "GET",
                    "/customers?include%5B%5D="
                        + li.id
                        + "&include%5B%5D="
                        + wang.id
                        + "&orderby=include",
                    null,
                    BASIC)))
        .containsExactly(li.id, wang.id);
    assertThat(ids(send("GET", "/customers?include=999", null, BASIC))).isEmpty();

    JsonNode trimmed =
        JSON.readTree(
            send("GET", "/customers/" + zhang.id + "?_fields=billing.phone,id", null, BASIC)
                .body());
    assertThat(trimmed.toString())
        .isEqualTo("{\"id\":" + zhang.id + ",\"billing\":{\"phone\":\"+86 138 0013 8001\"}}");
  }

  // ---------------------------------------------------------------- modified_after

  @Test
  void modifiedAfterIsSiteTimeUnlessDatesAreGmtAndAnOffsetIsConvertedToSiteTime() throws Exception {
    shop.setClock(Clock.fixed(Instant.parse("2026-12-06T00:30:00Z"), ZoneOffset.UTC));
    Customer early = shop.create("王", "芳", "13812345678", "wangfang@163.com");
    shop.setClock(Clock.fixed(Instant.parse("2026-12-06T02:00:00Z"), ZoneOffset.UTC));
    Customer late = shop.create("李", "娜", "13987654321", "lina@qq.com");

    JsonNode earlyJson = JSON.readTree(send("GET", "/customers/" + early.id, null, BASIC).body());
    assertThat(earlyJson.path("date_modified").asString()).isEqualTo("2026-12-06T08:30:00");
    assertThat(earlyJson.path("date_modified_gmt").asString()).isEqualTo("2026-12-06T00:30:00");

    // Shanghai time: 09:00 there is 01:00 UTC.
    assertThat(ids(list("modified_after=2026-12-06T09:00:00"))).containsExactly(late.id);
    assertThat(ids(list("modified_after=2026-12-06T09:00:00&dates_are_gmt=true"))).isEmpty();
    assertThat(ids(list("modified_after=2026-12-06T01:00:00&dates_are_gmt=true")))
        .containsExactly(late.id);
    // Strictly after, to the second.
    assertThat(ids(list("modified_after=2026-12-06T10:00:00"))).isEmpty();
    // An offset is converted to site time, then compared with the column dates_are_gmt picks:
    // right without dates_are_gmt, eight hours late with it.
    assertThat(ids(list("modified_after=2026-12-06T00:00:00Z")))
        .containsExactlyInAnyOrder(early.id, late.id);
    assertThat(ids(list("modified_after=2026-12-06T00:00:00Z&dates_are_gmt=true"))).isEmpty();

    for (String bad : List.of("yesterday", "2026-13-45T00:00:00", "2026-12-06T09:00:00+0800")) {
      assertError(
          list("modified_after=" + URLEncoder.encode(bad, UTF_8)),
          400,
          "rest_invalid_param",
          "Invalid parameter(s): modified_after");
    }
  }

  @Test
  void modifiedAfterIsIgnoredWhenTheShopDoesNotKnowIt() throws Exception {
    shop.setClock(Clock.fixed(Instant.parse("2026-12-06T00:30:00Z"), ZoneOffset.UTC));
    shop.create("王", "芳", "13812345678", "wangfang@163.com");
    shop.create("李", "娜", "13987654321", "lina@qq.com");
    shop.honourModifiedAfter(false);

    assertThat(ids(list("modified_after=2030-01-01T00:00:00&dates_are_gmt=true"))).hasSize(2);
    assertThat(list("modified_after=yesterday&dates_are_gmt=maybe").statusCode()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- updates

  @Test
  void putUpdatesFieldsAndMetaDataAsWooCommerceDoes() throws Exception {
    shop.setClock(Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC));
    Customer c = shop.create("王", "芳", "13812345678", "wangfang@163.com");
    long level = shop.addMeta(c.id, "member_level", "silver");
    long tag1 = shop.addMeta(c.id, "tag", "tea");
    shop.addMeta(c.id, "tag", "coffee");
    shop.setClock(Clock.fixed(Instant.parse("2026-12-07T03:04:05Z"), ZoneOffset.UTC));

    JsonNode updated =
        put(
            c.id,
            Map.of(
                "first_name", "芳芳",
                "billing", Map.of("phone", "+86 139 0000 1111"),
                "meta_data",
                    List.of(
                        Map.of("id", level, "key", "member_level", "value", "gold"),
                        Map.of("key", "tag", "value", "oolong"),
                        Map.of("key", "points", "value", 120),
                        Map.of("key", "prefs", "value", Map.of("channel", "wechat")))));
    assertThat(updated.path("first_name").asString()).isEqualTo("芳芳");
    assertThat(updated.path("billing").path("phone").asString()).isEqualTo("+86 139 0000 1111");
    assertThat(updated.path("billing").path("city").asString()).isNotEmpty(); // untouched
    assertThat(updated.path("date_modified_gmt").asString()).isEqualTo("2026-12-07T03:04:05");
    assertThat(meta(updated, "member_level")).containsExactly(level + "=\"gold\"");
    // The first "tag" takes the value, the other goes.
    assertThat(meta(updated, "tag")).containsExactly(tag1 + "=\"oolong\"");
    // A number comes back as the string WordPress stores; an object stays an object.
    assertThat(meta(updated, "points"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .endsWith("=\"120\"");
    assertThat(meta(updated, "prefs"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .endsWith("={\"channel\":\"wechat\"}");

    JsonNode deleted = put(c.id, Map.of("meta_data", List.of(nullValue("points"))));
    assertThat(meta(deleted, "points")).isEmpty();

    // An id the customer does not have: WooCommerce replaces every entry of the key by a new one.
    JsonNode replaced =
        put(
            c.id,
            Map.of("meta_data", List.of(Map.of("id", 999_999, "key", "tag", "value", "puer"))));
    assertThat(meta(replaced, "tag"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .doesNotStartWith(tag1 + "=");
    assertThat(meta(replaced, "tag"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .endsWith("=\"puer\"");

    assertThat(shop.updates()).isEqualTo(3);
    assertThat(shop.customer(c.id).meta("member_level").value().asString()).isEqualTo("gold");
    assertError(
        send("PUT", "/customers/999", "{\"first_name\":\"x\"}", BASIC),
        404,
        "wc_user_invalid_id",
        "Invalid user ID.");
    assertError(
        send("PUT", "/customers/" + c.id, "{\"billing\":{\"email\":\"not-an-email\"}}", BASIC),
        400,
        "rest_invalid_param",
        "Invalid parameter(s): billing");
    assertThat(shop.updates()).isEqualTo(3);
  }

  @Test
  void anUpdateThroughTheApiSendsCustomerUpdatedAfterAnswering() throws Exception {
    Customer c = shop.create("王", "芳", "13812345678", "wangfang@163.com");
    shop.notifyChangesTo(receiver.url());

    put(c.id, Map.of("last_name", "汪"));

    Received delivery = receiver.next();
    assertThat(delivery.header("X-WC-Webhook-Topic")).isEqualTo("customer.updated");
    assertThat(delivery.json().path("last_name").asString()).isEqualTo("汪");
    assertThat(delivery.header("X-WC-Webhook-Signature"))
        .isEqualTo(hmac(delivery.body(), WooCommerceServer.WEBHOOK_SECRET));
    assertThat(receiver.received).isEmpty();
  }

  // ---------------------------------------------------------------- failures

  @Test
  void failNextAnswersWithRetryAfterAndThenRecovers() throws Exception {
    shop.failNext(2, 429, "7");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> throttled = send("GET", "/customers", null, BASIC);
      assertError(throttled, 429, "too_many_requests", "Too many requests");
      assertThat(throttled.headers().firstValue("Retry-After")).hasValue("7");
    }
    assertThat(send("GET", "/customers", null, BASIC).statusCode()).isEqualTo(200);

    shop.failNext(1, 503, "120");
    HttpResponse<String> maintenance = send("GET", "/customers", null, BASIC);
    assertThat(maintenance.statusCode()).isEqualTo(503);
    assertThat(maintenance.headers().firstValue("Content-Type"))
        .hasValue("text/html; charset=UTF-8");
    assertThat(maintenance.headers().firstValue("Retry-After")).hasValue("120");
    assertThat(maintenance.body()).contains("Briefly unavailable for scheduled maintenance");

    shop.failNext(1, 502, null);
    HttpResponse<String> gateway = send("GET", "/customers", null, BASIC);
    assertThat(gateway.body()).contains("502 Bad Gateway");
    assertThat(gateway.headers().firstValue("Retry-After")).isEmpty();
    assertThat(shop.requests()).isEqualTo(5);
  }

  // ---------------------------------------------------------------- webhooks

  @Test
  void webhooksAreSignedOverTheExactBytesWordPressWrote() throws Exception {
    Customer c = shop.create("王", "芳", "13812345678", "wangfang@163.com");

    int status = shop.sendWebhook(receiver.url(), "customer.updated", c.id);

    assertThat(status).isEqualTo(200);
    Received delivery = receiver.next();
    assertThat(delivery.header("X-WC-Webhook-Signature"))
        .isEqualTo(hmac(delivery.body(), WooCommerceServer.WEBHOOK_SECRET))
        .isEqualTo(WooCommerceServer.signature(delivery.body()));
    assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
    assertThat(delivery.header("User-Agent"))
        .isEqualTo("WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)");
    assertThat(delivery.header("X-WC-Webhook-Source")).isEqualTo(shop.baseUrl() + "/");
    assertThat(delivery.header("X-WC-Webhook-Resource")).isEqualTo("customer");
    assertThat(delivery.header("X-WC-Webhook-Event")).isEqualTo("updated");
    long webhookId = Long.parseLong(delivery.header("X-WC-Webhook-ID"));
    assertThat(shop.webhook(webhookId).topic()).isEqualTo("customer.updated");
    assertThat(delivery.header("X-WC-Webhook-Delivery-ID")).matches("[0-9a-f]{32}");

    String raw = new String(delivery.body(), UTF_8);
    assertThat(raw)
        .contains("\"last_name\":\"\\u738b\"")
        .contains("https:\\/\\/secure.gravatar.com");
    assertThat(delivery.json())
        .isEqualTo(JSON.readTree(send("GET", "/customers/" + c.id, null, BASIC).body()));

    shop.delete(c.id);
    shop.sendWebhook(receiver.url(), "customer.deleted", c.id);
    Received deleted = receiver.next();
    assertThat(new String(deleted.body(), UTF_8)).isEqualTo("{\"id\":" + c.id + "}");
    assertThat(deleted.header("X-WC-Webhook-Topic")).isEqualTo("customer.deleted");
  }

  @Test
  void thePingIsAnUnsignedFormPostOfTheWebhookId() throws Exception {
    long id = shop.addWebhook("customer.updated", receiver.url());

    assertThat(shop.sendPing(receiver.url(), id)).isEqualTo(200);

    Received ping = receiver.next();
    assertThat(new String(ping.body(), UTF_8)).isEqualTo("webhook_id=" + id);
    assertThat(ping.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(ping.header("User-Agent")).startsWith("WooCommerce/");
    assertThat(ping.header("X-WC-Webhook-Signature")).isNull();
    assertThat(ping.header("X-WC-Webhook-Topic")).isNull();
  }

  @Test
  void consecutiveFailedDeliveriesDisableTheWebhookAsWooCommerceCountsThem() throws Exception {
    Customer c = shop.create("李", "娜", "13987654321", "lina@qq.com");
    long id = shop.addWebhook("customer.updated", receiver.url());
    receiver.status.set(500);

    for (int i = 1; i <= 6; i++) {
      assertThat(shop.sendWebhook(receiver.url(), "customer.updated", c.id)).isEqualTo(500);
    }
    assertThat(shop.webhook(id).status()).isEqualTo("active");
    assertThat(shop.webhook(id).failureCount()).isEqualTo(6);

    // failed_delivery() disables when the count it finds is above 5: the seventh failure.
    shop.sendWebhook(receiver.url(), "customer.updated", c.id);
    assertThat(shop.webhook(id).status()).isEqualTo("disabled");
    JsonNode listed =
        JSON.readTree(send("GET", "/webhooks?status=disabled", null, BASIC).body()).get(0);
    assertThat(listed.path("id").asLong()).isEqualTo(id);
    assertThat(listed.path("status").asString()).isEqualTo("disabled");
    assertThat(listed.path("delivery_url").asString()).isEqualTo(receiver.url());
    assertThat(listed.path("hooks").toString())
        .isEqualTo("[\"profile_update\",\"woocommerce_update_customer\"]");
    assertThatThrownBy(() -> shop.sendWebhook(receiver.url(), "customer.updated", c.id))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("disabled");

    // A success in between starts the count again.
    shop.setWebhookStatus(id, "active");
    receiver.status.set(200);
    shop.sendWebhook(receiver.url(), "customer.updated", c.id);
    assertThat(shop.webhook(id).failureCount()).isZero();
    assertThat(shop.deliveryLog())
        .hasSize(8)
        .last(InstanceOfAssertFactories.STRING)
        .endsWith("-> 200");
  }

  // ---------------------------------------------------------------- helpers

  private HttpResponse<String> send(String method, String path, String json, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(shop.apiUrl() + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> list(String query) throws Exception {
    return send("GET", "/customers?" + query, null, BASIC);
  }

  private JsonNode put(long id, Map<String, ?> body) throws Exception {
    HttpResponse<String> response =
        send("PUT", "/customers/" + id, JSON.writeValueAsString(body), BASIC);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static Map<String, Object> nullValue(String key) {
    Map<String, Object> entry = new java.util.HashMap<>();
    entry.put("key", key);
    entry.put("value", null);
    return entry;
  }

  /** The customer's meta entries with this key, as "id=value-json". */
  private static List<String> meta(JsonNode customer, String key) {
    List<String> entries = new ArrayList<>();
    customer
        .path("meta_data")
        .forEach(
            m -> {
              if (m.path("key").asString().equals(key)) {
                entries.add(m.path("id").asLong() + "=" + m.path("value"));
              }
            });
    return entries;
  }

  private static List<Long> ids(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    JSON.readTree(response.body()).forEach(c -> ids.add(c.path("id").asLong()));
    return ids;
  }

  private static void assertError(
      HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("code").asString()).isEqualTo(code);
    assertThat(body.path("message").asString()).isEqualTo(message);
    assertThat(body.path("data").path("status").asInt()).isEqualTo(status);
  }

  private static String basic(String key, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(UTF_8));
  }

  /** The signature computed here, independently of the server's helper. */
  private static String hmac(byte[] body, String secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  private record Received(Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  /** A webhook endpoint on a free port that records what it gets and answers {@link #status}. */
  private static final class Receiver implements AutoCloseable {
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicInteger status = new AtomicInteger(200);
    final HttpServer server;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/hooks/woocommerce",
          exchange -> {
            received.add(
                new Received(
                    Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/woocommerce";
    }

    Received next() throws InterruptedException {
      Received next = received.poll(10, TimeUnit.SECONDS);
      assertThat(next).as("a request to the receiver").isNotNull();
      return next;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
