package com.onemember.connectors.woocommerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code woocommerce} kind against a local shop speaking wc/v3 ({@link WooCommerceServer}):
 * paging, the modified filter honoured or ignored, refused keys, 429 and 5xx, deletions checked by
 * id, the meta_data writeback and the shop's webhooks that went quiet.
 */
class WooCommerceConnectorTest {

  private final WooCommerceServer shop = new WooCommerceServer();
  private final List<Duration> waits = new ArrayList<>();
  private final WooCommerceKind kind = new WooCommerceKind();

  WooCommerceConnectorTest() throws Exception {}

  @AfterEach
  void stop() {
    shop.close();
  }

  private ConnectorInstance instance(Map<String, Object> extra) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("base-url", shop.baseUrl());
    parameters.put("consumer-key", WooCommerceServer.CONSUMER_KEY);
    parameters.put("consumer-secret", WooCommerceServer.CONSUMER_SECRET);
    parameters.put("webhook-secret", WooCommerceServer.WEBHOOK_SECRET);
    parameters.put("timeout", 5);
    parameters.putAll(extra);
    return new ConnectorInstance(
        java.nio.file.Path.of("shop-woo.yaml"),
        "shop-woo",
        "woocommerce",
        true,
        Duration.ofMinutes(15),
        null,
        List.of(),
        parameters);
  }

  private WooCommerceCustomers customers(Map<String, Object> extra, int pageSize) {
    return new WooCommerceCustomers(
        new WooCommerceClient(instance(extra), waits::add), pageSize, "customer", true);
  }

  private static Map<String, Map<String, String>> read(WooCommerceCustomers source, Instant since)
      throws SourceUnavailable {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    source.readChanges(since, rows::put);
    return rows;
  }

  @Test
  void aCompleteReadPagesByIdUntilTheLastPage() throws Exception {
    shop.generate(250, 11);
    Map<String, Map<String, String>> rows = read(customers(Map.of(), 100), null);
    assertThat(rows).hasSize(250);
    assertThat(shop.requestLog())
        .filteredOn(r -> r.contains("/wc/v3/customers?"))
        .hasSize(3)
        .allSatisfy(r -> assertThat(r).contains("per_page=100").contains("orderby=id"));
    // Analytics is off in this shop: customers are read without purchases, and asked once
    assertThat(shop.requestLog()).filteredOn(r -> r.contains("wc-analytics")).hasSize(1);
    assertThat(rows.values()).allSatisfy(r -> assertThat(r).doesNotContainKey("ordersCount"));
  }

  @Test
  void ordersCountAndTotalSpentComeFromAnalyticsAsTheRecordsPurchases() throws Exception {
    WooCommerceServer.Customer sun = shop.create("孙", "丽", "13524417789", "sunli@163.com");
    shop.update(
        sun.id,
        c -> {
          c.ordersCount = 7;
          c.totalSpent = new java.math.BigDecimal("1288.50");
        });
    shop.setAnalytics(true);
    Map<String, String> row = read(customers(Map.of(), 100), null).get(Long.toString(sun.id));
    assertThat(row).containsEntry("ordersCount", "7");
    var purchases = kind.map("shop-woo", row).purchases();
    assertThat(purchases.orders()).isEqualTo("7");
    assertThat(new java.math.BigDecimal(purchases.spent())).isEqualByComparingTo("1288.5");
    assertThat(shop.requestLog())
        .anySatisfy(r -> assertThat(r).contains("wc-analytics").contains("users=" + sun.id));
  }

  @Test
  void aChangesReadGivesWhatChangedWhenTheShopFiltersAndEverythingWhenItDoesNot() throws Exception {
    WooCommerceServer.Customer wang = shop.create("王", "芳", "13826041187", "wangfang@163.com");
    shop.create("李", "娜", "13926041188", "lina@163.com");
    WooCommerceCustomers source = customers(Map.of(), 100);
    Instant reached = read(source, null).isEmpty() ? null : Instant.now();
    assertThat(reached).isNotNull();
    Instant position = source.readChanges(null, (k, r) -> {});

    shop.honourModifiedAfter(true);
    // the filter is five minutes before the position: a read right after gives both again;
    // an hour later only what changed since
    shop.setClock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(1)));
    shop.update(wang.id, c -> c.billing.city = "深圳");
    Map<String, Map<String, String>> changed = read(source, position.plus(Duration.ofMinutes(30)));
    assertThat(changed).containsOnlyKeys(Long.toString(wang.id));
    assertThat(changed.get(Long.toString(wang.id))).containsEntry("billing.city", "深圳");
    assertThat(shop.requestLog())
        .anySatisfy(r -> assertThat(r).contains("modified_after=").contains("dates_are_gmt=true"));

    shop.honourModifiedAfter(false); // WooCommerce core: the filter is not there
    Instant later = position.plus(Duration.ofMinutes(30));
    List<String> keys = new ArrayList<>();
    Instant next = source.readChanges(later, (k, r) -> keys.add(k));
    assertThat(keys).hasSize(2);
    assertThat(next).isAfterOrEqualTo(later); // a position never moves back
  }

  @Test
  void aPositionOnAWholeMinuteIsSentWithItsSecondsAsWordPressRequires() throws Exception {
    shop.create("钱", "程", "13712340000", "qiancheng@163.com");
    Instant minute = Instant.parse("2026-12-06T11:35:00Z");
    read(customers(Map.of(), 100), minute);
    assertThat(shop.requestLog())
        .anySatisfy(r -> assertThat(r).contains("modified_after=2026-12-06T11%3A30%3A00"));
  }

  @Test
  void aWrongSecretIsAConfigurationFailureNamingTheKey() {
    shop.create("张", "伟", "13712345678", "zhangwei@qq.com");
    assertThatThrownBy(() -> read(customers(Map.of("consumer-secret", "cs_wrong"), 100), null))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION))
        .hasMessageContaining("consumer-secret")
        .hasMessageContaining("Consumer secret is invalid");
  }

  @Test
  void retryAfterIsWaitedOutAndFiveHundredsAreAskedThreeTimes() throws Exception {
    shop.create("赵", "敏", "18801456623", "zhaomin@163.com");
    shop.failNext(2, 429, "2");
    assertThat(read(customers(Map.of(), 100), null)).hasSize(1);
    assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));

    waits.clear();
    shop.failNext(2, 502, null);
    assertThat(read(customers(Map.of(), 100), null)).hasSize(1);
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));

    shop.failNext(4, 500, null);
    assertThatThrownBy(() -> read(customers(Map.of(), 100), null))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT))
        .hasMessageContaining("HTTP 500");

    waits.clear();
    shop.failNext(100, 429, "60");
    assertThatThrownBy(() -> read(customers(Map.of("throttle-wait", 100), 100), null))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
    assertThat(waits.stream().mapToLong(Duration::toSeconds).sum()).isEqualTo(100);
  }

  @Test
  void customersACompleteReadMissedAreAskedForByIdBeforeTheyAreTakenForDeleted() throws Exception {
    WooCommerceServer.Customer kept = shop.create("吴", "芳", "13816620931", "wufang@163.com");
    WooCommerceServer.Customer gone = shop.create("郑", "强", "13816620932", "zq@163.com");
    shop.delete(gone.id);
    assertThat(
            customers(Map.of(), 100)
                .stillPresent(List.of(Long.toString(kept.id), Long.toString(gone.id), "x")))
        .isEqualTo(Set.of(Long.toString(kept.id)));
  }

  @Test
  void theGoldenIdAndTagsGoToMetaDataOnlyWhenTheShopDoesNotHoldThem() throws Exception {
    WooCommerceServer.Customer he = shop.create("何", "静", "13633215578", "hejing@163.com");
    WritebackSink sink = kind.sink(instance(Map.of())).orElseThrow();
    UUID golden = UUID.randomUUID();
    sink.write(new Writeback(Long.toString(he.id), golden, List.of("忠实客户", "线上线下")));
    assertThat(shop.customer(he.id).meta("onemember_golden_id").value().asString())
        .isEqualTo(golden.toString());
    assertThat(shop.customer(he.id).meta("onemember_tags").value().toString())
        .contains("忠实客户")
        .contains("线上线下");
    int updates = shop.updates();
    sink.write(new Writeback(Long.toString(he.id), golden, List.of("忠实客户", "线上线下")));
    sink.write(new Writeback(Long.toString(he.id), golden, null));
    assertThat(shop.updates()).as("nothing written when the shop holds it").isEqualTo(updates);
    sink.write(new Writeback(Long.toString(he.id), golden, List.of("忠实客户")));
    assertThat(shop.customer(he.id).meta("onemember_tags").value().toString())
        .doesNotContain("线上线下");
    // a customer deleted meanwhile: its deletion webhook withdraws the record, nothing to write
    shop.delete(he.id);
    sink.write(new Writeback(Long.toString(he.id), golden, List.of("忠实客户")));
  }

  @Test
  void theStatusNamesAWebhookTheShopDisabledAndATopicWithoutOne() throws Exception {
    String hook = "https://hub.lin-tea.cn/hooks/shop-woo";
    long created = shop.addWebhook("customer.created", hook);
    long updated = shop.addWebhook("customer.updated", hook);
    shop.addWebhook("customer.deleted", hook);
    shop.addWebhook("order.created", "https://erp.lin-tea.cn/hooks/orders");
    assertThat(kind.webhookProblems(instance(Map.of()))).isEmpty();

    shop.setWebhookStatus(updated, "disabled");
    shop.setWebhookStatus(created, "paused");
    List<String> problems = kind.webhookProblems(instance(Map.of()));
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("#" + updated)
                    .contains("disabled")
                    .contains("failed deliveries"))
        .anySatisfy(p -> assertThat(p).contains("#" + created).contains("paused"))
        .anySatisfy(p -> assertThat(p).contains("no active customer.updated"));
  }
}
