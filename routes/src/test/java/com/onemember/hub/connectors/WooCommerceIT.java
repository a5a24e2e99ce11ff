package com.onemember.hub.connectors;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.ConnectorsApi;
import com.onemember.api.client.MembersApi;
import com.onemember.api.client.model.Connector;
import com.onemember.api.client.model.GoldenEventType;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.TagRequest;
import com.onemember.connectors.woocommerce.WooCommerceServer;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A WooCommerce shop (a local server speaking wc/v3, signing its webhooks as WooCommerce does)
 * connected as {@code shop-woo-it}: a customer created in the shop reaches the hub by webhook,
 * merges with the same person from a store's sheet, and the shop gets the golden id and tags in its
 * meta data, whose own {@code customer.updated} does not come back as news; a customer whose
 * webhook was lost is found by the reconciliation read; a deletion withdraws the record; a webhook
 * the shop disabled shows on the connector's status; a delivery sent twice is taken once, and a
 * replay of an old one does not undo a later change.
 */
class WooCommerceIT extends HubIT {

  private static final String ID = "shop-woo-it";

  @Autowired JdbcTemplate jdbc;

  private WooCommerceServer shop() {
    return HubInfrastructure.get().woocommerce();
  }

  private String hook() {
    return baseUrl() + "/hooks/" + ID;
  }

  private Connector find() throws Exception {
    return new ConnectorsApi(apiClient())
        .listConnectors().getItems().stream()
            .filter(c -> c.getId().equals(ID))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void aShopCustomerMergesWithTheStoresRecordAndGetsTheGoldenIdAndTagsWithoutEcho()
      throws Exception {
    WooCommerceServer shop = shop();
    shop.notifyChangesTo(hook());
    try {
      WooCommerceServer.Customer qin = shop.create("秦", "岚", "152 9003 0001", "qinlan-woo@163.com");
      shop.update(
          qin.id,
          c -> {
            c.ordersCount = 3;
            c.totalSpent = new java.math.BigDecimal("468.00");
          });
      assertThat(shop.sendWebhook(hook(), "customer.created", qin.id)).isEqualTo(200);
      Member member = awaitOneMember("15290030001");

      importAndWait(
          "store-sh-29",
          "members-woo.csv",
          aSheet("姓名", "手机号", "生日").row("秦岚", "15290030001", "1979-07-17").gbkCsv());
      assertThat(members().findMembers("15290030001").getItems())
          .singleElement()
          .satisfies(m -> assertThat(m.getId()).isEqualTo(member.getId()));
      // the read brings what the webhook does not carry: the orders from Analytics
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(members().getMember(member.getId()).getSourceRecords())
                      .filteredOn(r -> r.getSource().equals(ID))
                      .singleElement()
                      .satisfies(r -> assertThat(r.getRaw()).containsEntry("ordersCount", "3")));

      OffsetDateTime tagged = OffsetDateTime.now();
      long position = lastChangePosition();
      new MembersApi(apiClient())
          .addMemberTag(member.getId(), new TagRequest().name("线上线下").note("两边都买"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                WooCommerceServer.Customer now = shop.customer(qin.id);
                assertThat(now.meta("onemember_golden_id")).isNotNull();
                assertThat(now.meta("onemember_golden_id").value().asString())
                    .isEqualTo(member.getId().toString());
                assertThat(now.meta("onemember_tags").value().toString()).contains("线上线下");
              });
      Thread.sleep(3000);
      assertThat(changesAfter(position))
          .filteredOn(e -> e.getMemberId().equals(member.getId()))
          .filteredOn(e -> !e.getOccurredAt().isBefore(tagged))
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.getType()).isEqualTo(GoldenEventType.TAGS_CHANGED));
      assertThat(find().getWebhooks().getLastPushAt()).isNotNull();
    } finally {
      shop.notifyChangesTo(null);
    }
  }

  @Test
  void aCustomerWhoseWebhookWasLostIsFoundByTheReconciliationRead() throws Exception {
    shop().create("范", "伟", "15290030002", "fanwei-woo@163.com");
    Member member = awaitOneMember("15290030002");
    assertThat(member.getName()).isEqualTo("范伟");
  }

  @Test
  void aDeletionWebhookWithdrawsTheRecord() throws Exception {
    WooCommerceServer.Customer cao = shop().create("曹", "颖", "15290030003", "caoying@163.com");
    assertThat(shop().sendWebhook(hook(), "customer.created", cao.id)).isEqualTo(200);
    awaitOneMember("15290030003");
    shop().delete(cao.id);
    assertThat(shop().sendWebhook(hook(), "customer.deleted", cao.id)).isEqualTo(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(members().findMembers("15290030003").getItems()).isEmpty());
  }

  @Test
  void thePingIsAnswered200AForgedDeliveryIsRefusedAndAnOversizedOneSaysWhy() throws Exception {
    long webhook = shop().addWebhook("customer.deleted", hook());
    assertThat(shop().sendPing(hook(), webhook)).isEqualTo(200);

    WooCommerceServer.Customer fake = shop().create("冒", "名", "15290030004", "fake-woo@163.com");
    byte[] body = shop().webhookBody("customer.updated", fake.id);
    Map<String, String> headers = new HashMap<>(shop().webhookHeaders(webhook, body));
    headers.put("X-WC-Webhook-Signature", "bm90IGEgc2lnbmF0dXJl");
    assertThat(shop().sendRaw(hook(), headers, body)).isEqualTo(401);

    byte[] huge = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThat(shop().sendRaw(hook(), shop().webhookHeaders(webhook, huge), huge)).isEqualTo(413);
  }

  @Test
  void aDeliverySentAgainIsTakenOnceAndNeitherItNorTheNextReadsUndoOrRepeatALaterChange()
      throws Exception {
    long webhook = shop().addWebhook("customer.updated", hook());
    WooCommerceServer.Customer he = shop().create("贺", "佳", "15290030005", "hejia-woo@163.com");
    byte[] first = shop().webhookBody("customer.updated", he.id);
    Map<String, String> headers = shop().webhookHeaders(webhook, first);
    // the shop did not hear the first answer and sends the same delivery again
    assertThat(shop().sendRaw(hook(), headers, first)).isEqualTo(200);
    assertThat(shop().sendRaw(hook(), headers, first)).isEqualTo(200);
    Member member = awaitOneMember("15290030005");
    assertThat(member.getName()).isEqualTo("贺佳");
    // the id the hub keeps for it: WooCommerce's delivery id (not unique on its own) and the body's
    String delivery =
        ID
            + ":"
            + new com.onemember.connectors.woocommerce.WooCommerceKind()
                .deliveryId(
                    new com.onemember.connectors.frame.HookRequest(
                        Map.of("x-wc-webhook-delivery-id", headers.get("X-WC-Webhook-Delivery-ID")),
                        first,
                        Map.of()));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.queryForObject(
                            "select count(*) from camel_messageprocessed"
                                + " where processorName = 'hooks' and messageId = ?",
                            Integer.class,
                            delivery))
                    .isEqualTo(1));

    Thread.sleep(1100); // date_modified counts whole seconds
    shop().update(he.id, c -> c.firstName = "嘉");
    assertThat(shop().sendWebhook(hook(), "customer.updated", he.id)).isEqualTo(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(members().getMember(member.getId()).getName()).isEqualTo("贺嘉"));
    // the reconciliation reads see the change the push brought: they do not send it in again
    OffsetDateTime settled = OffsetDateTime.now().plusSeconds(2);
    Thread.sleep(4000);
    assertThat(new ConnectorsApi(apiClient()).listConnectorRuns(ID, null, 50).getItems())
        .filteredOn(r -> r.getStartedAt().isAfter(settled))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getRecordsQueued()).isZero());

    // captured and replayed later: answered as taken, and the member keeps the later name
    assertThat(shop().sendRaw(hook(), headers, first)).isEqualTo(200);
    Thread.sleep(2000);
    assertThat(members().getMember(member.getId()).getName()).isEqualTo("贺嘉");
  }

  @Test
  void aWebhookTheShopDisabledShowsOnTheConnectorsStatus() throws Exception {
    long quiet = shop().addWebhook("customer.updated", "https://hub.lin-tea.cn/hooks/" + ID);
    shop().setWebhookStatus(quiet, "disabled");
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(find().getWebhooks().getProblems())
                      .anySatisfy(p -> assertThat(p).contains("#" + quiet).contains("disabled")));
    } finally {
      shop().setWebhookStatus(quiet, "active");
    }
  }
}
