package com.onemember.hub.connectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.ConnectorsApi;
import com.onemember.api.client.model.IdentifierType;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.MemberRegistered;
import com.onemember.api.client.model.MemberRegistration;
import com.onemember.connectors.wechat.WeChatServer;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two mini-programs of one brand ({@code mp-tea-it}, pushing in safe mode, and {@code mp-mall-it},
 * in plain mode), WeChat's servers played by {@link WeChatServer}: a person registered by both
 * apps' back ends (different openids, one unionid) is one member, who merges with the same person's
 * store record by phone; the apps' member-card pushes reach that member, a repeated one taken once;
 * the address check, forged, stale and oversized pushes, and refused codes each get their answer.
 */
class WeChatMiniProgramIT extends HubIT {

  private static final String TEA = "mp-tea-it";
  private static final String MALL = "mp-mall-it";
  private static final String TEA_APP = HubInfrastructure.MP_TEA_APP;
  private static final String MALL_APP = HubInfrastructure.MP_MALL_APP;

  private final HttpClient http = HttpClient.newHttpClient();

  private WeChatServer wechat() {
    return HubInfrastructure.get().wechat();
  }

  private String hook(String id) {
    return baseUrl() + "/hooks/" + id;
  }

  private MemberRegistered register(String id, MemberRegistration request) throws Exception {
    return new ConnectorsApi(apiClient()).registerConnectorMember(id, request);
  }

  private HttpResponse<String> registerRaw(String id, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/connectors/" + id + "/members"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  @Test
  void onePersonInTwoMiniProgramsIsOneMemberWhoMergesWithTheStoreRecord() throws Exception {
    WeChatServer wechat = wechat();
    WeChatServer.Person song =
        wechat.addPerson("oZ9Fq5wT3kLm8Qa1Zx6Cv4Bn7Jd2", "15290040001", "宋雨琦");

    // the tea app's back end, at login: the login code and the phone button's code
    MemberRegistered tea =
        register(
            TEA,
            new MemberRegistration()
                .code(wechat.loginCode(TEA_APP, song))
                .phoneCode(wechat.phoneCode(TEA_APP, song))
                .nickname("雨琦"));
    assertThat(tea.getOpenid()).isEqualTo(song.openid(TEA_APP));
    assertThat(tea.getUnionid()).isEqualTo(song.unionid());
    assertThat(tea.getPhone()).isEqualTo("15290040001");
    Member member = awaitOneMember("15290040001");

    // the mall app's back end knows only the login: the unionid joins the two
    MemberRegistered mall =
        register(MALL, new MemberRegistration().code(wechat.loginCode(MALL_APP, song)));
    assertThat(mall.getOpenid()).isEqualTo(song.openid(MALL_APP)).isNotEqualTo(tea.getOpenid());
    assertThat(mall.getPhone()).isNull();

    // the store's POS holds her too, typed at the till
    new org.springframework.jdbc.core.JdbcTemplate(HubInfrastructure.get().unicentaDataSource())
        .update(
            "insert into customers (id, searchkey, name, phone) values"
                + " ('6f1c2a10-0401-4c1e-9a51-3f1d2b7c0401', 'C0401', '宋雨琦', '152 9004 0001')");

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Member now = members().getMember(member.getId());
              assertThat(now.getSourceRecords())
                  .extracting(r -> r.getSource())
                  .contains(TEA, MALL, "pos-unicenta-it");
              assertThat(now.getIdentifiers())
                  .anySatisfy(
                      i -> {
                        assertThat(i.getType()).isEqualTo(IdentifierType.WECHAT_OPENID);
                        assertThat(i.getValue()).isEqualTo(song.openid(TEA_APP));
                        assertThat(i.getScope()).isEqualTo(TEA_APP);
                      })
                  .anySatisfy(
                      i -> {
                        assertThat(i.getType()).isEqualTo(IdentifierType.WECHAT_OPENID);
                        assertThat(i.getValue()).isEqualTo(song.openid(MALL_APP));
                        assertThat(i.getScope()).isEqualTo(MALL_APP);
                      });
            });
    assertThat(members().findMembers("15290040001").getItems()).hasSize(1);
    // the nickname is a nickname: the POS's name is the name
    assertThat(members().getMember(member.getId()).getName()).isEqualTo("宋雨琦");
  }

  @Test
  void aMemberCardPushReachesTheMemberAndARepeatedOneIsTakenOnce() throws Exception {
    WeChatServer wechat = wechat();
    WeChatServer.Person he = wechat.addPerson("oZ9Fq5pR6sD2fG8hJ4kL1zX9cV3b", "15290040002");
    register(
        TEA,
        new MemberRegistration()
            .openid(he.openid(TEA_APP))
            .unionid(he.unionid())
            .phone("15290040002"));
    Member member = awaitOneMember("15290040002");

    int runsBefore =
        new ConnectorsApi(apiClient()).listConnectorRuns(TEA, null, 200).getItems().size();
    Map<String, Object> event =
        Map.of(
            "CreateTime",
            Instant.now().getEpochSecond(),
            "FromUserName",
            he.openid(TEA_APP),
            "Event",
            "user_get_card",
            "CardId",
            "pFS7Fjg8kV1IdDz01r4SQwMkuCKc",
            "UserCardCode",
            "860512347781",
            "UnionId",
            he.unionid());
    WeChatServer.Delivery first =
        wechat.push(hook(TEA), TEA_APP, WeChatServer.Mode.SAFE, WeChatServer.Format.XML, event);
    // WeChat did not hear the answer in time and sends it again
    WeChatServer.Delivery again =
        wechat.push(hook(TEA), TEA_APP, WeChatServer.Mode.SAFE, WeChatServer.Format.XML, event);
    assertThat(first.counted()).as(first.answer()).isTrue();
    assertThat(again.counted()).as(again.answer()).isTrue();
    assertThat(first.answer()).isEqualTo("success");

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(members().getMember(member.getId()).getIdentifiers())
                    .anySatisfy(
                        i -> {
                          assertThat(i.getType()).isEqualTo(IdentifierType.MEMBER_CARD);
                          assertThat(i.getValue()).isEqualTo("860512347781");
                        }));
    Thread.sleep(1500);
    assertThat(new ConnectorsApi(apiClient()).listConnectorRuns(TEA, null, 200).getItems())
        .hasSize(runsBefore + 1);

    // the plain-mode app takes a JSON push on its signature
    WeChatServer.Delivery plain =
        wechat.userGetCard(
            hook(MALL),
            MALL_APP,
            he,
            "pFS7Fjg8kV1IdDz01r4SQwMkuCKc",
            "860512347782",
            WeChatServer.Mode.PLAIN,
            WeChatServer.Format.JSON);
    assertThat(plain.counted()).as(plain.answer()).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(members().getMember(member.getId()).getSourceRecords())
                    .extracting(r -> r.getSource())
                    .contains(TEA, MALL));
  }

  @Test
  void aTagTheMemberGetsShowsAsTheLevelOfTheirMemberCardAndItsActivationGivesTheirName()
      throws Exception {
    WeChatServer wechat = wechat();
    WeChatServer.Person fang = wechat.addPerson("oZ9Fq5tY8uI1oP4aS7dF0gH3jK6l", "15290040005");
    WeChatServer.Card card = wechat.giveCard(TEA_APP, HubInfrastructure.MP_CARD, fang, 20);
    register(
        TEA,
        new MemberRegistration()
            .code(wechat.loginCode(TEA_APP, fang))
            .phoneCode(wechat.phoneCode(TEA_APP, fang)));
    Member member = awaitOneMember("15290040005");
    new com.onemember.api.client.MembersApi(apiClient())
        .addMemberTag(
            member.getId(),
            new com.onemember.api.client.model.TagRequest().name("茶友").note("茶会常客"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(card.level()).isEqualTo("茶友会员");
              assertThat(card.bonus()).isEqualTo(100);
            });
    assertThat(card.bonusRecords()).containsExactly("成为茶友会员，积分补足至 100");

    // she activates the card: the name she typed in its form reaches the member
    wechat.activate(
        card.code,
        Map.of("USER_FORM_INFO_FLAG_NAME", "方琳", "USER_FORM_INFO_FLAG_BIRTHDAY", "1992-03-14"));
    assertThat(
            wechat
                .submitMemberCardUserInfo(
                    hook(TEA),
                    TEA_APP,
                    fang,
                    card.cardId,
                    card.code,
                    WeChatServer.Mode.SAFE,
                    WeChatServer.Format.JSON)
                .counted())
        .isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Member now = members().getMember(member.getId());
              assertThat(now.getName()).isEqualTo("方琳");
              assertThat(now.getBirthday()).hasToString("1992-03-14");
            });
  }

  @Test
  void theAddressCheckPassesAndForgedStaleOrOversizedPushesSayWhy() throws Exception {
    WeChatServer wechat = wechat();
    WeChatServer.App app = wechat.app(TEA_APP);
    assertThat(wechat.verifyUrl(hook(TEA), app.pushToken()).passed()).isTrue();
    assertThat(wechat.verifyUrl(hook(TEA), "WrongToken7").status()).isEqualTo(401);

    WeChatServer.Person fake = wechat.addPerson("oZ9Fq5mN2bV5cX8zL1kJ4hG7fD0s", "15290040003");
    WeChatServer.Delivery forged =
        wechat.push(
            hook(TEA),
            TEA_APP,
            "WrongToken7",
            app.encodingAesKey(),
            WeChatServer.Mode.SAFE,
            WeChatServer.Format.XML,
            Map.of("FromUserName", fake.openid(TEA_APP), "Event", "user_get_card"));
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.answer()).contains("msg_signature");

    long stale = Instant.now().minusSeconds(900).getEpochSecond();
    String encrypt =
        WeChatServer.encrypt(
            app.encodingAesKey(),
            TEA_APP,
            WeChatServer.eventBody(
                WeChatServer.Format.XML,
                Map.of(
                    "FromUserName",
                    fake.openid(TEA_APP),
                    "CreateTime",
                    stale,
                    "MsgType",
                    "event",
                    "Event",
                    "user_get_card")));
    WeChatServer.Delivery replayed =
        wechat.sendRaw(
            hook(TEA),
            WeChatServer.pushQuery(app.pushToken(), stale, "90817", fake.openid(TEA_APP), encrypt),
            WeChatServer.pushHeaders(WeChatServer.Format.XML),
            WeChatServer.envelope(WeChatServer.Format.XML, app.originalId(), encrypt));
    assertThat(replayed.status()).isEqualTo(401);
    assertThat(replayed.answer()).contains("away from the hub's clock");

    // an XXE payload, whatever its signature: refused for its DOCTYPE before anything is read
    long now = Instant.now().getEpochSecond();
    WeChatServer.Delivery entity =
        wechat.sendRaw(
            hook(TEA),
            WeChatServer.pushQuery(app.pushToken(), now, "77", null, "&x;"),
            WeChatServer.pushHeaders(WeChatServer.Format.XML),
            "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<xml><ToUserName>gh_1</ToUserName><Encrypt>&x;</Encrypt></xml>");
    assertThat(entity.status()).isEqualTo(400);
    assertThat(entity.answer()).contains("DOCTYPE");

    byte[] huge = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    WeChatServer.Delivery oversized =
        wechat.sendRaw(
            hook(TEA),
            WeChatServer.pushQuery(
                app.pushToken(), Instant.now().getEpochSecond(), "1", null, null),
            WeChatServer.pushHeaders(WeChatServer.Format.XML),
            huge);
    assertThat(oversized.status()).isEqualTo(413);
    assertThat(members().findMembers("15290040003").getItems()).isEmpty();
  }

  @Test
  void refusedCodesAndWrongConnectorsAreAnsweredInWordsWithTheRightStatus() throws Exception {
    WeChatServer wechat = wechat();
    WeChatServer.Person lu = wechat.addPerson("oZ9Fq5qW1eR4tY7uI0oP3aS6dF9g", "15290040004");
    String code = wechat.loginCode(TEA_APP, lu);
    assertThat(registerRaw(TEA, "{\"code\":\"" + code + "\"}").statusCode()).isEqualTo(202);
    HttpResponse<String> used = registerRaw(TEA, "{\"code\":\"" + code + "\"}");
    assertThat(used.statusCode()).isEqualTo(400);
    assertThat(used.body()).contains("invalid-code").contains("40163").contains("已用过");

    wechat.rateLimitNext(1);
    HttpResponse<String> quota =
        registerRaw(TEA, "{\"code\":\"" + wechat.loginCode(TEA_APP, lu) + "\"}");
    assertThat(quota.statusCode()).isEqualTo(429);
    assertThat(quota.headers().firstValue("Retry-After")).contains("60");

    HttpResponse<String> nobody = registerRaw(TEA, "{\"nickname\":\"路人\"}");
    assertThat(nobody.statusCode()).isEqualTo(400);
    assertThat(nobody.body()).contains("no-person");

    assertThat(registerRaw("shop-woo-it", "{\"openid\":\"oX9aP1Ls3kQ7vT2mW8rE5yN4bH6c\"}").body())
        .contains("no-registrations");
    assertThat(registerRaw("no-such-connector", "{}").statusCode()).isEqualTo(404);
  }
}
