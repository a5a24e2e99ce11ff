package com.onemember.hub.connectors;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.ConnectorsApi;
import com.onemember.api.client.MembersApi;
import com.onemember.api.client.model.Connector;
import com.onemember.api.client.model.GoldenEventType;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.TagRequest;
import com.onemember.connectors.youzan.YouzanServer;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A Youzan shop (a local server speaking the Youzan Cloud gateway, signing its pushes as Youzan
 * does) connected as {@code shop-youzan-it}: a customer created in the shop reaches the hub by
 * push, merges with the same person from a store's sheet, and the shop gets the golden tags, whose
 * own push does not come back as news; a customer whose push was lost is found by the scheduled
 * read; a log-off withdraws the record; heartbeats, forged and oversized pushes are answered as
 * they should be.
 */
class YouzanIT extends HubIT {

  private static final String ID = "shop-youzan-it";

  private YouzanServer shop() {
    return HubInfrastructure.get().youzan();
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
  void aShopCustomerMergesWithTheStoresRecordAndGetsTheTagsWithoutEcho() throws Exception {
    YouzanServer shop = shop();
    shop.notifyChangesTo(hook());
    try {
      YouzanServer.Customer zhou = shop.create("周婷", "15290020001");
      YouzanServer.Delivery answer =
          shop.sendCustomerEvent(hook(), YouzanServer.CUSTOMER_CREATED, zhou.yzOpenId);
      assertThat(answer.success()).as(answer.body()).isTrue();
      Member member = awaitOneMember("15290020001");

      importAndWait(
          "store-sh-29",
          "members-yz.csv",
          aSheet("姓名", "手机号", "生日").row("周婷", "152 9002 0001", "1990-03-15").gbkCsv());
      assertThat(members().findMembers("15290020001").getItems())
          .singleElement()
          .satisfies(m -> assertThat(m.getId()).isEqualTo(member.getId()));

      // the push carries what changed; the read completes the record (trade count, created_at)
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(members().getMember(member.getId()).getSourceRecords())
                      .filteredOn(r -> r.getSource().equals(ID))
                      .singleElement()
                      .satisfies(r -> assertThat(r.getRaw()).containsKey("created_at")));
      OffsetDateTime tagged = OffsetDateTime.now();
      long position = lastChangePosition();
      new MembersApi(apiClient())
          .addMemberTag(member.getId(), new TagRequest().name("线上线下").note("两边都买"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(shop.tags(zhou.yzOpenId)).contains("OM·线上线下"));
      // the shop pushes CUSTOMER_UPDATED for the hub's own tag write; it changes nothing
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(shop.deliveries())
                      .anySatisfy(d -> assertThat(d.success()).isTrue())
                      .hasSizeGreaterThanOrEqualTo(2));
      Thread.sleep(2000);
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
  void aCustomerWhosePushWasLostIsFoundByTheScheduledReadWithWhatTheirDetailGives()
      throws Exception {
    YouzanServer.Customer wu = shop().create("吴凡", "15290020002");
    shop()
        .update(
            wu.yzOpenId,
            c -> {
              c.tradeCount = 4;
              c.totalTradeAmountFen = 129_800;
              c.lastTradeAt = java.time.Instant.parse("2026-11-30T11:20:00Z");
              c.birthday = "1993-08-21";
            });
    Member member = awaitOneMember("15290020002");
    assertThat(member.getName()).isEqualTo("吴凡");
    // the list gives the order count; the customer's detail the amount, in fen, and when
    assertThat(member.getPurchases().getOrders()).isEqualTo(4);
    assertThat(member.getPurchases().getSpent()).isEqualByComparingTo("1298.00");
    assertThat(member.getPurchases().getLastPurchaseAt())
        .isAtSameInstantAs(OffsetDateTime.parse("2026-11-30T11:20:00Z"));
    assertThat(member.getBirthday()).hasToString("1993-08-21");
  }

  @Test
  void aPushCarryingSomeFieldsKeepsWhatTheReadGaveAndARepeatedPushCountsOnce() throws Exception {
    YouzanServer shop = shop();
    YouzanServer.Customer ma = shop.create("马丽", "15290020005");
    shop.update(ma.yzOpenId, c -> c.tradeCount = 9);
    Member member = awaitOneMember("15290020005");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(members().getMember(member.getId()).getSourceRecords())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getRaw()).containsEntry("trade_count", "9")));

    // the customer changes their name; the push carries name and mobile, not the trade count
    shop.update(ma.yzOpenId, c -> c.name = "马丽丽");
    byte[] body = shop.customerEventBody(YouzanServer.CUSTOMER_UPDATED, ma.yzOpenId);
    OffsetDateTime sent = OffsetDateTime.now();
    assertThat(shop.sendRaw(hook(), YouzanServer.pushHeaders(body), body).success()).isTrue();
    // Youzan sends it again when it missed our answer: the same message, taken once
    assertThat(shop.sendRaw(hook(), YouzanServer.pushHeaders(body), body).success()).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(members().getMember(member.getId()).getSourceRecords())
                    .singleElement()
                    .satisfies(
                        r ->
                            assertThat(r.getRaw())
                                .containsEntry("name", "马丽丽")
                                .containsEntry("trade_count", "9")));
    Thread.sleep(2000);
    assertThat(new ConnectorsApi(apiClient()).listConnectorRuns(ID, null, 200).getItems())
        .filteredOn(r -> r.getStartedAt().isAfter(sent) && r.getRecordsRead() == 1)
        .filteredOn(r -> r.getRecordsQueued() == 1)
        .hasSize(1);
  }

  @Test
  void aLogOffWithdrawsTheRecord() throws Exception {
    YouzanServer.Customer gao = shop().create("高翔", "15290020003");
    assertThat(
            shop().sendCustomerEvent(hook(), YouzanServer.CUSTOMER_CREATED, gao.yzOpenId).success())
        .isTrue();
    awaitOneMember("15290020003");
    assertThat(shop().sendLogOff(hook(), gao.yzOpenId).success()).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(members().findMembers("15290020003").getItems()).isEmpty());
  }

  @Test
  void aHeartbeatIsAnsweredSuccessAForgedPushIsRefusedAndAnOversizedOneSaysWhy() throws Exception {
    YouzanServer.Delivery heartbeat = shop().sendHeartbeat(hook());
    assertThat(heartbeat.status()).isEqualTo(200);
    assertThat(heartbeat.body()).isEqualTo("{\"code\":0,\"msg\":\"success\"}");

    YouzanServer.Customer fake = shop().create("冒名", "15290020004");
    byte[] body = shop().customerEventBody(YouzanServer.CUSTOMER_UPDATED, fake.yzOpenId);
    Map<String, String> headers = new HashMap<>(YouzanServer.pushHeaders(body));
    headers.put("Event-Sign", "0".repeat(32));
    YouzanServer.Delivery forged = shop().sendRaw(hook(), headers, body);
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.body()).contains("client-secret");

    byte[] huge = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    YouzanServer.Delivery oversized = shop().sendRaw(hook(), YouzanServer.pushHeaders(huge), huge);
    assertThat(oversized.status()).isEqualTo(413);
    assertThat(oversized.body()).contains("1 MB");
    assertThat(new String(body, StandardCharsets.UTF_8)).contains(fake.yzOpenId);
  }
}
