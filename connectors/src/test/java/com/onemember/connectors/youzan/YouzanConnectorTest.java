package com.onemember.connectors.youzan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code youzan} kind against a local Youzan gateway ({@link YouzanServer}): the token and its
 * renewal, windows of creation time past the 10,000-customer cap, throttling and proxy failures,
 * push signatures and messages, and the tag writeback.
 */
class YouzanConnectorTest {

  private final YouzanServer shop = new YouzanServer();
  private final List<Duration> waits = new ArrayList<>();
  private final YouzanKind kind = new YouzanKind();

  YouzanConnectorTest() throws Exception {}

  @AfterEach
  void stop() {
    shop.close();
  }

  private ConnectorInstance instance(Map<String, Object> extra) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("client-id", YouzanServer.CLIENT_ID);
    parameters.put("client-secret", YouzanServer.CLIENT_SECRET);
    parameters.put("grant-id", Long.toString(YouzanServer.KDT_ID));
    parameters.put("base-url", shop.baseUrl());
    parameters.put("timeout", 5);
    parameters.putAll(extra);
    return new ConnectorInstance(
        Path.of("shop-youzan.yaml"),
        "shop-youzan",
        "youzan",
        true,
        Duration.ofMinutes(30),
        null,
        List.of(),
        parameters);
  }

  private YouzanClient client(Map<String, Object> extra) {
    return new YouzanClient(instance(extra), waits::add, Clock.systemUTC());
  }

  private YouzanCustomers customers(Map<String, Object> extra) {
    return new YouzanCustomers(
        client(extra), 50, !Boolean.FALSE.equals(extra.get("amounts")), Clock.systemUTC());
  }

  private static Map<String, Map<String, String>> read(YouzanCustomers source)
      throws SourceUnavailable {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    List<String> twice = new ArrayList<>();
    source.readAll(
        (key, row) -> {
          if (rows.put(key, row) != null) {
            twice.add(key);
          }
        });
    assertThat(twice).as("customers read twice").isEmpty();
    return rows;
  }

  @Test
  void moreCustomersThanOneListGivesAreReadInWindowsOfCreationTimeEachOnce() throws Exception {
    shop.generate(12_500, 7);
    Map<String, Map<String, String>> rows = read(customers(Map.of()));
    assertThat(rows).hasSize(12_500);
    assertThat(rows.keySet())
        .containsExactlyInAnyOrderElementsOf(
            shop.customers().stream().map(c -> c.yzOpenId).toList());
    // one token for the whole read
    assertThat(shop.tokenRequests()).isEqualTo(1);
    // no query asked past the cap
    assertThat(shop.calls()).noneMatch(c -> c.contains("142710032"));
  }

  @Test
  void aCustomerIsARecordWithNameMobileGenderAndTradeCount() throws Exception {
    YouzanServer.Customer chen = shop.create("陈静", "13917725046");
    shop.update(
        chen.yzOpenId,
        c -> {
          c.gender = 2;
          c.tradeCount = 6;
        });
    YouzanServer.Customer unnamed = shop.create("", "15021886730");
    Map<String, Map<String, String>> rows = read(customers(Map.of()));

    SourceRecord record = kind.map("shop-youzan", rows.get(chen.yzOpenId));
    assertThat(record.name()).isEqualTo("陈静");
    assertThat(record.gender()).isEqualTo("女");
    assertThat(record.purchases().orders()).isEqualTo("6");
    assertThat(record.identifiers()).anyMatch(i -> i.value().contains("13917725046"));
    // Youzan shows a customer without a name by their mobile: that is no name
    assertThat(kind.map("shop-youzan", rows.get(unnamed.yzOpenId)).name()).isNull();
  }

  @Test
  void aChangedCustomersDetailGivesTheAmountSpentInYuanTheLastPurchaseAndTheBirthday()
      throws Exception {
    YouzanServer.Customer he = shop.create("何丽娟", "13816620951");
    java.time.Instant lastPurchase = java.time.Instant.parse("2026-11-28T06:15:00Z");
    shop.update(
        he.yzOpenId,
        c -> {
          c.tradeCount = 12;
          c.totalTradeAmountFen = 358_650; // ¥3,586.50
          c.lastTradeAt = lastPurchase;
          c.birthday = "1986-03-09";
        });
    YouzanCustomers source = customers(Map.of());
    Map<String, String> listed = read(source).get(he.yzOpenId);
    assertThat(listed).doesNotContainKey("total_trade_amount");

    Map<String, String> detailed = source.detail(he.yzOpenId, listed);
    SourceRecord record = kind.map("shop-youzan", detailed);
    assertThat(record.purchases().orders()).isEqualTo("12");
    assertThat(record.purchases().spent()).isEqualTo("3586.50");
    assertThat(record.purchases().lastPurchaseAt()).isEqualTo(lastPurchase.toString());
    assertThat(record.birthday()).isEqualTo("1986-03-09");
    assertThat(shop.calls())
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith(YouzanServer.CUSTOMER_DETAIL)
                    .contains(he.yzOpenId)
                    .contains("behavior"));
  }

  @Test
  void aCustomerGoneBeforeTheDetailKeepsTheListedRowAndNoAmountsAsksNothing() throws Exception {
    YouzanServer.Customer gone = shop.create("冯晓东", "13524418807");
    YouzanCustomers source = customers(Map.of());
    Map<String, String> listed = read(source).get(gone.yzOpenId);
    shop.delete(gone.yzOpenId);
    assertThat(source.detail(gone.yzOpenId, listed)).isSameAs(listed);

    int before = shop.requests();
    assertThat(customers(Map.of("amounts", false)).detail("any", listed)).isSameAs(listed);
    assertThat(shop.requests()).isEqualTo(before);
  }

  @Test
  void aDetailTheGatewayKeepsRefusingFailsTheReadAsTransient() throws Exception {
    YouzanServer.Customer luo = shop.create("罗敏", "18621370456");
    YouzanCustomers source = customers(Map.of("throttle-wait", 0));
    Map<String, String> listed = read(source).get(luo.yzOpenId);
    shop.failNext(1, 4101);
    assertThatThrownBy(() -> source.detail(luo.yzOpenId, listed))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
  }

  @Test
  void youzanTimesInSecondsOrMillisecondsAndAmountsInFenAreRead() {
    assertThat(YouzanCustomers.yuan("5")).isEqualTo("0.05");
    assertThat(YouzanCustomers.yuan("0")).isEqualTo("0.00");
    assertThat(YouzanCustomers.yuan("12.5")).isEqualTo("12.5"); // not fen: left to be refused
    assertThat(YouzanCustomers.instant("1764310500")).isEqualTo("2025-11-28T06:15:00Z");
    assertThat(YouzanCustomers.instant("1764310500000")).isEqualTo("2025-11-28T06:15:00Z");
    assertThat(YouzanCustomers.instant("0")).isNull();
  }

  @Test
  void anExpiredOrUnknownTokenIsRenewedOnceAndTheCallGoesOn() throws Exception {
    shop.create("刘洋", "13611902237");
    YouzanCustomers source = customers(Map.of());
    read(source);
    shop.expireTokens();
    assertThat(read(source)).hasSize(1);
    shop.forgetTokens();
    assertThat(read(source)).hasSize(1);
    assertThat(shop.tokenRequests()).isEqualTo(3);
  }

  @Test
  void aTokenAboutToExpireIsRenewedBeforeItIsRefused() throws Exception {
    shop.create("赵敏", "18801456623");
    shop.setTokenLifetime(Duration.ofMinutes(30)); // less than the hour before expiry
    YouzanCustomers source = customers(Map.of());
    read(source);
    read(source);
    assertThat(shop.tokenRequests()).isEqualTo(2);
    assertThat(shop.calls()).noneMatch(c -> c.contains("4202"));
  }

  @Test
  void aWrongSecretOrShopIsAConfigurationFailureNamingTheParameters() {
    assertThatThrownBy(() -> read(customers(Map.of("client-secret", "0".repeat(32)))))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION))
        .hasMessageContaining("client-secret")
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> read(customers(Map.of("grant-id", "10001"))))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION))
        .hasMessageContaining("grant-id");
  }

  @Test
  void throttlingIsWaitedOutAsYouzanAdvisesThenFailsAsTransient() throws Exception {
    shop.create("孙丽", "13524417789");
    shop.failNext(2, 4101);
    assertThat(read(customers(Map.of()))).hasSize(1);
    assertThat(waits).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(6));

    waits.clear();
    shop.failNext(50, 4101);
    assertThatThrownBy(() -> read(customers(Map.of("throttle-wait", 20))))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT))
        .hasMessageContaining("4101");
    assertThat(waits.stream().mapToLong(Duration::toSeconds).sum()).isEqualTo(20);
  }

  @Test
  void aProxysFiveHundredIsTriedAgainThreeTimes() throws Exception {
    shop.create("周杰", "13764432218");
    shop.failNextHttp(2, 502);
    assertThat(read(customers(Map.of()))).hasSize(1);
    shop.failNextHttp(4, 503);
    assertThatThrownBy(() -> read(customers(Map.of())))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT))
        .hasMessageContaining("HTTP 503");
  }

  @Test
  void customersACompleteReadMissedAreAskedForByIdBeforeTheyAreTakenForDeleted() throws Exception {
    YouzanServer.Customer kept = shop.create("吴芳", "13816620931");
    YouzanServer.Customer gone = shop.create("郑强", "13816620932");
    shop.delete(gone.yzOpenId);
    assertThat(customers(Map.of()).stillPresent(List.of(kept.yzOpenId, gone.yzOpenId)))
        .isEqualTo(Set.of(kept.yzOpenId));
  }

  private static HookRequest push(byte[] body, Map<String, String> headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return new HookRequest(lower, body);
  }

  @Test
  void aSignedCustomerEventIsAnUpsertOfTheFieldsItCarriesWithItsVersion() throws Exception {
    YouzanServer.Customer wang = shop.create("王磊", "13512349876");
    byte[] body = shop.customerEventBody(YouzanServer.CUSTOMER_UPDATED, wang.yzOpenId);
    HookRequest request = push(body, YouzanServer.pushHeaders(body));
    ConnectorInstance instance = instance(Map.of());
    kind.verify(instance, request);
    WebhookKind.Push p = kind.read(instance, request).get(0);
    assertThat(p.key()).isEqualTo(wang.yzOpenId);
    assertThat(p.change()).isEqualTo(WebhookKind.Change.UPSERT);
    assertThat(p.fields()).containsEntry("name", "王磊").containsEntry("mobile", "13512349876");
    assertThat(p.fields().get(YouzanKind.VERSION)).matches("\\d+");
    assertThat(kind.deliveryId(request)).isNotBlank();
    // the version is the message's, not the customer's: not part of the record
    Map<String, String> document = new HashMap<>(p.fields());
    assertThat(kind.map("shop-youzan", document).raw()).doesNotContainKey(YouzanKind.VERSION);
    assertThat(kind.accepted().body()).isEqualTo("{\"code\":0,\"msg\":\"success\"}");
  }

  @Test
  void aWrongMissingOrReplayedSignatureIsRefused() throws Exception {
    YouzanServer.Customer li = shop.create("李娜", "13900112233");
    byte[] body = shop.customerEventBody(YouzanServer.CUSTOMER_CREATED, li.yzOpenId);
    ConnectorInstance instance = instance(Map.of());
    Map<String, String> headers = new HashMap<>(YouzanServer.pushHeaders(body));
    // the body changed after signing
    byte[] changed =
        new String(body, StandardCharsets.UTF_8)
            .replace("13900112233", "13900112234")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> kind.verify(instance, push(changed, headers)))
        .isInstanceOfSatisfying(HookRefused.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("client-secret");
    headers.remove("Event-Sign");
    assertThatThrownBy(() -> kind.verify(instance, push(body, headers)))
        .isInstanceOf(HookRefused.class)
        .hasMessageContaining("Event-Sign");
    // another app's secret
    assertThatThrownBy(
            () ->
                kind.verify(
                    instance(Map.of("client-secret", "f".repeat(32))),
                    push(body, YouzanServer.pushHeaders(body))))
        .isInstanceOf(HookRefused.class);
    // the same delivery sent again has the same id, which the hub takes once
    assertThat(kind.deliveryId(push(body, YouzanServer.pushHeaders(body))))
        .isEqualTo(kind.deliveryId(push(body, YouzanServer.pushHeaders(body))));
  }

  @Test
  void aHeartbeatOrAnotherTypeIsAnsweredAndKeepsNothingALogOffIsADeletion() throws Exception {
    ConnectorInstance instance = instance(Map.of());
    String heartbeat =
        "{\"client_id\":\"%s\",\"id\":\"0\",\"kdt_id\":%d,\"msg\":\"\",\"status\":\"\",\"test\":true,\"type\":\"SCRM_CUSTOMER_EVENT\",\"version\":1}"
            .formatted(YouzanServer.CLIENT_ID, YouzanServer.KDT_ID);
    assertThat(kind.read(instance, push(heartbeat.getBytes(StandardCharsets.UTF_8), Map.of())))
        .isEmpty();
    String trade =
        "{\"client_id\":\"x\",\"id\":\"E2026\",\"type\":\"trade_TradeSuccess\",\"msg\":\"%7B%7D\",\"test\":false}";
    assertThat(kind.read(instance, push(trade.getBytes(StandardCharsets.UTF_8), Map.of())))
        .isEmpty();
    String off =
        "{\"client_id\":\"x\",\"id\":\"Ab12\",\"type\":\"SCRM_CUSTOMER_EVENT\",\"status\":\"CUSTOMER_UPDATED\",\"test\":false,\"version\":5,"
            + "\"msg\":\"%7B%22yz_open_id%22%3A%22Ab12%22%2C%22is_log_off%22%3Atrue%7D\"}";
    // the customer closed their account: erased, not only withdrawn
    assertThat(kind.read(instance, push(off.getBytes(StandardCharsets.UTF_8), Map.of())))
        .singleElement()
        .satisfies(p -> assertThat(p.change()).isEqualTo(WebhookKind.Change.ERASE));
    String broken =
        "{\"id\":\"Ab12\",\"type\":\"SCRM_CUSTOMER_EVENT\",\"test\":false,\"msg\":\"%7Bnot json\"}";
    assertThatThrownBy(
            () -> kind.read(instance, push(broken.getBytes(StandardCharsets.UTF_8), Map.of())))
        .isInstanceOf(HookRefused.class)
        .hasMessageContaining("msg");
  }

  @Test
  void theGoldenTagsAreWrittenWithThePrefixAndOnlyTheHubsAreRemoved() throws Exception {
    YouzanServer.Customer he = shop.create("何静", "13633215578");
    WritebackSink sink = kind.sink(instance(Map.of())).orElseThrow();
    // the shop's own tag stays whatever the hub does
    shop.update(he.yzOpenId, c -> c.tags.add("老客户"));
    UUID golden = UUID.randomUUID();
    sink.write(new Writeback(he.yzOpenId, golden, List.of("忠实客户", "线上线下")));
    assertThat(shop.tags(he.yzOpenId)).containsExactlyInAnyOrder("老客户", "OM·忠实客户", "OM·线上线下");
    int writes = shop.tagWrites();
    sink.write(new Writeback(he.yzOpenId, golden, List.of("忠实客户", "线上线下")));
    assertThat(shop.tagWrites()).as("nothing written when the shop holds it").isEqualTo(writes);
    sink.write(new Writeback(he.yzOpenId, golden, List.of("忠实客户")));
    assertThat(shop.tags(he.yzOpenId)).containsExactlyInAnyOrder("老客户", "OM·忠实客户");
    // the link alone (the shop's own change coming back) writes nothing
    sink.write(new Writeback(he.yzOpenId, golden, null));
    assertThat(shop.tags(he.yzOpenId)).containsExactlyInAnyOrder("老客户", "OM·忠实客户");
  }

  @Test
  void aTagWriteForACustomerWhoLeftTheShopEndsQuietly() throws Exception {
    WritebackSink sink = kind.sink(instance(Map.of())).orElseThrow();
    int writes = shop.tagWrites();
    sink.write(new Writeback("NoSuchCustomer0000000000000", UUID.randomUUID(), List.of("a")));
    assertThat(shop.tagWrites()).isEqualTo(writes);
  }

  @Test
  void aWindowWhosePagesWouldPassTheCapIsHalvedForAnyPageSize() throws Exception {
    shop.generate(10_100, 3);
    // 30 does not divide 10,000: a window of 9,995 would need page 334, past the cap
    YouzanCustomers source = new YouzanCustomers(client(Map.of()), 30, true, Clock.systemUTC());
    assertThat(read(source)).hasSize(10_100);
  }

  @Test
  void aPlainHttpAddressOfAnotherMachineIsRefusedBeforeTheSecretIsSent() {
    assertThatThrownBy(() -> client(Map.of("base-url", "http://open.youzanyun.com")))
        .isInstanceOf(com.onemember.connectors.frame.InvalidParameter.class)
        .hasMessageContaining("https://");
  }
}
