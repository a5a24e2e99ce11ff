package com.onemember.connectors.shopify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.connectors.shopify.ShopifyServer.Customer;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Shopify stand-in speaks the protocol the connector relies on, checked over a real socket. */
class ShopifyServerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PAGE =
      "query($first:Int!,$after:String,$q:String){customers(first:$first,after:$after,query:$q,"
          + "sortKey:UPDATED_AT){pageInfo{hasNextPage hasPreviousPage endCursor}"
          + " nodes{id legacyResourceId displayName updatedAt numberOfOrders amountSpent{amount currencyCode}"
          + " defaultAddress{city provinceCode} defaultPhoneNumber{phoneNumber}}}}";

  private ShopifyServer shop;

  @BeforeEach
  void start() throws IOException {
    shop = new ShopifyServer();
  }

  @AfterEach
  void stop() {
    shop.close();
  }

  private void at(String instant) {
    shop.setClock(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
  }

  private HttpResponse<String> send(String token, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(shop.baseUrl() + "/admin/api/2025-10/graphql.json"))
            .header("Content-Type", "application/json")
            .header("X-Shopify-Access-Token", token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode graphql(String query, Map<String, Object> variables) throws Exception {
    String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
    HttpResponse<String> response = send(ShopifyServer.ACCESS_TOKEN, body);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    return JSON.readTree(response.body());
  }

  @Test
  void pagesCustomersUpdatedSinceAWholeDay() throws Exception {
    at("2026-12-04T10:00:00Z");
    shop.create("明", "王", "wang@example.com", "+8613800000001");
    at("2026-12-05T09:00:00Z");
    Customer morning = shop.create("芳", "李", null, "+8613900000002");
    at("2026-12-06T07:00:00Z");
    Customer c3 = shop.create("伟", "张", null, "+8615000000003");
    Customer c4 = shop.create("静", "刘", null, "+8615100000004");
    Customer c5 = shop.create("强", "陈", null, "+8615200000005");
    shop.update(
        c3.id,
        c ->
            c.defaultAddress =
                new ShopifyServer.Address(
                    "文三路1号", null, "杭州市", "Zhejiang", "ZJ", "China", "CN", "310000", null));

    // 23:00 on the 5th, but Shopify matches the whole day: the customer of 09:00 is in.
    String q = "updated_at:>'2026-12-05T23:00:00Z'";
    JsonNode first = graphql(PAGE, Map.of("first", 2, "q", q)).path("data").path("customers");
    assertThat(ids(first)).containsExactly(morning.id, c3.id);
    assertThat(first.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
    JsonNode node = first.path("nodes").get(0);
    assertThat(node.path("id").asString()).isEqualTo("gid://shopify/Customer/" + morning.id);
    assertThat(node.path("updatedAt").asString()).isEqualTo("2026-12-05T09:00:00Z");
    assertThat(node.path("numberOfOrders").isString()).isTrue();
    assertThat(node.path("amountSpent").path("amount").asString()).isEqualTo("0.00");
    assertThat(node.path("amountSpent").path("currencyCode").asString()).isEqualTo("CNY");
    assertThat(node.path("defaultPhoneNumber").path("phoneNumber").asString())
        .isEqualTo("+8613900000002");
    assertThat(first.path("nodes").get(1).path("defaultAddress").path("provinceCode").asString())
        .isEqualTo("ZJ");

    String cursor = first.path("pageInfo").path("endCursor").asString();
    JsonNode second =
        graphql(PAGE, Map.of("first", 2, "q", q, "after", cursor)).path("data").path("customers");
    assertThat(ids(second)).containsExactly(c4.id, c5.id);
    assertThat(second.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
    assertThat(second.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();

    // A cursor is only good for the query that made it.
    JsonNode other = graphql(PAGE, Map.of("first", 2, "after", cursor));
    assertThat(other.path("errors").get(0).path("message").asString()).contains("Invalid cursor");
    assertThat(shop.operations()).containsExactly("customers", "customers", "customers");

    JsonNode tooMany = graphql(PAGE, Map.of("first", 300));
    assertThat(tooMany.path("errors").get(0).path("message").asString())
        .isEqualTo("The page size must be less than or equal to 250");
  }

  private static List<Long> ids(JsonNode connection) {
    List<Long> ids = new ArrayList<>();
    connection
        .path("nodes")
        .forEach(n -> ids.add(Long.parseLong(n.path("legacyResourceId").asString())));
    return ids;
  }

  @Test
  void unknownFieldsAndWrongArgumentTypesAreValidationErrors() throws Exception {
    JsonNode unknown = graphql("{ customers(first: 1) { nodes { id loyaltyPoints } } }", Map.of());
    assertThat(unknown.has("data")).isFalse();
    assertThat(unknown.path("errors").get(0).path("message").asString()).contains("loyaltyPoints");
    JsonNode wrongType = graphql("{ customers(first: \"ten\") { nodes { id } } }", Map.of());
    assertThat(wrongType.path("errors").size()).isPositive();
    assertThat(wrongType.has("data")).isFalse();
  }

  @Test
  void aWrongTokenIs401AndOtherPathsAre404() throws Exception {
    HttpResponse<String> response =
        send("shpat_wrong", "{\"query\":\"{customers(first:1){nodes{id}}}\"}");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).path("errors").asString())
        .startsWith("[API] Invalid API key or access token");
    assertThat(shop.requests()).isEqualTo(1);
    assertThat(shop.operations()).isEmpty();

    HttpResponse<String> bad = send(ShopifyServer.ACCESS_TOKEN, "{not json");
    assertThat(bad.statusCode()).isEqualTo(400);

    HttpResponse<String> missing =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(shop.baseUrl() + "/admin/api/latest/graphql.json"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void throttlesOnQueryCostAndFailsOnDemand() throws Exception {
    shop.throttle(50, 1);
    String query = "{ customers(first: 10) { nodes { id } } }"; // 1 + 2 * 10
    JsonNode ok = graphql(query, Map.of());
    assertThat(ok.path("extensions").path("cost").path("requestedQueryCost").asInt()).isEqualTo(21);
    graphql(query, Map.of());
    JsonNode throttled = graphql(query, Map.of());
    assertThat(throttled.has("data")).isFalse();
    assertThat(throttled.path("errors").get(0).path("extensions").path("code").asString())
        .isEqualTo("THROTTLED");
    JsonNode cost = throttled.path("extensions").path("cost");
    assertThat(cost.path("actualQueryCost").isNull()).isTrue();
    assertThat(cost.path("throttleStatus").path("maximumAvailable").asDouble()).isEqualTo(50);
    assertThat(cost.path("throttleStatus").path("currentlyAvailable").asDouble()).isLessThan(21);

    shop.throttle(2000, 100);
    JsonNode tooBig = graphql("{ customers(first: 600) { nodes { id } } }", Map.of());
    assertThat(tooBig.path("errors").get(0).path("extensions").path("code").asString())
        .isEqualTo("MAX_COST_EXCEEDED");

    shop.failNext(1, 429, "2.0");
    HttpResponse<String> refused =
        send(ShopifyServer.ACCESS_TOKEN, JSON.writeValueAsString(Map.of("query", query)));
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("2.0");
    assertThat(graphql(query, Map.of()).path("data").path("customers").isObject()).isTrue();
    assertThat(shop.requests()).isEqualTo(6);
  }

  @Test
  void metafieldsAndTagsAreWrittenAndNotifiedAsSignedWebhooks() throws Exception {
    BlockingQueue<String[]> deliveries = new LinkedBlockingQueue<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          deliveries.add(
              new String[] {
                exchange.getRequestHeaders().getFirst("X-Shopify-Topic"),
                exchange.getRequestHeaders().getFirst("X-Shopify-Hmac-Sha256"),
                ShopifyServer.hmac(body),
                new String(body, UTF_8)
              });
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    hook.start();
    try {
      at("2026-12-06T08:00:00Z");
      Customer c = shop.create("明", "王", "wang@example.com", "+8613800000001");
      String gid = "gid://shopify/Customer/" + c.id;
      shop.notifyChangesTo("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
      at("2026-12-06T09:30:00Z");

      String set =
          "mutation($m:[MetafieldsSetInput!]!){metafieldsSet(metafields:$m){"
              + "metafields{id namespace key value type} userErrors{field message code elementIndex}}}";
      JsonNode blank =
          graphql(
              set,
              Map.of(
                  "m",
                  List.of(
                      Map.of(
                          "ownerId",
                          gid,
                          "namespace",
                          "onemember",
                          "key",
                          "tier",
                          "value",
                          "gold"))));
      JsonNode error = blank.path("data").path("metafieldsSet").path("userErrors").get(0);
      assertThat(error.path("code").asString()).isEqualTo("BLANK");
      assertThat(error.path("elementIndex").asInt()).isZero();
      assertThat(shop.customer(c.id).metafields).isEmpty();

      JsonNode saved =
          graphql(
              set,
              Map.of(
                  "m",
                  List.of(
                      Map.of(
                          "ownerId",
                          gid,
                          "namespace",
                          "onemember",
                          "key",
                          "tier",
                          "type",
                          "single_line_text_field",
                          "value",
                          "gold"))));
      assertThat(saved.path("data").path("metafieldsSet").path("userErrors").size()).isZero();
      assertThat(
              saved
                  .path("data")
                  .path("metafieldsSet")
                  .path("metafields")
                  .get(0)
                  .path("value")
                  .asString())
          .isEqualTo("gold");

      JsonNode tagged =
          graphql(
              "mutation($id:ID!,$tags:[String!]!){tagsAdd(id:$id,tags:$tags){"
                  + "node{id ... on Customer{tags}} userErrors{field message}}}",
              Map.of("id", gid, "tags", List.of("VIP", "会员")));
      assertThat(tagged.path("data").path("tagsAdd").path("node").path("tags").toString())
          .isEqualTo("[\"VIP\",\"会员\"]");

      JsonNode read =
          graphql(
              "query($id:ID!){customer(id:$id){tags updatedAt"
                  + " metafield(namespace:\"onemember\",key:\"tier\"){value type}}}",
              Map.of("id", gid));
      JsonNode customer = read.path("data").path("customer");
      assertThat(customer.path("metafield").path("value").asString()).isEqualTo("gold");
      assertThat(customer.path("updatedAt").asString()).isEqualTo("2026-12-06T09:30:00Z");
      assertThat(shop.customer(c.id).tags).containsExactly("VIP", "会员");
      assertThat(shop.operations())
          .containsExactly("metafieldsSet", "metafieldsSet", "tagsAdd", "customer");

      for (int i = 0; i < 2; i++) { // one customers/update per changing mutation
        String[] delivery = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(delivery).isNotNull();
        assertThat(delivery[0]).isEqualTo("customers/update");
        assertThat(delivery[1]).isEqualTo(delivery[2]);
        JsonNode payload = JSON.readTree(delivery[3]);
        assertThat(payload.path("id").asLong()).isEqualTo(c.id);
        assertThat(payload.path("updated_at").asString()).isEqualTo("2026-12-06T17:30:00+08:00");
        assertThat(payload.has("tags")).isFalse();
      }
      assertThat(
              shop.sendWebhook(
                  "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                  "customers/redact",
                  c))
          .isEqualTo(200);
      assertThat(JSON.readTree(deliveries.take()[3]).path("customer").path("email").asString())
          .isEqualTo("wang@example.com");
    } finally {
      hook.stop(0);
    }
  }

  @Test
  void generatesManyCustomersQuickly() {
    long started = System.nanoTime();
    shop.generate(100_000, 42);
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(10));
    assertThat(shop.customers()).hasSize(100_000);
    assertThat(shop.customers().get(0).phone).matches("\\+861[3-9]\\d{9}");
  }
}
