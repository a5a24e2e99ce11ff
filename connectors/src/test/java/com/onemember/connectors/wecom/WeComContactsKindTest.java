package com.onemember.connectors.wecom;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.ServingStaff;
import com.onemember.canonical.SourceRecord;
import com.onemember.canonical.Tag;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.StaffHandoverKind;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code wecom-contacts} kind against a local server that speaks WeCom's API and sends its
 * encrypted callbacks over a real socket: reads per staff member, departed staff, callbacks in safe
 * mode with their refusals, tag writeback and 离职继承.
 */
class WeComContactsKindTest {

  static final String CORP = "ww5c3e1a9b7d2f4068";
  static final String SECRET = "kF3v9QzR7pT2mL8xN4bW6cY1dH5jA0sE9uG3iO7kZ2q";
  static final String TOKEN = "LinTeaWeCom2026";
  static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

  private WeComServer wecom;
  private final WeComContactsKind kind = new WeComContactsKind();
  private Receiver receiver;

  @BeforeEach
  void start() throws IOException {
    wecom = new WeComServer(CORP, SECRET);
    wecom.setCallbackConfig(TOKEN, AES_KEY);
    wecom.addStaff("zhangwei", "张伟");
    wecom.addStaff("lina", "李娜");
    receiver = new Receiver(instance(Map.of()));
  }

  @AfterEach
  void stop() {
    receiver.close();
    wecom.close();
  }

  private ConnectorInstance instance(Map<String, Object> extra) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("corp-id", CORP);
    parameters.put("secret", SECRET);
    parameters.put("token", TOKEN);
    parameters.put("encoding-aes-key", AES_KEY);
    parameters.put("base-url", wecom.baseUrl());
    parameters.putAll(extra);
    return new ConnectorInstance(
        Path.of("wecom-lin-tea.yaml"),
        "wecom-lin-tea",
        "wecom-contacts",
        true,
        null,
        null,
        List.of(),
        parameters);
  }

  private Map<String, Map<String, String>> read(ConnectorInstance instance)
      throws SourceUnavailable {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    kind.source(instance).readAll(rows::put);
    return rows;
  }

  @Test
  void aReadGivesOneRowPerCustomerAndStaffMemberWithRemarkMobilesAndTagNames() throws Exception {
    WeComServer.CorpTag vip = wecom.addCorpTags("客户等级", "VIP", "普通").get(0);
    wecom.setUnionidBound(true);
    WeComServer.Follow chen =
        wecom.addContact(
            "zhangwei", "雨桐", "陈雨桐", List.of("13917284051"), "o6_bmasdasdsad6_2sgVt7hMZOPf");
    wecom.tagContact("zhangwei", chen.externalUserid(), vip.id());
    wecom.addExistingCustomer("lina", chen.externalUserid(), "陈姐", List.of());

    Map<String, Map<String, String>> rows = read(receiver.instance);

    assertThat(rows)
        .containsOnlyKeys(chen.externalUserid() + ":zhangwei", chen.externalUserid() + ":lina");
    Map<String, String> row = rows.get(chen.externalUserid() + ":zhangwei");
    assertThat(row)
        .containsEntry("remark", "陈雨桐")
        .containsEntry("name", "雨桐")
        .containsEntry("unionid", "o6_bmasdasdsad6_2sgVt7hMZOPf")
        .containsEntry("remark_mobiles", "[\"13917284051\"]")
        .containsEntry("tags", "[\"VIP\"]");
    SourceRecord record = kind.map("wecom-lin-tea", row);
    assertThat(record.sourceRecordId()).isEqualTo(chen.externalUserid() + ":zhangwei");
    assertThat(record.name()).isEqualTo("陈雨桐");
    assertThat(record.nickname()).isEqualTo("雨桐");
    assertThat(record.identifiers())
        .contains(
            new Identifier(IdentifierType.EXTERNAL_ID, chen.externalUserid(), "wecom-lin-tea"),
            new Identifier(IdentifierType.WECHAT_UNIONID, "o6_bmasdasdsad6_2sgVt7hMZOPf", null),
            new Identifier(IdentifierType.MOBILE, "13917284051", null));
    assertThat(record.tags()).containsExactly(new Tag("VIP", "wecom-lin-tea"));
    assertThat(record.servedBy())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.source()).isEqualTo("wecom-lin-tea");
              assertThat(s.staffId()).isEqualTo("zhangwei");
              assertThat(s.since()).isNotNull();
              assertThat(s.departedAt()).isNull();
            });
  }

  @Test
  void aReadPagesThroughManyCustomersAndLeavesTheHubsOwnTagsOut() throws Exception {
    List<WeComServer.Follow> made = wecom.generate(260, 7);
    WeComServer.CorpTag own = wecom.addCorpTags(WeComContactsKind.DEFAULT_TAG_GROUP, "高价值").get(0);
    wecom.tagContact(made.get(0).userid(), made.get(0).externalUserid(), own.id());

    Map<String, Map<String, String>> rows = read(receiver.instance);

    long pairs = wecom.follows("zhangwei").size() + wecom.follows("lina").size();
    assertThat(rows).hasSize((int) pairs);
    assertThat(pairs).isGreaterThan(WeComContacts.PAGE);
    assertThat(rows.get(made.get(0).externalUserid() + ":" + made.get(0).userid()))
        .containsEntry("tags", "[]");
  }

  @Test
  void aDepartedStaffMembersCustomersArePartialRowsNamingWhenTheyLeft() throws Exception {
    WeComServer.Follow wang = wecom.addContact("lina", "小王", "王芳", List.of("13671234567"), null);
    wecom.removeStaff("lina");

    Map<String, String> row = read(receiver.instance).get(wang.externalUserid() + ":lina");

    assertThat(row).containsOnlyKeys("external_userid", "userid", WeComContacts.DEPARTED_AT);
    assertThat(kind.source(receiver.instance).partial(row)).isTrue();
    ServingStaff staff = kind.map("wecom-lin-tea", row).servedBy().get(0);
    assertThat(staff.staffId()).isEqualTo("lina");
    assertThat(staff.departedAt()).isNotNull();
  }

  @Test
  void aWrongSecretIsTheConfigurationsToFix() {
    assertThatThrownBy(() -> read(instance(Map.of("secret", "not-the-secret"))))
        .isInstanceOfSatisfying(
            SourceUnavailable.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION);
              assertThat(e.getMessage()).contains("secret").contains("40001");
            });
  }

  @Test
  void anExpiredTokenIsAskedForAgainOnceAndTheReadGoesOn() throws Exception {
    wecom.addContact("zhangwei", "雨桐", "陈雨桐", List.of(), null);
    read(receiver.instance);
    wecom.expireTokens();
    assertThat(read(receiver.instance)).hasSize(1);
    assertThat(wecom.tokenRequests()).isEqualTo(2);
  }

  @Test
  void aRateLimitFailsTheReadAsTransient() {
    wecom.rateLimitNext(1);
    assertThatThrownBy(() -> read(receiver.instance))
        .isInstanceOfSatisfying(
            SourceUnavailable.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
  }

  // ---------------------------------------------------------------- callbacks

  @Test
  void theUrlCheckIsAnsweredWithTheDecryptedEchostrOnlyForTheRightToken() throws Exception {
    assertThat(wecom.verifyUrl(receiver.url()).passed()).isTrue();
    WeComServer.Verification wrong = wecom.verifyUrl(receiver.url(), "NotOurToken", AES_KEY);
    assertThat(wrong.passed()).isFalse();
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("接收事件服务器");
  }

  @Test
  void anAddedCustomerIsCompletedFromExternalcontactGet() throws Exception {
    WeComServer.CorpTag vip = wecom.addCorpTags("客户等级", "VIP").get(0);
    WeComServer.Follow zhao =
        wecom.addContact("zhangwei", "小赵", "赵敏", List.of("18612345678"), null);
    wecom.tagContact("zhangwei", zhao.externalUserid(), vip.id());

    WeComServer.Delivery delivery = wecom.sendAddExternalContact(receiver.url(), zhao);

    assertThat(delivery.counted()).isTrue();
    WebhookKind.Push push = receiver.taken.get(0).get(0);
    assertThat(push.key()).isEqualTo(zhao.externalUserid() + ":zhangwei");
    WebhookKind.Push resolved = kind.resolve(receiver.instance, push);
    assertThat(resolved.fields())
        .containsEntry("remark", "赵敏")
        .containsEntry("remark_mobiles", "[\"18612345678\"]")
        .containsEntry("tags", "[\"VIP\"]");
    assertThat(receiver.deliveryIds.get(0)).contains("add_external_contact");
  }

  @Test
  void aStaffMemberDeletingTheCustomerWithdrawsTheRelationshipAndTheCustomerDeletingStaffMarksIt()
      throws Exception {
    WeComServer.Follow zhao = wecom.addContact("zhangwei", "小赵", "赵敏", List.of(), null);
    wecom.customerDeletesStaff("zhangwei", zhao.externalUserid());
    wecom.sendDelFollowUser(receiver.url(), "zhangwei", zhao.externalUserid());
    wecom.deleteContact("zhangwei", zhao.externalUserid());
    wecom.sendDelExternalContact(receiver.url(), "zhangwei", zhao.externalUserid(), false);

    WebhookKind.Push marked = receiver.taken.get(0).get(0);
    assertThat(marked.deleted()).isFalse();
    assertThat(marked.fields().get("deleted_by_customer_at")).isNotNull();
    WebhookKind.Push deleted = receiver.taken.get(1).get(0);
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.key()).isEqualTo(zhao.externalUserid() + ":zhangwei");
  }

  @Test
  void aStaffMemberDeletedFromTheAddressBookAsksTheHubToReadNow() throws Exception {
    wecom.removeStaff("lina");
    assertThat(wecom.sendDeleteUser(receiver.url(), "lina").counted()).isTrue();
    assertThat(receiver.taken)
        .singleElement()
        .satisfies(
            pushes ->
                assertThat(pushes)
                    .singleElement()
                    .satisfies(
                        p -> assertThat(p.change()).isEqualTo(WebhookKind.Change.READ_AGAIN)));
  }

  @Test
  void aTamperedSignatureAStaleTimestampAnXxePayloadAndAnotherCorpsMessageAreRefused()
      throws Exception {
    // tampered: signed with another token
    WeComServer.Delivery tampered =
        wecom.callback(
            receiver.url(),
            "NotOurToken",
            AES_KEY,
            Map.of("Event", "change_external_contact", "ChangeType", "add_external_contact"));
    assertThat(tampered.status()).isEqualTo(401);
    // stale: a callback captured ten minutes ago and sent again
    String encrypt = WeComServer.encrypt(AES_KEY, CORP, "<xml><Event>x</Event></xml>");
    long tenMinutesAgo = Instant.now().minusSeconds(600).getEpochSecond();
    WeComServer.Delivery stale =
        wecom.sendRaw(
            receiver.url(),
            WeComServer.callbackQuery(TOKEN, tenMinutesAgo, "372549", encrypt),
            WeComServer.callbackHeaders(),
            WeComServer.envelope(CORP, encrypt, "1000002").getBytes(UTF_8));
    assertThat(stale.status()).isEqualTo(401);
    // an XXE payload inside a correctly signed and encrypted message
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<xml><Event>&x;</Event></xml>";
    String evil = WeComServer.encrypt(AES_KEY, CORP, xxe);
    WeComServer.Delivery entity =
        wecom.sendRaw(
            receiver.url(),
            WeComServer.callbackQuery(TOKEN, Instant.now().getEpochSecond(), "372549", evil),
            WeComServer.callbackHeaders(),
            WeComServer.envelope(CORP, evil, "1000002").getBytes(UTF_8));
    assertThat(entity.status()).isEqualTo(400);
    assertThat(entity.answer()).contains("DOCTYPE");
    // encrypted for another corporation
    String other = WeComServer.encrypt(AES_KEY, "wwOtherCorp0001", "<xml><Event>x</Event></xml>");
    WeComServer.Delivery foreign =
        wecom.sendRaw(
            receiver.url(),
            WeComServer.callbackQuery(TOKEN, Instant.now().getEpochSecond(), "372549", other),
            WeComServer.callbackHeaders(),
            WeComServer.envelope(CORP, other, "1000002").getBytes(UTF_8));
    assertThat(foreign.status()).isEqualTo(400);
    assertThat(foreign.answer()).contains("wwOtherCorp0001");
    assertThat(receiver.taken).isEmpty();
  }

  // ---------------------------------------------------------------- writeback and handover

  @Test
  void goldenTagsBecomeCorporateTagsOfTheHubsGroupAndLeaveStaffTagsAlone() throws Exception {
    WeComServer.CorpTag staffTag = wecom.addCorpTags("客户等级", "VIP").get(0);
    WeComServer.Follow chen = wecom.addContact("zhangwei", "雨桐", "陈雨桐", List.of(), null);
    wecom.tagContact("zhangwei", chen.externalUserid(), staffTag.id());
    String key = chen.externalUserid() + ":zhangwei";
    try (WritebackSink sink = kind.sink(receiver.instance).orElseThrow()) {
      sink.write(new Writeback(key, UUID.randomUUID(), List.of("高价值", "普洱爱好者")));
      sink.write(new Writeback(key, UUID.randomUUID(), List.of("高价值")));
      sink.write(new Writeback(key, UUID.randomUUID(), null)); // the link only: nothing to do
    }
    List<String> names =
        wecom.follow("zhangwei", chen.externalUserid()).tagIds().stream()
            .map(
                id ->
                    wecom.corpTags().stream()
                        .filter(t -> t.id().equals(id))
                        .findFirst()
                        .orElseThrow())
            .map(t -> t.groupName() + "/" + t.name())
            .toList();
    assertThat(names).containsExactlyInAnyOrder("客户等级/VIP", "OneMember/高价值");
  }

  @Test
  void aDepartedStaffMembersCustomersAreHandedOverAndRefusalsAreInWords() throws Exception {
    WeComServer.Follow wang = wecom.addContact("lina", "小王", "王芳", List.of(), null);
    wecom.addStaff("liuyang", "刘洋");

    assertThatThrownBy(
            () ->
                kind.handOver(receiver.instance, "lina", "liuyang", List.of(wang.externalUserid())))
        .isInstanceOfSatisfying(
            StaffHandoverKind.HandoverRefused.class,
            e -> assertThat(e.getMessage()).contains("lina").contains("离职"));

    wecom.removeStaff("lina");
    List<StaffHandoverKind.Handover> answers =
        kind.handOver(
            receiver.instance, "lina", "liuyang", List.of(wang.externalUserid(), "wmNoSuchOne"));
    assertThat(answers.get(0).started()).isTrue();
    assertThat(answers.get(1).started()).isFalse();
    assertThat(answers.get(1).reason()).contains("40096");
    assertThat(read(receiver.instance)).containsKey(wang.externalUserid() + ":liuyang");
  }

  /** What the hub's /hooks does with a request, with the kind, on a real socket. */
  private final class Receiver implements AutoCloseable {
    final HttpServer server;
    volatile ConnectorInstance instance;
    final List<List<WebhookKind.Push>> taken = new CopyOnWriteArrayList<>();
    final List<String> deliveryIds = new CopyOnWriteArrayList<>();

    Receiver(ConnectorInstance instance) throws IOException {
      this.instance = instance;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/hooks/wecom-lin-tea",
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
            int status;
            String answer;
            try {
              if (exchange.getRequestMethod().equals("GET")) {
                answer = kind.check(this.instance, query).orElseThrow();
              } else {
                HookRequest request = new HookRequest(Map.of(), body, query);
                kind.verify(this.instance, request);
                List<WebhookKind.Push> pushes = kind.read(this.instance, request);
                if (!pushes.isEmpty()) {
                  taken.add(pushes);
                  deliveryIds.add(kind.deliveryId(this.instance, request));
                }
                answer = kind.accepted().body();
              }
              status = 200;
            } catch (HookRefused e) {
              status = e.status();
              answer = e.getMessage();
            }
            byte[] bytes = answer.getBytes(UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
              exchange.getResponseBody().write(bytes);
            }
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/wecom-lin-tea";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
