package com.onemember.connectors.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.canonical.Tag;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.connectors.frame.Writeback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code shopify} kind against a local shop that runs a real GraphQL engine over a subset of
 * Shopify's Admin schema ({@link ShopifyServer}): pages, the {@code updated_at} filter, the
 * cost-based rate limit, error answers, webhook signatures and the writeback.
 */
class ShopifyConnectorTest {

  private final ShopifyServer shop = new ShopifyServer();
  private final List<Duration> waits = new ArrayList<>();
  private final ShopifyKind kind = new ShopifyKind();

  ShopifyConnectorTest() throws Exception {}

  @AfterEach
  void stop() {
    shop.close();
  }

  private ConnectorInstance instance(Map<String, Object> extra) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("shop-domain", ShopifyServer.SHOP_DOMAIN);
    parameters.put("access-token", ShopifyServer.ACCESS_TOKEN);
    parameters.put("webhook-secret", ShopifyServer.WEBHOOK_SECRET);
    parameters.put("base-url", shop.baseUrl());
    parameters.put("timeout", 5);
    parameters.putAll(extra);
    return new ConnectorInstance(
        Path.of("shop-lin.yaml"),
        "shop-lin",
        "shopify",
        true,
        Duration.ofMinutes(1),
        null,
        List.of(),
        parameters);
  }

  private ShopifyCustomers customers(Map<String, Object> extra, int pageSize) {
    return new ShopifyCustomers(
        new ShopifyClient(instance(extra), waits::add), pageSize, "onemember");
  }

  private static Map<String, Map<String, String>> read(ShopifyCustomers source, Instant since)
      throws SourceUnavailable {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    source.readChanges(since, rows::put);
    return rows;
  }

  @Test
  void readsEveryCustomerPageByPageAndMapsAChineseCustomer() throws Exception {
    ShopifyServer.Customer wang = shop.create("芳", "王", "wangfang@163.com", "+8613912345678");
    shop.update(
        wang.id,
        c -> {
          c.defaultAddress =
              new ShopifyServer.Address(
                  "文三路 90 号", "3幢501", "杭州", "浙江", "ZJ", "China", "CN", "310012", null);
          c.numberOfOrders = 5;
          c.amountSpent = "1280.50";
          c.tags.add("VIP");
        });
    for (int i = 0; i < 4; i++) {
      shop.create("客" + i, "李", null, "+86139000000" + (10 + i));
    }

    Map<String, Map<String, String>> rows = read(customers(Map.of(), 2), null);

    assertThat(rows).hasSize(5);
    assertThat(shop.operations()).containsOnly("customers").hasSize(3);
    SourceRecord record = kind.map("shop-lin", rows.get(Long.toString(wang.id)));
    assertThat(record.name()).isEqualTo("王芳");
    assertThat(record.identifiers())
        .contains(
            new Identifier(IdentifierType.EXTERNAL_ID, Long.toString(wang.id), "shop-lin"),
            Identifier.of(IdentifierType.MOBILE, "+8613912345678"),
            Identifier.of(IdentifierType.EMAIL, "wangfang@163.com"));
    assertThat(record.addresses().get(0).province()).isEqualTo("浙江");
    assertThat(record.addresses().get(0).line()).isEqualTo("文三路 90 号3幢501");
    assertThat(record.purchases().orders()).isEqualTo("5");
    assertThat(record.purchases().spent()).isEqualTo("1280.50");
    assertThat(record.tags()).containsExactly(new Tag("VIP", "shop-lin"));
    // Shopify moves updatedAt when the hub writes back: not part of the record
    assertThat(record.raw()).doesNotContainKey("updatedAt");
    // in key order, so a pull and a push of the same fields hash alike
    assertThat(new ArrayList<>(record.raw().keySet())).isSorted();
    assertThat(record.sourceUpdatedAt()).isNull();
  }

  @Test
  void readsWhatChangedSinceThePositionAndReturnsTheNewPosition() throws Exception {
    Instant monday = Instant.parse("2026-11-30T02:00:00Z");
    shop.setClock(Clock.fixed(monday, ZoneOffset.UTC));
    shop.create("伟", "张", null, "+8613700000001");
    Instant thursday = Instant.parse("2026-12-03T09:30:00Z");
    shop.setClock(Clock.fixed(thursday, ZoneOffset.UTC));
    ShopifyServer.Customer li = shop.create("娜", "李", null, "+8613700000002");

    ShopifyCustomers source = customers(Map.of(), 50);
    List<String> keys = new ArrayList<>();
    Instant reached =
        source.readChanges(Instant.parse("2026-12-03T12:00:00Z"), (k, r) -> keys.add(k));

    // Shopify's updated_at filter matches whole days: the morning's change comes too
    assertThat(keys).containsExactly(Long.toString(li.id));
    assertThat(reached).isEqualTo(Instant.parse("2026-12-03T12:00:00Z"));
    assertThat(source.readChanges(null, (k, r) -> keys.add(k))).isEqualTo(thursday);
  }

  @Test
  void leavesTheTagsTheHubAddedOutOfTheCustomersOwn() throws Exception {
    ShopifyServer.Customer c = shop.create("敏", "陈", null, "+8613800000003");
    shop.update(
        c.id,
        x -> {
          x.tags.addAll(List.of("VIP", "忠实客户"));
          x.metafields.put(
              "onemember.tags",
              new ShopifyServer.Metafield("onemember", "tags", "json", "[\"忠实客户\"]"));
        });
    Map<String, String> row = read(customers(Map.of(), 10), null).get(Long.toString(c.id));
    assertThat(ShopifyCustomers.tagList(row.get("tags"))).containsExactly("VIP");
  }

  /** Waits for real (the shop's bucket refills in real time) and records each wait. */
  private ShopifyCustomers sleeping(int pageSize) {
    return new ShopifyCustomers(
        new ShopifyClient(
            instance(Map.of()),
            d -> {
              waits.add(d);
              Thread.sleep(d.toMillis());
            }),
        pageSize,
        "onemember");
  }

  @Test
  void waitsForTheRateLimitBucketInsteadOfFailing() throws Exception {
    for (int i = 0; i < 30; i++) {
      shop.create("客" + i, "王", null, "+861390000" + (1000 + i));
    }
    // a page of 10 costs 21 points; the bucket holds 30 and refills 100 a second
    shop.throttle(30, 100);
    Map<String, Map<String, String>> rows = read(sleeping(10), null);

    assertThat(rows).hasSize(30);
    // the client waited before pages 2 and 3 for what the bucket lacked, and was never throttled
    assertThat(waits).hasSize(2).allSatisfy(w -> assertThat(w).isPositive());
    assertThat(shop.operations()).hasSize(3);
  }

  @Test
  void aThrottledAnswerIsWaitedOutAndAskedAgain() throws Exception {
    shop.create("静", "刘", null, "+8613900000004");
    shop.throttle(25, 50);
    read(sleeping(10), null); // another reader drains the bucket to 4 points
    waits.clear();
    Map<String, Map<String, String>> rows = read(sleeping(10), null);

    assertThat(rows).hasSize(1);
    // THROTTLED (HTTP 200) once, a second's wait as Shopify advises, then the page
    assertThat(waits).containsExactly(Duration.ofSeconds(1));
    assertThat(shop.operations()).hasSize(3);
  }

  @Test
  void a429IsAskedAgainAfterItsRetryAfter() throws Exception {
    shop.create("静", "刘", null, "+8613900000004");
    shop.failNext(1, 429, "2.0");
    assertThat(read(customers(Map.of(), 10), null)).hasSize(1);
    assertThat(waits).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void aRetryAfterLongerThanTheConnectorAllowsIsCutToThrottleWait() throws Exception {
    shop.create("静", "刘", null, "+8613900000004");
    shop.failNext(1, 429, "3600");
    assertThat(read(customers(Map.of("throttle-wait", 5), 10), null)).hasSize(1);
    assertThat(waits).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void fiveHundredsAreRetriedThenTheSyncEndsAsTransient() throws Exception {
    shop.create("磊", "周", null, "+8613900000005");
    shop.failNext(2, 503, null);
    assertThat(read(customers(Map.of(), 10), null)).hasSize(1);
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));

    shop.failNext(4, 502, null);
    assertThatThrownBy(() -> read(customers(Map.of(), 10), null))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT))
        .hasMessageContaining("HTTP 502");
  }

  @Test
  void aWrongTokenOrShopIsAConfigurationFailure() {
    assertThatThrownBy(() -> read(customers(Map.of("access-token", "shpat_revoked"), 10), null))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION))
        .hasMessageContaining("access-token");
    assertThatThrownBy(() -> read(customers(Map.of("api-version", "latest"), 10), null))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION))
        .hasMessageContaining("api-version");
  }

  @Test
  void aQueryTheSchemaRefusesIsASourceSystemFailureWithShopifysWords() throws Exception {
    ShopifyClient client = new ShopifyClient(instance(Map.of()), waits::add);
    assertThatThrownBy(() -> client.call("{ customers(first: 5) { nodes { birthday } } }", null))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.SOURCE_SYSTEM))
        .hasMessageContaining("birthday");
  }

  // --- webhooks

  private HookRequest hook(String topic, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    shop.webhookHeaders(topic, body, UUID.randomUUID().toString())
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    return new HookRequest(headers, body);
  }

  @Test
  void aSignedCustomerWebhookIsAPushOfTheSameFieldsAPullGives() throws Exception {
    ShopifyServer.Customer c = shop.create("芳", "王", "wangfang@163.com", "+8613912345678");
    shop.update(
        c.id,
        x ->
            x.defaultAddress =
                new ShopifyServer.Address(
                    "文三路 90 号", null, "杭州", "浙江", "ZJ", "China", "CN", "310012", null));
    HookRequest request = hook("customers/update", shop.webhookBody("customers/update", c));
    ConnectorInstance instance = instance(Map.of());

    kind.verify(instance, request);
    List<WebhookKind.Push> pushes = kind.read(instance, request);

    assertThat(pushes).hasSize(1);
    WebhookKind.Push push = pushes.get(0);
    assertThat(push.key()).isEqualTo(Long.toString(c.id));
    assertThat(push.deleted()).isFalse();
    Map<String, String> pulled = read(customers(Map.of(), 10), null).get(push.key());
    assertThat(mergedOverPull(push, pulled)).isEqualTo(withoutUpdatedAt(pulled));
    assertThat(push.fields()).doesNotContainKeys("tags", "numberOfOrders");
    assertThat(kind.deliveryId(request)).isNotBlank();

    HookRequest deletion = hook("customers/delete", shop.webhookBody("customers/delete", c));
    kind.verify(instance, deletion);
    assertThat(kind.read(instance, deletion)).singleElement().matches(WebhookKind.Push::deleted);
  }

  /** A push merged over a pulled row as the hub merges pushes, without updatedAt. */
  private static Map<String, String> mergedOverPull(
      WebhookKind.Push push, Map<String, String> pulled) {
    Map<String, String> merged = new java.util.TreeMap<>(pulled);
    push.fields()
        .forEach(
            (field, value) -> {
              merged.remove(field);
              merged.keySet().removeIf(k -> k.startsWith(field + "."));
              if (value != null) {
                merged.put(field, value);
              }
            });
    return withoutUpdatedAt(merged);
  }

  private static Map<String, String> withoutUpdatedAt(Map<String, String> row) {
    Map<String, String> copy = new java.util.TreeMap<>(row);
    copy.remove("updatedAt");
    return copy;
  }

  @Test
  void aPushOfACustomerWithoutAddressOrEmailChangesNothingAPullGave() throws Exception {
    ShopifyServer.Customer c = shop.create("紫", "杨", null, "+8615290010001");
    HookRequest request = hook("customers/update", shop.webhookBody("customers/update", c));
    WebhookKind.Push push = kind.read(instance(Map.of()), request).get(0);
    Map<String, String> pulled = read(customers(Map.of(), 10), null).get(push.key());
    assertThat(mergedOverPull(push, pulled)).isEqualTo(withoutUpdatedAt(pulled));
  }

  @Test
  void customersRedactIsAnErasureOfTheCustomersRecord() throws Exception {
    ShopifyServer.Customer c = shop.create("静蕾", "徐", "xjl@163.com", "+8615290010005");
    HookRequest request = hook("customers/redact", shop.webhookBody("customers/redact", c));
    ConnectorInstance instance = instance(Map.of());
    kind.verify(instance, request);
    assertThat(kind.read(instance, request))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo(Long.toString(c.id));
              assertThat(p.change()).isEqualTo(WebhookKind.Change.ERASE);
            });
  }

  @Test
  void aDataRequestIsKeptForTheCustomerAndShopRedactErasesEveryRecord() throws Exception {
    ShopifyServer.Customer c = shop.create("嘉怡", "罗", "luojiayi@163.com", "+8615290010007");
    ConnectorInstance instance = instance(Map.of());
    HookRequest asked =
        hook("customers/data_request", shop.webhookBody("customers/data_request", c));
    kind.verify(instance, asked);
    assertThat(kind.read(instance, asked))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo(Long.toString(c.id));
              assertThat(p.change()).isEqualTo(WebhookKind.Change.DATA_REQUEST);
              assertThat(p.raw()).contains("\"data_request\"");
            });
    HookRequest left = hook("shop/redact", shop.webhookBody("shop/redact", null));
    kind.verify(instance, left);
    assertThat(kind.read(instance, left))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isNull();
              assertThat(p.change()).isEqualTo(WebhookKind.Change.ERASE_ALL);
            });
  }

  @Test
  void aGoldenTagWithACommaIsWrittenAsShopifyWillHoldItAndNotAgain() throws Exception {
    ShopifyServer.Customer c = shop.create("晓", "林", null, "+8615290010010");
    var sink = kind.sink(instance(Map.of())).orElseThrow();
    java.util.UUID golden = java.util.UUID.randomUUID();
    sink.write(
        new com.onemember.connectors.frame.Writeback(
            Long.toString(c.id), golden, List.of("线上,线下", " 会员 ")));
    assertThat(shop.customer(c.id).tags).contains("线上", "线下", "会员");
    // the stand-in notes an operation as it answers: wait until the first write's are noted
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!shop.operations().contains("tagsAdd") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long writes = writes(shop.operations());
    sink.write(
        new com.onemember.connectors.frame.Writeback(
            Long.toString(c.id), golden, List.of("线上,线下", " 会员 ")));
    Thread.sleep(200);
    // a read, no write: the shop holds it already
    assertThat(writes(shop.operations())).isEqualTo(writes);
  }

  private static long writes(List<String> operations) {
    return operations.stream()
        .filter(
            o -> o.contains("tagsAdd") || o.contains("tagsRemove") || o.contains("metafieldsSet"))
        .count();
  }

  @Test
  void aShopRedactOfAnotherShopOfTheSameAppIsRefusedEvenWithoutTheDomainHeader() throws Exception {
    ConnectorInstance instance = instance(Map.of());
    byte[] body =
        new String(shop.webhookBody("shop/redact", null), StandardCharsets.UTF_8)
            .replace(ShopifyServer.SHOP_DOMAIN, "another-shop.myshopify.com")
            .getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(hook("shop/redact", body).headers());
    headers.remove("x-shopify-shop-domain");
    HookRequest request = new HookRequest(headers, body);
    kind.verify(instance, request); // signed by the same app
    assertThatThrownBy(() -> kind.read(instance, request))
        .isInstanceOfSatisfying(HookRefused.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("another-shop.myshopify.com");
  }

  @Test
  void aWebhookWithAWrongMissingOrForeignSignatureIsRefused() throws Exception {
    ShopifyServer.Customer c = shop.create("芳", "王", null, "+8613912345678");
    byte[] body = shop.webhookBody("customers/create", c);
    ConnectorInstance instance = instance(Map.of());

    Map<String, String> tampered = new HashMap<>(hook("customers/create", body).headers());
    byte[] changed =
        new String(body, StandardCharsets.UTF_8).replace("王", "汪").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> kind.verify(instance, new HookRequest(tampered, changed)))
        .isInstanceOfSatisfying(HookRefused.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("webhook-secret");

    Map<String, String> unsigned = new HashMap<>(tampered);
    unsigned.remove("x-shopify-hmac-sha256");
    assertThatThrownBy(() -> kind.verify(instance, new HookRequest(unsigned, body)))
        .isInstanceOfSatisfying(HookRefused.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("X-Shopify-Hmac-Sha256");

    Map<String, String> foreign = new HashMap<>(hook("customers/create", body).headers());
    foreign.put("x-shopify-shop-domain", "another-shop.myshopify.com");
    assertThatThrownBy(() -> kind.verify(instance, new HookRequest(foreign, body)))
        .isInstanceOfSatisfying(HookRefused.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("another-shop.myshopify.com");
  }

  @Test
  void aBodyThatIsNotJsonOrATopicNotSubscribedIsABadRequest() throws Exception {
    ConnectorInstance instance = instance(Map.of());
    byte[] notJson = "<xml/>".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> kind.read(instance, hook("customers/create", notJson)))
        .isInstanceOfSatisfying(HookRefused.class, e -> assertThat(e.status()).isEqualTo(400));
    byte[] order = "{\"id\":820982911946154508}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> kind.read(instance, hook("orders/create", order)))
        .isInstanceOfSatisfying(HookRefused.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("orders/create");
  }

  // --- writeback

  @Test
  void writesTheGoldenIdAndTagsAndRemovesOnlyTheTagsItAdded() throws Exception {
    ShopifyServer.Customer c = shop.create("芳", "王", null, "+8613912345678");
    shop.update(c.id, x -> x.tags.add("VIP")); // the merchant's own
    var sink = kind.sink(instance(Map.of())).orElseThrow();
    UUID golden = UUID.fromString("5b0f2c1e-8d3a-4e6f-9a7b-1c2d3e4f5a6b");

    sink.write(new Writeback(Long.toString(c.id), golden, List.of("忠实客户", "VIP")));

    ShopifyServer.Customer after = shop.customer(c.id);
    assertThat(after.metafields.get("onemember.golden_id").value()).isEqualTo(golden.toString());
    assertThat(after.tags).containsExactlyInAnyOrder("VIP", "忠实客户");
    assertThat(ShopifyCustomers.tagList(after.metafields.get("onemember.tags").value()))
        .containsExactly("忠实客户");

    // the member loses both tags: the hub removes its own, the merchant's VIP stays
    sink.write(new Writeback(Long.toString(c.id), golden, List.of()));
    assertThat(shop.customer(c.id).tags).containsExactly("VIP");

    // the same again writes nothing: the shop holds it already
    int before = shop.operations().size();
    System.err.println("DEBUG ops " + shop.operations() + " tags " + shop.customer(c.id).tags);
    sink.write(new Writeback(Long.toString(c.id), golden, List.of()));
    sink.write(new Writeback(Long.toString(c.id), golden, null));
    assertThat(shop.operations().subList(before, shop.operations().size()))
        .containsOnly("customer");
  }

  @Test
  void aWritebackToACustomerDeletedMeanwhileEndsQuietlyAndARefusalSaysWhy() throws Exception {
    ShopifyServer.Customer c = shop.create("芳", "王", null, "+8613912345678");
    var sink = kind.sink(instance(Map.of())).orElseThrow();
    shop.delete(c.id);
    sink.write(new Writeback(Long.toString(c.id), UUID.randomUUID(), List.of("VIP")));

    var refusing = kind.sink(instance(Map.of("access-token", "shpat_revoked"))).orElseThrow();
    assertThatThrownBy(
            () -> refusing.write(new Writeback("7208000000999", UUID.randomUUID(), null)))
        .hasMessageContaining("access-token");
    assertThat(kind.sink(instance(Map.of("writeback", false)))).isEmpty();
  }
}
