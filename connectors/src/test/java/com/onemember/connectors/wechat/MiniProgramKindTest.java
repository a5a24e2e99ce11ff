package com.onemember.connectors.wechat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.RegistrationKind;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.WebhookKind;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code wechat-miniprogram} kind against the WeChat stand-in ({@link WeChatServer}): pushes as
 * WeChat sends them reach a receiver that does what the hub's {@code /hooks} does with the kind
 * (verify, read, delivery id, answer), and registrations exchange codes with the stand-in's API.
 */
class MiniProgramKindTest {

  private static final String APP = "wx5f2a09c3e1b7d846";
  private static final String OTHER_APP = "wx9c1e4b7a2d5f8036";
  private static final String SECRET = "3b9f1c7e5a2d8f4b6c0e9a1d7f3b5c2e";

  private final WeChatServer wechat = new WeChatServer();
  private final List<Duration> waits = new ArrayList<>();
  private final MiniProgramKind kind = new MiniProgramKind(Clock.systemUTC(), waits::add);
  private final Receiver receiver;
  private final WeChatServer.Person lin;

  MiniProgramKindTest() throws IOException {
    wechat.addApp(APP, SECRET);
    wechat.addApp(OTHER_APP, "0e7d4a1c9b3f6e2a8d5c1b7f4e0a3d9c");
    lin = wechat.addPerson("oZ9Fq5Lk2Wm8Rt4Yx7Bn3Vc6Hd1J", "13816620951", "林晓");
    receiver = new Receiver(instance(Map.of()));
  }

  @AfterEach
  void stop() {
    receiver.close();
    wechat.close();
  }

  private ConnectorInstance instance(Map<String, Object> extra) {
    WeChatServer.App app = wechat.app(APP);
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("app-id", APP);
    parameters.put("app-secret", SECRET);
    parameters.put("token", app.pushToken());
    parameters.put("encoding-aes-key", app.encodingAesKey());
    parameters.put("base-url", wechat.baseUrl());
    parameters.putAll(extra);
    parameters.values().removeIf(v -> v == null || "".equals(v));
    return new ConnectorInstance(
        Path.of("mp-lin-tea.yaml"),
        "mp-lin-tea",
        "wechat-miniprogram",
        true,
        null,
        null,
        List.of(),
        parameters);
  }

  /** What the hub's /hooks does with a request, with the kind, on a real socket. */
  private final class Receiver implements AutoCloseable {
    final HttpServer server;
    volatile ConnectorInstance instance;
    final List<Taken> taken = new CopyOnWriteArrayList<>();

    record Taken(List<WebhookKind.Push> pushes, String deliveryId) {}

    Receiver(ConnectorInstance instance) throws IOException {
      this.instance = instance;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/hooks/mp-lin-tea",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
              int eq = pair.indexOf('=');
              query.put(
                  URLDecoder.decode(pair.substring(0, eq), UTF_8),
                  URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
            int status = 200;
            String answer;
            try {
              if (exchange.getRequestMethod().equals("GET")) {
                answer = kind.check(this.instance, query).orElseThrow();
              } else {
                HookRequest request = new HookRequest(Map.of(), body, query);
                kind.verify(this.instance, request);
                taken.add(
                    new Taken(
                        kind.read(this.instance, request),
                        kind.deliveryId(this.instance, request)));
                answer = kind.accepted().body();
                status = kind.accepted().status();
              }
            } catch (HookRefused e) {
              status = e.status();
              answer = e.getMessage();
            }
            byte[] bytes = answer.getBytes(UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/mp-lin-tea";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void theAddressCheckAnswersTheEchostrOnlyToTheRightToken() throws Exception {
    assertThat(wechat.verifyUrl(receiver.url(), wechat.app(APP).pushToken()).passed()).isTrue();
    WeChatServer.Verification wrong = wechat.verifyUrl(receiver.url(), "NotTheToken42");
    assertThat(wrong.passed()).isFalse();
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("消息推送");
  }

  @Test
  void aMemberCardGotInSafeModeXmlOrJsonIsTheCardOfThePersonsOpenid() throws Exception {
    for (WeChatServer.Format format : WeChatServer.Format.values()) {
      WeChatServer.Delivery got =
          wechat.userGetCard(
              receiver.url(),
              APP,
              lin,
              "pFS7Fjg8kV1IdDz01r4SQwMkuCKc",
              "810245736219",
              WeChatServer.Mode.SAFE,
              format);
      assertThat(got.counted()).as(format + ": " + got.answer()).isTrue();
      assertThat(got.answer()).isEqualTo("success");
    }
    assertThat(receiver.taken).hasSize(2);
    for (Receiver.Taken taken : receiver.taken) {
      WebhookKind.Push push = taken.pushes().get(0);
      assertThat(push.key()).isEqualTo(lin.openid(APP));
      assertThat(push.fields())
          .containsEntry("card_code", "810245736219")
          .containsEntry("unionid", lin.unionid())
          .containsEntry("app_id", APP);
      SourceRecord record = kind.map("mp-lin-tea", push.fields());
      assertThat(record.identifiers())
          .contains(
              new Identifier(IdentifierType.WECHAT_OPENID, lin.openid(APP), APP),
              Identifier.of(IdentifierType.WECHAT_UNIONID, lin.unionid()),
              new Identifier(IdentifierType.MEMBER_CARD, "810245736219", "mp-lin-tea"));
    }
  }

  @Test
  void aDeletedCardClearsTheCodeAndKeepsThePersonOtherEventsKeepNothing() throws Exception {
    wechat.userDelCard(
        receiver.url(),
        APP,
        lin,
        "pFS7Fjg8kV1IdDz01r4SQwMkuCKc",
        "810245736219",
        WeChatServer.Mode.SAFE,
        WeChatServer.Format.XML);
    WebhookKind.Push deleted = receiver.taken.get(0).pushes().get(0);
    assertThat(deleted.deleted()).isFalse();
    assertThat(deleted.fields()).containsEntry("card_code", null).containsKey("card_deleted_at");

    WeChatServer.Delivery subscribe =
        wechat.push(
            receiver.url(),
            APP,
            WeChatServer.Mode.SAFE,
            WeChatServer.Format.JSON,
            Map.of("FromUserName", lin.openid(APP), "Event", "user_enter_tempsession"));
    assertThat(subscribe.counted()).isTrue();
    assertThat(receiver.taken.get(1).pushes()).isEmpty();
  }

  @Test
  void anActivationIsCompletedWithTheFormThePersonFilledAndAnUnknownCodeLeavesIt()
      throws Exception {
    WeChatServer.Card card = wechat.giveCard(APP, "pFS7Fjg8kV1IdDz01r4SQwMkuCKc", lin, 0);
    wechat.activate(
        card.code,
        Map.of(
            "USER_FORM_INFO_FLAG_NAME", "林晓",
            "USER_FORM_INFO_FLAG_MOBILE", "13816620952",
            "USER_FORM_INFO_FLAG_BIRTHDAY", "1994-10-02",
            "USER_FORM_INFO_FLAG_SEX", "女"));
    wechat.submitMemberCardUserInfo(
        receiver.url(),
        APP,
        lin,
        card.cardId,
        card.code,
        WeChatServer.Mode.SAFE,
        WeChatServer.Format.XML);
    WebhookKind.Push pushed = receiver.taken.get(0).pushes().get(0);
    // the push itself carries only the card: the form is asked for where the hub takes it
    assertThat(pushed.fields()).doesNotContainKey("name");
    WebhookKind.Push resolved = kind.resolve(instance(Map.of()), pushed);
    SourceRecord record = kind.map("mp-lin-tea", resolved.fields());
    assertThat(record.name()).isEqualTo("林晓");
    assertThat(record.birthday()).isEqualTo("1994-10-02");
    assertThat(record.gender()).isEqualTo("女");
    assertThat(record.identifiers())
        .contains(Identifier.of(IdentifierType.MOBILE, "13816620952"))
        .contains(new Identifier(IdentifierType.MEMBER_CARD, card.code, "mp-lin-tea"));

    // a code WeChat does not hold (given to a friend since): the push stays as it came
    Map<String, String> unknownCode = new java.util.HashMap<>(pushed.fields());
    unknownCode.put("card_code", "100000000001");
    WebhookKind.Push given = WebhookKind.Push.upsert(pushed.key(), unknownCode, pushed.raw());
    assertThat(kind.resolve(instance(Map.of()), given)).isSameAs(given);
    // any other push is not asked about
    WebhookKind.Push other = WebhookKind.Push.upsert("o1", Map.of("openid", "o1"), "{}");
    int calls = wechat.calls().size();
    assertThat(kind.resolve(instance(Map.of()), other)).isSameAs(other);
    assertThat(wechat.calls()).hasSize(calls);
  }

  @Test
  void aRepeatedEventHasTheSameDeliveryIdThoughEncryptedAnew() throws Exception {
    // WeChat sends the same event again (same CreateTime), encrypted with new random bytes
    Map<String, Object> event =
        Map.of(
            "CreateTime",
            Instant.now().getEpochSecond(),
            "FromUserName",
            lin.openid(APP),
            "Event",
            MiniProgramKind.SUBMIT_MEMBERCARD_USER_INFO,
            "CardId",
            "pFS7Fjg8kV1IdDz01r4SQwMkuCKc",
            "UserCardCode",
            "810245736219");
    WeChatServer.Delivery first =
        wechat.push(receiver.url(), APP, WeChatServer.Mode.SAFE, WeChatServer.Format.XML, event);
    WeChatServer.Delivery again =
        wechat.push(receiver.url(), APP, WeChatServer.Mode.SAFE, WeChatServer.Format.XML, event);
    assertThat(first.sent()).isNotEqualTo(again.sent());
    assertThat(first.plain()).isEqualTo(again.plain());
    String firstId = receiver.taken.get(0).deliveryId();
    assertThat(firstId).contains(lin.openid(APP)).contains("submit_membercard_user_info");
    assertThat(receiver.taken.get(1).deliveryId()).isEqualTo(firstId);
  }

  @Test
  void aTamperedSignatureAStaleTimestampAPlainPushAndAnXxePayloadAreRefused() throws Exception {
    WeChatServer.App app = wechat.app(APP);
    // signed with another token
    WeChatServer.Delivery forged =
        wechat.push(
            receiver.url(),
            APP,
            "AnotherToken9",
            app.encodingAesKey(),
            WeChatServer.Mode.SAFE,
            WeChatServer.Format.XML,
            Map.of("FromUserName", lin.openid(APP), "Event", MiniProgramKind.USER_GET_CARD));
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.answer()).contains("msg_signature");

    // encrypted with another key: the signature holds, the message cannot be read
    WeChatServer.Delivery otherKey =
        wechat.push(
            receiver.url(),
            APP,
            app.pushToken(),
            "B".repeat(43),
            WeChatServer.Mode.SAFE,
            WeChatServer.Format.XML,
            Map.of("FromUserName", lin.openid(APP), "Event", MiniProgramKind.USER_GET_CARD));
    assertThat(otherKey.status()).isEqualTo(400);
    assertThat(otherKey.answer()).contains("encoding-aes-key");

    // a plain push to a connector that has the key: its signature does not cover the body
    WeChatServer.Delivery plain =
        wechat.push(
            receiver.url(),
            APP,
            WeChatServer.Mode.PLAIN,
            WeChatServer.Format.XML,
            Map.of("FromUserName", lin.openid(APP), "Event", MiniProgramKind.USER_GET_CARD));
    assertThat(plain.status()).isEqualTo(401);
    assertThat(plain.answer()).contains("安全模式");

    // a push captured and played again ten minutes later
    long stale = Instant.now().minusSeconds(600).getEpochSecond();
    String xml =
        "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA["
            + lin.openid(APP)
            + "]]></FromUserName><CreateTime>"
            + stale
            + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[user_get_card]]>"
            + "</Event></xml>";
    String encrypt = WeChatServer.encrypt(app.encodingAesKey(), APP, xml);
    WeChatServer.Delivery replayed =
        wechat.sendRaw(
            receiver.url(),
            WeChatServer.pushQuery(app.pushToken(), stale, "1372623149", lin.openid(APP), encrypt),
            WeChatServer.pushHeaders(WeChatServer.Format.XML),
            WeChatServer.envelope(WeChatServer.Format.XML, "gh_1", encrypt));
    assertThat(replayed.status()).isEqualTo(401);
    assertThat(replayed.answer()).contains("away from the hub's clock");

    // an XXE payload, signed (the attacker knows the token): refused for its DOCTYPE
    long now = Instant.now().getEpochSecond();
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<xml><ToUserName>gh_1</ToUserName><Encrypt>&x;</Encrypt></xml>";
    Map<String, String> query = WeChatServer.pushQuery(app.pushToken(), now, "1", null, "&x;");
    WeChatServer.Delivery entity =
        wechat.sendRaw(
            receiver.url(), query, WeChatServer.pushHeaders(WeChatServer.Format.XML), xxe);
    assertThat(entity.status()).isEqualTo(400);
    assertThat(entity.answer()).contains("DOCTYPE");
    assertThat(receiver.taken).isEmpty();
  }

  @Test
  void withoutAKeyPlainPushesAreTakenOnTheirSignature() throws Exception {
    receiver.instance = instance(Map.of("encoding-aes-key", ""));
    WeChatServer.Delivery plain =
        wechat.userGetCard(
            receiver.url(),
            APP,
            lin,
            "pFS7Fjg8kV1IdDz01r4SQwMkuCKc",
            "810245736219",
            WeChatServer.Mode.PLAIN,
            WeChatServer.Format.JSON);
    assertThat(plain.counted()).as(plain.answer()).isTrue();
    assertThat(receiver.taken.get(0).pushes()).singleElement();
  }

  // ---------------------------------------------------------------- registrations

  @Test
  void aLoginCodeAndAPhoneCodeBecomeTheOpenidUnionidAndVerifiedPhone() throws Exception {
    RegistrationKind.Registration r =
        kind.register(
            instance(Map.of()),
            Map.of(
                "code",
                wechat.loginCode(APP, lin),
                "phoneCode",
                wechat.phoneCode(APP, lin),
                "nickname",
                "晓晓"));
    assertThat(r.answer())
        .containsEntry("openid", lin.openid(APP))
        .containsEntry("unionid", lin.unionid())
        .containsEntry("phone", "13816620951")
        .doesNotContainKey("session_key");
    assertThat(r.push().key()).isEqualTo(lin.openid(APP));
    assertThat(r.push().fields()).containsEntry("phone_verified", "true");
    assertThat(r.push().raw()).doesNotContain("session");
    SourceRecord record = kind.map("mp-lin-tea", r.push().fields());
    assertThat(record.nickname()).isEqualTo("晓晓");
    assertThat(record.name()).isNull();
    assertThat(record.identifiers())
        .contains(Identifier.verified(IdentifierType.MOBILE, "13816620951"));
    // one token for both: jscode2session needs none, getuserphonenumber one
    assertThat(wechat.tokenRequests()).isEqualTo(1);
  }

  @Test
  void idsTheBackEndHoldsAreTakenAsGivenAndBadRequestsSayWhy() throws Exception {
    RegistrationKind.Registration r =
        kind.register(
            instance(Map.of()),
            Map.of("openid", lin.openid(APP), "unionid", lin.unionid(), "phone", "13816620951"));
    assertThat(r.push().fields()).containsEntry("phone_verified", "false");
    assertThat(kind.map("mp-lin-tea", r.push().fields()).identifiers())
        .contains(Identifier.of(IdentifierType.MOBILE, "13816620951"));
    assertThat(wechat.calls()).isEmpty();

    assertRefused(Map.of(), 400, "no-person");
    assertRefused(Map.of("code", "0a1b", "openid", lin.openid(APP)), 400, "code-or-ids");
    assertRefused(Map.of("openid", "<script>"), 400, "invalid-openid");
    assertRefused(Map.of("openid", lin.openid(APP), "mobile", "1"), 400, "unknown-field");
  }

  @Test
  void anInvalidOrUsedCodeIsRefusedToTheCallerAndTheQuotaAsTooManyRequests() throws Exception {
    String code = wechat.loginCode(APP, lin);
    kind.register(instance(Map.of()), Map.of("code", code));
    RegistrationKind.RegistrationRefused used = assertRefused(Map.of("code", code), 400, "");
    assertThat(used.code()).isEqualTo("invalid-code");
    assertThat(used.getMessage()).contains("40163");
    assertThat(assertRefused(Map.of("code", "061Xyz0w3"), 400, "invalid-code").getMessage())
        .contains("40029");
    // a phone code of another app
    assertThat(
            assertRefused(
                    Map.of(
                        "openid", lin.openid(APP), "phoneCode", wechat.phoneCode(OTHER_APP, lin)),
                    400,
                    "invalid-code")
                .getMessage())
        .contains("phoneCode");

    wechat.rateLimitNext(1);
    RegistrationKind.RegistrationRefused quota =
        assertRefused(Map.of("code", wechat.loginCode(APP, lin)), 429, "wechat-rate-limit");
    assertThat(quota.retryAfter()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aReplacedOrExpiredTokenIsAskedForAgainOnceWeChatBusyIsTriedAgain() throws Exception {
    ConnectorInstance instance = instance(Map.of());
    kind.register(
        instance, Map.of("openid", lin.openid(APP), "phoneCode", wechat.phoneCode(APP, lin)));
    wechat.invalidateTokens();
    kind.register(
        instance, Map.of("openid", lin.openid(APP), "phoneCode", wechat.phoneCode(APP, lin)));
    wechat.expireTokens();
    kind.register(
        instance, Map.of("openid", lin.openid(APP), "phoneCode", wechat.phoneCode(APP, lin)));
    assertThat(wechat.tokenRequests()).isEqualTo(3);

    wechat.failNext(1);
    assertThat(kind.register(instance, Map.of("code", wechat.loginCode(APP, lin))).answer())
        .containsEntry("openid", lin.openid(APP));
    assertThat(waits).containsExactly(Duration.ofSeconds(1));
    wechat.failNext(2);
    assertThatThrownBy(() -> kind.register(instance, Map.of("code", wechat.loginCode(APP, lin))))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
  }

  @Test
  void aWrongSecretIsTheConnectorsConfigurationAndTheSecretIsNeverInTheWords() {
    ConnectorInstance wrong = instance(Map.of("app-secret", "f00dbabe" + "0".repeat(24)));
    assertThatThrownBy(() -> kind.register(wrong, Map.of("code", wechat.loginCode(APP, lin))))
        .isInstanceOfSatisfying(
            SourceUnavailable.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION);
              assertThat(e.getMessage()).contains("app-secret").doesNotContain("f00dbabe");
            });
  }

  private RegistrationKind.RegistrationRefused assertRefused(
      Map<String, String> request, int status, String code) {
    try {
      kind.register(instance(Map.of()), request);
    } catch (RegistrationKind.RegistrationRefused e) {
      assertThat(e.status()).isEqualTo(status);
      if (!code.isEmpty()) {
        assertThat(e.code()).isEqualTo(code);
      }
      return e;
    } catch (SourceUnavailable e) {
      throw new AssertionError("refused as unavailable: " + e.getMessage(), e);
    }
    throw new AssertionError("taken: " + request);
  }
}
