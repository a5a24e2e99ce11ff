package com.onemember.hub.connectors;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.ConnectorsApi;
import com.onemember.api.client.model.Connector;
import com.onemember.api.client.model.ConnectorState;
import com.onemember.api.client.model.Member;
import com.onemember.connectors.shopify.ShopifyServer;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A Shopify shop (a local server running a GraphQL engine over Shopify's Admin schema, signing its
 * webhooks as Shopify does) connected as {@code shop-shopify-it}: a customer created in the shop
 * reaches the hub by webhook, merges with the same person from a store's sheet, and the shop gets
 * the golden id and tags, whose own update webhook does not come back as news; a customer whose
 * webhook was lost is found by the scheduled pull; a deletion withdraws the record.
 */
class ShopifyIT extends HubIT {

  private static final String ID = "shop-shopify-it";
  private final HttpClient http = HttpClient.newHttpClient();

  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.jdbc.core.JdbcTemplate jdbc;

  @org.springframework.beans.factory.annotation.Autowired ConnectorStore store;

  private ShopifyServer shop() {
    return HubInfrastructure.get().shopify();
  }

  private String hook() {
    return baseUrl() + "/hooks/" + ID;
  }

  private ConnectorsApi connectors() {
    return new ConnectorsApi(apiClient());
  }

  private Connector find() throws Exception {
    return connectors().listConnectors().getItems().stream()
        .filter(c -> c.getId().equals(ID))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aShopCustomerMergesWithTheStoresRecordAndGetsTheGoldenIdAndTagsWithoutEcho()
      throws Exception {
    ShopifyServer shop = shop();
    shop.notifyChangesTo(hook());
    try {
      ShopifyServer.Customer yang = shop.create("紫", "杨", "yangzi@qq.com", "+8615290010001");
      assertThat(shop.sendWebhook(hook(), "customers/create", yang)).isEqualTo(202);
      Member member = awaitOneMember("15290010001");

      importAndWait(
          "store-sh-29",
          "members.csv",
          aSheet("姓名", "手机号", "生日").row("杨紫", "152 9001 0001", "1992-11-06").gbkCsv());
      assertThat(members().findMembers("15290010001").getItems())
          .singleElement()
          .satisfies(m -> assertThat(m.getId()).isEqualTo(member.getId()));

      // since API version 2025-01 a webhook carries no order totals and tags: the next pull
      // completes the record
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(members().getMember(member.getId()).getSourceRecords())
                      .filteredOn(r -> r.getSource().equals(ID))
                      .singleElement()
                      .satisfies(r -> assertThat(r.getRaw()).containsKey("numberOfOrders")));
      long position = lastChangePosition();
      java.time.OffsetDateTime tagged = java.time.OffsetDateTime.now();
      new com.onemember.api.client.MembersApi(apiClient())
          .addMemberTag(
              member.getId(),
              new com.onemember.api.client.model.TagRequest().name("线上线下").note("两边都买"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                ShopifyServer.Customer now = shop.customer(yang.id);
                assertThat(now.metafields.get("onemember.golden_id"))
                    .isNotNull()
                    .satisfies(m -> assertThat(m.value()).isEqualTo(member.getId().toString()));
                assertThat(now.tags).contains("线上线下");
              });

      // the shop reports the hub's writes as customers/update webhooks: each is taken (a run
      // of one record; a pull reads every customer of the day) and changes nothing
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(connectors().listConnectorRuns(ID, null, 200).getItems())
                      .anySatisfy(
                          r -> {
                            assertThat(r.getStartedAt()).isAfter(tagged);
                            assertThat(r.getRecordsRead()).isEqualTo(1);
                          }));
      Thread.sleep(2000);
      // (an event gets its feed position just after its commit: one that committed before the
      // tag may still be positioned after it, so the events are told apart by when they occurred)
      assertThat(changesAfter(position))
          .filteredOn(e -> e.getMemberId().equals(member.getId()))
          .filteredOn(e -> !e.getOccurredAt().isBefore(tagged))
          .isNotEmpty()
          .allSatisfy(
              e ->
                  assertThat(e.getType())
                      .isEqualTo(com.onemember.api.client.model.GoldenEventType.TAGS_CHANGED));
      // the pull leaves the hub's own tag out of the customer's tags
      assertThat(members().getMember(member.getId()).getSourceRecords())
          .filteredOn(r -> r.getSource().equals(ID))
          .singleElement()
          .satisfies(r -> assertThat(r.getRaw().get("tags")).doesNotContain("线上线下"));
    } finally {
      shop.notifyChangesTo(null);
    }
  }

  @Test
  void aCustomerWhoseWebhookWasLostIsFoundByTheScheduledPull() throws Exception {
    ShopifyServer.Customer he = shop().create("晓明", "何", null, "+8615290010002");
    shop().update(he.id, c -> c.numberOfOrders = 3);
    Member member = awaitOneMember("15290010002");
    assertThat(member.getName()).isEqualTo("何晓明");
    Connector state = find();
    assertThat(state.getState()).isEqualTo(ConnectorState.RUNNING);
    // a changes read keeps the time it reached as its position
    assertThat(state.getPosition()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
  }

  @Test
  void aDeletionWebhookWithdrawsTheRecord() throws Exception {
    ShopifyServer.Customer gao = shop().create("圆圆", "高", null, "+8615290010003");
    assertThat(shop().sendWebhook(hook(), "customers/create", gao)).isEqualTo(202);
    awaitOneMember("15290010003");
    shop().delete(gao.id);
    assertThat(shop().sendWebhook(hook(), "customers/delete", gao)).isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(members().findMembers("15290010003").getItems()).isEmpty());
    // an update sent before the deletion and delivered after it does not bring her back
    assertThat(shop().sendWebhook(hook(), "customers/update", gao)).isEqualTo(202);
    Thread.sleep(3000);
    assertThat(members().findMembers("15290010003").getItems()).isEmpty();
  }

  @Test
  void aReadUnderWayWhenTheDeletionArrivesDoesNotBringTheCustomerBack() throws Exception {
    ShopifyServer.Customer lu = shop().create("晓芸", "陆", null, "+8615290010010");
    assertThat(shop().sendWebhook(hook(), "customers/create", lu)).isEqualTo(202);
    awaitOneMember("15290010010");
    // the next scheduled read sees her changed, and its answer is held while she is deleted
    CountDownLatch answered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    shop().holdNextRead(() -> shop().update(lu.id, c -> c.note = "常买普洱"), answered, release);
    try {
      assertThat(answered.await(30, TimeUnit.SECONDS)).isTrue();
      shop().delete(lu.id);
      assertThat(shop().sendWebhook(hook(), "customers/delete", lu)).isEqualTo(202);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(members().findMembers("15290010010").getItems()).isEmpty());
      java.time.OffsetDateTime released = java.time.OffsetDateTime.now();
      release.countDown();
      // the held run is over, and a later read too
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var runs = connectors().listConnectorRuns(ID, null, 50).getItems();
                return runs.stream()
                        .filter(r -> r.getStartedAt().isBefore(released))
                        .allMatch(r -> r.getEndedAt() != null)
                    && runs.stream()
                        .anyMatch(
                            r -> r.getStartedAt().isAfter(released) && r.getEndedAt() != null);
              });
      Thread.sleep(2000); // what the held read queued has reached the members by now
      assertThat(members().findMembers("15290010010").getItems()).isEmpty();
    } finally {
      release.countDown();
    }
  }

  @Test
  void customersRedactErasesTheShopsRecordAndKeepsTheStoresAndTheMergeLogVerifies()
      throws Exception {
    ShopifyServer.Customer xu =
        shop().create("静蕾", "徐", "xujinglei-redact@163.com", "+8615290010005");
    shop().update(xu.id, c -> c.note = "喜欢乌龙茶，住在静安区");
    assertThat(shop().sendWebhook(hook(), "customers/create", xu)).isEqualTo(202);
    Member member = awaitOneMember("15290010005");
    importAndWait(
        "store-sh-29", "members-5.csv", aSheet("姓名", "手机号").row("徐静蕾", "15290010005").gbkCsv());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(members().getMember(member.getId()).getSourceRecords()).hasSize(2));

    // the customer asked the shop to erase them; Shopify tells every app it shared them with
    shop().delete(xu.id);
    assertThat(shop().sendWebhook(hook(), "customers/redact", xu)).isEqualTo(202);

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(members().getMember(member.getId()).getSourceRecords())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getSource()).isEqualTo("store-sh-29")));
    // what only the shop knew is nowhere in the hub, its history included
    for (String[] c :
        new String[][] {
          {"source_record", "raw::text || clean::text"},
          {"source_record_revision", "raw::text || clean::text"},
          {"member", "golden::text"},
          {"member_version", "golden::text || cause"},
          {"golden_event", "payload::text"},
          {"connector_document", "document::text"},
          {"connector_rejection", "raw::text"},
        }) {
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from "
                      + c[0]
                      + " where "
                      + c[1]
                      + " like ? or "
                      + c[1]
                      + " like ?",
                  Integer.class,
                  "%xujinglei-redact%",
                  "%乌龙茶%"))
          .as(c[0])
          .isZero();
    }
    com.onemember.api.client.AuditApi audit = new com.onemember.api.client.AuditApi(apiClient());
    assertThat(
            audit
                .listMergeLog(
                    member.getId(),
                    null,
                    null,
                    null,
                    null,
                    com.onemember.api.client.model.MergeAction.RECORD_ERASED,
                    null,
                    10)
                .getItems())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getActor()).isEqualTo("connector " + ID);
              assertThat(e.getSourceRecords()).containsExactly(ID + ":" + xu.id);
              assertThat(e.getEvidence()).contains("privacy request");
            });
    assertThat(audit.verifyMergeLog().getOk()).isTrue();
  }

  @Test
  void customersRedactAfterTheDeletionStillErasesWhatTheHubKept() throws Exception {
    ShopifyServer.Customer tang =
        shop().create("嫣", "唐", "tangyan-redact@163.com", "+8615290010006");
    assertThat(shop().sendWebhook(hook(), "customers/create", tang)).isEqualTo(202);
    Member member = awaitOneMember("15290010006");
    // the shop deletes the customer at once and sends the redact days later
    shop().delete(tang.id);
    assertThat(shop().sendWebhook(hook(), "customers/delete", tang)).isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(members().findMembers("15290010006").getItems()).isEmpty());
    assertThat(shop().sendWebhook(hook(), "customers/redact", tang)).isEqualTo(202);

    com.onemember.api.client.AuditApi audit = new com.onemember.api.client.AuditApi(apiClient());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        audit
                            .listMergeLog(
                                member.getId(),
                                null,
                                null,
                                null,
                                null,
                                com.onemember.api.client.model.MergeAction.RECORD_ERASED,
                                null,
                                10)
                            .getItems())
                    .singleElement()
                    .satisfies(
                        e -> assertThat(e.getSourceRecords()).containsExactly(ID + ":" + tang.id)));
    for (String table :
        List.of(
            "member:golden::text", "member_version:golden::text", "golden_event:payload::text")) {
      String[] c = table.split(":", 2);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from " + c[0] + " where " + c[1] + " like ?",
                  Integer.class,
                  "%tangyan-redact%"))
          .as(c[0])
          .isZero();
    }
    assertThat(audit.verifyMergeLog().getOk()).isTrue();
  }

  @Test
  void aDataRequestIsListedWithWhatTheHubHoldsOfTheCustomer() throws Exception {
    ShopifyServer.Customer luo =
        shop().create("嘉怡", "罗", "luojiayi-access@163.com", "+8615290010007");
    assertThat(shop().sendWebhook(hook(), "customers/create", luo)).isEqualTo(202);
    Member member = awaitOneMember("15290010007");
    assertThat(shop().sendWebhook(hook(), "customers/data_request", luo)).isEqualTo(202);

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(connectors().listConnectorDataRequests(ID, null, 50).getItems())
                    .filteredOn(r -> r.getSourceRecordId().equals(Long.toString(luo.id)))
                    .singleElement()
                    .satisfies(
                        r -> {
                          assertThat(r.getRequest()).containsKey("data_request");
                          assertThat(r.getMember()).isNotNull();
                          assertThat(r.getMember().getId()).isEqualTo(member.getId());
                          assertThat(r.getMember().getSourceRecords())
                              .anySatisfy(
                                  s ->
                                      assertThat(s.getRaw())
                                          .containsValue("luojiayi-access@163.com"));
                        }));
    // the customer then asks to be erased: the request, which quotes their e-mail, goes too
    shop().delete(luo.id);
    assertThat(shop().sendWebhook(hook(), "customers/redact", luo)).isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(connectors().listConnectorDataRequests(ID, null, 50).getItems())
                    .noneMatch(r -> r.getSourceRecordId().equals(Long.toString(luo.id))));
  }

  @Test
  void shopRedactErasesEveryRecordTheShopGaveAndTheMergeLogVerifies() throws Exception {
    String leaving = "shop-shopify-leaving";
    ShopifyServer shop = HubInfrastructure.get().shopifyLeaving();
    ShopifyServer.Customer a = shop.create("思远", "钱", "qiansiyuan-left@163.com", "+8615290010008");
    ShopifyServer.Customer b = shop.create("雨桐", "孙", null, "+8615290010009");
    Member first = awaitOneMember("15290010008");
    Member second = awaitOneMember("15290010009");
    // the second customer also shops in a store: that record stays
    importAndWait(
        "store-sh-29", "members-9.csv", aSheet("姓名", "手机号").row("孙雨桐", "15290010009").gbkCsv());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(members().getMember(second.getId()).getSourceRecords()).hasSize(2));

    // 48 hours after the shop uninstalled the app, Shopify asks for everything of it to go
    shop.delete(a.id);
    shop.delete(b.id);
    String hook = baseUrl() + "/hooks/" + leaving;
    assertThat(shop.sendWebhook(hook, "shop/redact", null)).isEqualTo(202);

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(members().findMembers("15290010008").getItems()).isEmpty();
              assertThat(members().getMember(second.getId()).getSourceRecords())
                  .singleElement()
                  .satisfies(r -> assertThat(r.getSource()).isEqualTo("store-sh-29"));
            });
    assertThat(
            jdbc.queryForObject(
                "select count(*) from member_version where golden::text like ?",
                Integer.class,
                "%qiansiyuan-left%"))
        .isZero();
    com.onemember.api.client.AuditApi audit = new com.onemember.api.client.AuditApi(apiClient());
    assertThat(
            audit
                .listMergeLog(
                    first.getId(),
                    null,
                    null,
                    null,
                    null,
                    com.onemember.api.client.model.MergeAction.RECORD_ERASED,
                    null,
                    10)
                .getItems())
        .singleElement()
        .satisfies(e -> assertThat(e.getActor()).isEqualTo("connector " + leaving));
    assertThat(audit.verifyMergeLog().getOk()).isTrue();
  }

  @Test
  void aReadThatEndsAfterAResyncLeavesTheResyncsPosition() {
    // a run that began at 08:00 ends after a person's resync set the position to 07:00: the
    // resync wins, and the next read starts from there
    String connector = "shop-resync-race";
    java.time.Instant now = java.time.Instant.parse("2026-12-06T09:00:00Z");
    assertThat(store.advance(connector, null, "2026-12-06T08:00:00Z", now)).isTrue();
    store.reposition(connector, "2026-12-06T07:00:00Z", now);
    assertThat(store.advance(connector, "2026-12-06T08:00:00Z", "2026-12-06T08:30:00Z", now))
        .isFalse();
    assertThat(store.state(connector).orElseThrow().position()).isEqualTo("2026-12-06T07:00:00Z");
    assertThat(store.advance(connector, "2026-12-06T07:00:00Z", "2026-12-06T08:45:00Z", now))
        .isTrue();
    assertThat(store.state(connector).orElseThrow().position()).isEqualTo("2026-12-06T08:45:00Z");
  }

  @Test
  void aPageLimitOverTheMaximumIsRefusedWithTheRuleAndTheValueGiven() {
    com.onemember.api.client.invoker.ApiException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            com.onemember.api.client.invoker.ApiException.class,
            () -> connectors().listConnectorRuns(ID, null, 500));
    assertThat(e.getCode()).isEqualTo(400);
    assertThat(e.getResponseBody())
        .contains("limit")
        .contains("less than or equal to 200")
        .contains("(given: 500)")
        .doesNotContain("source");
  }

  @Test
  void aForgedOrOversizedWebhookIsRefusedWithWhy() throws Exception {
    ShopifyServer.Customer c = shop().create("某", "冒", null, "+8615290010004");
    byte[] body = shop().webhookBody("customers/create", c);
    Map<String, String> headers =
        new java.util.HashMap<>(
            shop()
                .webhookHeaders("customers/create", body, "b0c7d6e2-0000-4000-8000-000000000029"));
    headers.put("X-Shopify-Hmac-Sha256", "bm90IGEgc2lnbmF0dXJl");
    assertThat(shop().sendRaw(hook(), headers, body)).isEqualTo(401);

    byte[] huge = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(hook()))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", "customers/create")
                .header("X-Shopify-Hmac-Sha256", ShopifyServer.hmac(huge))
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("1 MB");
  }
}
