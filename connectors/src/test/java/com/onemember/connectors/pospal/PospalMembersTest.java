package com.onemember.connectors.pospal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.SourceUnavailable;
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
