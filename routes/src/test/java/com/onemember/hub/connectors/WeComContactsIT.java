package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.ConnectorsApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.MemberRegistration;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.MergeLogEntry;
import com.onemember.api.client.model.StaffHandoverRequest;
import com.onemember.api.client.model.StaffHandoverResult;
import com.onemember.connectors.wechat.WeChatServer;
import com.onemember.connectors.wecom.WeComServer;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * WeCom customer contact ({@code wecom-it}), WeCom's servers played by {@link WeComServer}: a
 * customer a staff member keeps joins the member the mini-program and the POS already made of the
 * same person, the member shows which staff serve them, and after the staff member leaves a
 * handover moves the customer to another, logged under the name of who asked.
 */
class WeComContactsIT extends HubIT {

  private static final String ID = "wecom-it";

  private WeComServer wecom() {
    return HubInfrastructure.get().wecom();
  }

  private String hook() {
    return baseUrl() + "/hooks/" + ID;
  }

  private List<Member> servedBy(String staff) throws Exception {
    return members().findMembers(null, staff, ID, null, null).getItems();
  }

  @Test
  void aWeComCustomerJoinsTheMemberAndAfterTheStaffMemberLeavesAHandoverMovesThem()
      throws Exception {
    WeChatServer wechat = HubInfrastructure.get().wechat();
    WeChatServer.Person chen =
        wechat.addPerson("oZ9Fq5wT3kLm8Qa1Zx6Cv4Bn7Jd9", "15290050001", "陈雨桐");
    new ConnectorsApi(apiClient())
        .registerConnectorMember(
            "mp-tea-it",
            new MemberRegistration()
                .code(wechat.loginCode(HubInfrastructure.MP_TEA_APP, chen))
                .phoneCode(wechat.phoneCode(HubInfrastructure.MP_TEA_APP, chen)));
    Member member = awaitOneMember("15290050001");
    // the same person at the till: the uniCenta POS's customer
    new JdbcTemplate(HubInfrastructure.get().unicentaDataSource())
        .update(
            "insert into customers (id, searchkey, name, phone) values"
                + " ('6f1c2a10-0501-4c1e-9a51-3f1d2b7c0501', 'C0501', '陈雨桐', '15290050001')");

    WeComServer wecom = wecom();
    wecom.addStaff("zhouxun", "周迅");
    wecom.addStaff("hejiong", "何炅");
    // the staff member's contact carries no unionid (an app WeCom gives none to): the remark
    // mobile and name join it
    WeComServer.Follow follow =
        wecom.addContact("zhouxun", "雨桐", "陈雨桐", List.of("15290050001"), null);
    assertThat(wecom.sendAddExternalContact(hook(), follow).counted()).isTrue();

    // one member: the mini-program's, the POS's and the staff member's records
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Member m = members().getMember(member.getId());
              assertThat(m.getSourceRecords())
                  .extracting(r -> r.getSource())
                  .contains("mp-tea-it", "pos-unicenta-it", ID);
              assertThat(m.getServedBy())
                  .singleElement()
                  .satisfies(s -> assertThat(s.getStaffId()).isEqualTo("zhouxun"));
            });
    assertThat(members().findMembers("15290050001", null, null, null, null).getItems()).hasSize(1);
    assertThat(servedBy("zhouxun")).extracting(Member::getId).containsExactly(member.getId());

    // the staff member leaves: the next read shows them departed, the customer still theirs
    wecom.removeStaff("zhouxun");
    assertThat(wecom.sendDeleteUser(hook(), "zhouxun").counted()).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(servedBy("zhouxun"))
                    .singleElement()
                    .satisfies(
                        m ->
                            assertThat(m.getServedBy())
                                .singleElement()
                                .satisfies(s -> assertThat(s.getDepartedAt()).isNotNull())));

    // WeCom completes a handover 24 hours after it was asked for, the customer listed under no
    // one meanwhile
    wecom.setTransferDelay(Duration.ofHours(24));
    OffsetDateTime asked = OffsetDateTime.now();
    StaffHandoverResult result =
        new ConnectorsApi(apiClient())
            .handOverCustomers(
                ID,
                new StaffHandoverRequest()
                    .from("zhouxun")
                    .to("hejiong")
                    .reason("周迅离职，客户由何炅接手 / Zhou Xun left; He Jiong takes over"));
    assertThat(result.getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getStarted()).isTrue();
              assertThat(item.getCustomer()).isEqualTo(follow.externalUserid());
              assertThat(item.getMemberId()).isEqualTo(member.getId());
            });

    try {
      // reads in the meantime (no callbacks come: every run is a read) keep the relationship that
      // is ending
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  new ConnectorsApi(apiClient())
                          .listConnectorRuns(ID, null, 50).getItems().stream()
                              .filter(r -> r.getStartedAt().isAfter(asked))
                              .filter(r -> r.getEndedAt() != null)
                              .count()
                      >= 2);
      assertThat(members().getMember(member.getId()).getServedBy())
          .singleElement()
          .satisfies(s -> assertThat(s.getStaffId()).isEqualTo("zhouxun"));
      // a day later WeCom has completed it
      wecom.setClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(25)));
      assertThat(wecom.follows("hejiong"))
          .anySatisfy(f -> assertThat(f.externalUserid()).isEqualTo(follow.externalUserid()));
    } finally {
      wecom.setClock(Clock.systemUTC());
      wecom.setTransferDelay(Duration.ZERO);
    }
    // the next read shows the customer with the new staff member
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(members().getMember(member.getId()).getServedBy())
                    .singleElement()
                    .satisfies(s -> assertThat(s.getStaffId()).isEqualTo("hejiong")));
    assertThat(servedBy("zhouxun")).isEmpty();
    MergeLogEntry logged =
        new AuditApi(apiClient())
                .listMergeLog(
                    member.getId(), null, null, null, null, MergeAction.STAFF_HANDOVER, null, 10)
                .getItems()
                .stream()
                .filter(e -> e.getAction() == MergeAction.STAFF_HANDOVER)
                .findFirst()
                .orElseThrow();
    assertThat(logged.getActor()).isEqualTo("admin");
    assertThat(logged.getEvidence())
        .contains("\"from\":\"zhouxun\"")
        .contains("\"to\":\"hejiong\"")
        .contains("周迅离职");
    assertThat(new AuditApi(apiClient()).verifyMergeLog().getOk()).isTrue();
  }

  @Test
  void aHandoverOfAStaffMemberStillEmployedIsRefusedInWords() throws Exception {
    WeComServer wecom = wecom();
    wecom.addStaff("sunli", "孙俪");
    wecom.addStaff("dengchao", "邓超");
    WeComServer.Follow follow = wecom.addContact("sunli", "小杨", "杨紫", List.of("15290050002"), null);
    wecom.sendAddExternalContact(hook(), follow);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(servedBy("sunli")).hasSize(1));
    assertThatThrownBy(
            () ->
                new ConnectorsApi(apiClient())
                    .handOverCustomers(
                        ID, new StaffHandoverRequest().from("sunli").to("dengchao").reason("试一下")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getResponseBody()).contains("尚未离职").contains("has not left");
            });
    assertThatThrownBy(
            () ->
                new ConnectorsApi(apiClient())
                    .handOverCustomers(
                        ID, new StaffHandoverRequest().from("sunli").to("sunli").reason("x")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    assertThatThrownBy(
            () ->
                new ConnectorsApi(apiClient())
                    .handOverCustomers(
                        "shop-shopify-it",
                        new StaffHandoverRequest().from("a").to("b").reason("x")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void theUrlCheckIsAnsweredAndACallbackForAnotherTokenIsRefused() throws Exception {
    assertThat(wecom().verifyUrl(hook()).passed()).isTrue();
    WeComServer.Delivery forged =
        wecom()
            .callback(
                hook(),
                "NotOurToken",
                wecom().callbackAesKey(),
                java.util.Map.of("Event", "change_external_contact"));
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.answer()).contains("msg_signature");
  }
}
