package com.onemember.connectors.pospal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pospal's members read over a real socket from a server that checks what Pospal checks. */
class PospalMembersTest {

  private final PospalServer pospal = new PospalServer();
  private final List<Duration> waits = new ArrayList<>();

  PospalMembersTest() throws Exception {}

  @AfterEach
  void stop() {
    pospal.close();
  }

  @Test
  void readsEveryPageSignedAndLeavesOutDeletedMembersAndPasswords() throws Exception {
    for (int i = 0; i < 250; i++) {
      pospal.add(612470307777855000L + i, "VIP" + (10000 + i), "会员" + i, "139" + (10000000 + i));
    }
    pospal.add(813951242628553689L, "VIP20001", "", "13800000000").put("enable", -1);

    Map<String, Map<String, String>> rows = readAll(source(PospalServer.APP_KEY, 300));

    assertThat(rows).hasSize(250).containsKey("612470307777855249");
    assertThat(rows).doesNotContainKey("813951242628553689");
    assertThat(rows.get("612470307777855000")).doesNotContainKey("password");
    assertThat(pospal.refusals).isEmpty();
    // 100, 100, and a last page of 51 (the deleted member among them): shorter, so no more
    assertThat(pospal.requests.get()).isEqualTo(3);
  }

  @Test
  void aMemberBecomesASourceRecordWithItsCardPhoneAndWeChatIds() throws Exception {
    pospal
        .add(612470307777855407L, "yelb007", "曾小贤", "136 0092 7865")
        .put("email", "zengxx@qq.com")
        .put("address", "广州市天河区体育西路 103 号");
    var member = pospal.add(612470307777855408L, "yelb008", "", "");
    member.putObject("extInfo").put("sex", 0).put("nickName", "🌸花花");
    member
        .putArray("weixinOpenIds")
        .add(
            tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .createObjectNode()
                .put("openId", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M")
                .put("openIdType", 1000));
    PospalMembers source = source(PospalServer.APP_KEY, 300);
    Map<String, Map<String, String>> rows = readAll(source);

    SourceRecord zeng = source.map("pospal-gz", rows.get("612470307777855407"));
    assertThat(zeng.sourceRecordId()).isEqualTo("612470307777855407");
    assertThat(zeng.name()).isEqualTo("曾小贤");
    assertThat(zeng.birthday()).isEqualTo("1990-05-03");
    assertThat(zeng.identifiers())
        .contains(
            new Identifier(IdentifierType.MEMBER_CARD, "yelb007", "pospal-gz"),
            Identifier.of(IdentifierType.MOBILE, "136 0092 7865"),
            Identifier.of(IdentifierType.EMAIL, "zengxx@qq.com"));
    assertThat(zeng.raw()).containsEntry("categoryName", "金卡").doesNotContainKey("password");

    SourceRecord flower = source.map("pospal-gz", rows.get("612470307777855408"));
    assertThat(flower.gender()).isEqualTo("女");
    assertThat(flower.nickname()).isEqualTo("🌸花花");
    assertThat(flower.identifiers())
        .contains(Identifier.of(IdentifierType.WECHAT_UNIONID, "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"));
  }

  @Test
  void aUsedUpQuotaSlowsTheSyncDownInsteadOfFailingIt() throws Exception {
    for (int i = 0; i < 150; i++) {
      pospal.add(700000000000000000L + i, "M" + i, "顾客" + i, "137" + (20000000 + i));
    }
    pospal.quotaAnswersLeft.set(3);

    assertThat(readAll(source(PospalServer.APP_KEY, 300))).hasSize(150);
    assertThat(waits)
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
  }

  @Test
  void aQuotaThatStaysUsedUpEndsTheSyncAsTransient() {
    pospal.add(700000000000000001L, "M1", "顾客", "13720000001");
    pospal.quotaAnswersLeft.set(1000);

    assertThatThrownBy(() -> readAll(source(PospalServer.APP_KEY, 10)))
        .isInstanceOfSatisfying(
            SourceUnavailable.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(e.getMessage()).contains("access quota is used up").contains("次数已达上限");
            });
  }

  @Test
  void aWrongAppKeyIsAConfigurationFailure() {
    pospal.add(700000000000000002L, "M2", "顾客", "13720000002");

    assertThatThrownBy(() -> readAll(source("not-the-key", 300)))
        .isInstanceOfSatisfying(
            SourceUnavailable.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION);
              assertThat(e.getMessage()).contains("Pospal refused the app-id or app-key");
            });
    assertThat(pospal.refusals).containsExactly("signature");
  }

  @Test
  void anAddressWithNothingBehindItIsTransient() {
    ConnectorInstance instance =
        instance("http://127.0.0.1:1/pospal-api2/openapi/v1", PospalServer.APP_KEY, 300);

    assertThatThrownBy(() -> readAll(new PospalMembers(new PospalClient(instance, waits::add))))
        .isInstanceOfSatisfying(
            SourceUnavailable.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(e.getMessage()).contains("cannot reach Pospal");
            });
  }

  @Test
  void theSignatureIsTheUpperCaseMd5OfKeyAndBody() {
    // Pospal's own example body, signed as its page describes: md5(appKey + body), upper case
    assertThat(PospalClient.signature(" key ", " {\"number\":\"1\",\"appId\":\"mylinl1\"} "))
        .isEqualTo(PospalClient.signature("key", "{\"number\":\"1\",\"appId\":\"mylinl1\"}"))
        .matches("[0-9A-F]{32}");
  }

  @Test
  void goldenTagsGoIntoTheRemarksAfterTheStaffsTextAndAreNotReadBackAsNews() throws Exception {
    pospal.add(612470307777855601L, "SZ0601", "邝美云", "13600000601").put("remarks", "喜欢抹茶");
    PospalWriteback sink = new PospalWriteback(client(PospalServer.APP_KEY));
    java.util.UUID golden = java.util.UUID.fromString("5a1c0e2d-7d4e-4d0a-9a51-3f1d2b7c0601");
    String before = readAll(source(PospalServer.APP_KEY, 300)).get("612470307777855601").toString();

    sink.write(new Writeback("612470307777855601", golden, List.of("高价值", "生日月")));

    assertThat(pospal.get(612470307777855601L).path("remarks").asString())
        .isEqualTo("喜欢抹茶 【会员标签：高价值,生日月】");
    // read again, the member is what it was: nothing to send to the hub
    assertThat(readAll(source(PospalServer.APP_KEY, 300)).get("612470307777855601").toString())
        .isEqualTo(before);

    // the same tags again change nothing; a change of Pospal's own (no tags) writes nothing
    int updates = pospal.updates.get();
    sink.write(new Writeback("612470307777855601", golden, List.of("高价值", "生日月")));
    sink.write(new Writeback("612470307777855601", golden, null));
    assertThat(pospal.updates.get()).isEqualTo(updates);

    // the cashier adds a note after the tags: it stays when the tags change
    pospal
        .add(612470307777855602L, "SZ0602", "邝美玲", "13600000602")
        .put("remarks", "喜欢抹茶 【会员标签：高价值】 周末来");
    sink.write(new Writeback("612470307777855602", golden, List.of("高价值", "储值客户")));
    assertThat(pospal.get(612470307777855602L).path("remarks").asString())
        .isEqualTo("喜欢抹茶 周末来 【会员标签：高价值,储值客户】");

    // the last tag removed: the staff's text is left as it was
    sink.write(new Writeback("612470307777855601", golden, List.of()));
    assertThat(pospal.get(612470307777855601L).path("remarks").asString()).isEqualTo("喜欢抹茶");
  }

  @Test
  void aWritebackPospalRefusesSaysWhy() throws Exception {
    PospalWriteback unknownMember = new PospalWriteback(client(PospalServer.APP_KEY));
    assertThatThrownBy(
            () ->
                unknownMember.write(
                    new Writeback("999", java.util.UUID.randomUUID(), List.of("高价值"))))
        .isInstanceOf(WritebackSink.Refused.class)
        .hasMessageContaining("writing back to Pospal failed")
        .hasMessageContaining("会员不存在");
    PospalWriteback wrongKey = new PospalWriteback(client("not-the-key"));
    assertThatThrownBy(
            () ->
                wrongKey.write(
                    new Writeback(
                        "612470307777855601", java.util.UUID.randomUUID(), List.of("高价值"))))
        .isInstanceOf(WritebackSink.Refused.class)
        .hasMessageContaining("Pospal refused the app-id or app-key");
  }

  private PospalClient client(String key) {
    return new PospalClient(instance(pospal.baseUrl(), key, 300), waits::add);
  }

  private PospalMembers source(String key, int quotaWaitSeconds) {
    return new PospalMembers(
        new PospalClient(instance(pospal.baseUrl(), key, quotaWaitSeconds), waits::add));
  }

  private static ConnectorInstance instance(String url, String key, int quotaWait) {
    return new ConnectorInstance(
        Path.of("pospal-gz.yaml"),
        "pospal-gz",
        "pospal",
        true,
        Duration.ofMinutes(5),
        null,
        List.of(),
        Map.of(
            "base-url", url,
            "app-id", PospalServer.APP_ID,
            "app-key", key,
            "quota-wait", quotaWait,
            "timeout", 5));
  }

  private static Map<String, Map<String, String>> readAll(PospalMembers source)
      throws SourceUnavailable {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    source.readAll(rows::put);
    return rows;
  }
}
