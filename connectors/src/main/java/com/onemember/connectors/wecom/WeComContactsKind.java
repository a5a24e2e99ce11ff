package com.onemember.connectors.wecom;

import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.RowText;
import com.onemember.connectors.frame.Sleeper;
import com.onemember.connectors.frame.SnapshotKind;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.StaffHandoverKind;
import com.onemember.connectors.frame.Transport;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.connectors.frame.WritebackSink;
import com.onemember.connectors.wechat.PushMessages;
import com.onemember.connectors.wechat.WeChatCrypto;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code wecom-contacts} kind (企业微信 客户联系): the customers a corporation's staff keep as WeCom
 * external contacts, one record per customer and follow-up staff member (跟进员工), read on a schedule
 * ({@link WeComContacts}) and kept current by WeCom's {@code change_external_contact} callbacks at
 * {@code /hooks/<id>}:
 *
 * <ul>
 *   <li>{@code add_external_contact}, {@code edit_external_contact}: the relationship as {@code
 *       externalcontact/get} gives it now (asked where the hub takes the callback from its queue,
 *       not within WeCom's five seconds);
 *   <li>{@code del_external_contact} (the staff member deleted the customer): the relationship's
 *       record is withdrawn;
 *   <li>{@code del_follow_user} (the customer deleted the staff member): WeCom keeps the
 *       relationship in the staff member's list, so the record stays, marked with when;
 *   <li>a staff member deleted from the address book ({@code change_contact}/{@code delete_user}):
 *       the hub reads WeCom at once, which lists the departed staff member's customers among those
 *       awaiting a transfer; tag changes change no record by themselves (each read names tags
 *       afresh).
 * </ul>
 *
 * <p>Callbacks are always encrypted: {@code msg_signature} is the SHA-1 of the sorted token,
 * timestamp, nonce and encrypted message, the timestamp must be within {@code max-skew} seconds of
 * the hub's clock, and the message must be meant for the connector's corp id. The URL check (a GET
 * whose {@code echostr} is encrypted) is answered with the decrypted echostr.
 *
 * <p>The departed staff member's customers are handed to another through 离职继承 ({@link #handOver},
 * {@code resigned/transfer_customer}); golden tags are written back as corporate tags of the hub's
 * group ({@link WeComTags}).
 */
public final class WeComContactsKind implements SnapshotKind, WebhookKind, StaffHandoverKind {

  static final String CHANGE_EXTERNAL_CONTACT = "change_external_contact";

  /** The tag group the hub's tags are written to when the instance names none. */
  static final String DEFAULT_TAG_GROUP = "OneMember";

  /** The most customers one resigned/transfer_customer takes. */
  static final int TRANSFER_BATCH = 100;

  private final Clock clock;
  private final Sleeper sleeper;

  /** One API client per connector and credentials, so the access token is shared by its calls. */
  private final Map<String, WeComApi> apis = new ConcurrentHashMap<>();

  public WeComContactsKind() {
    this(Clock.systemUTC(), Sleeper.REAL);
  }

  WeComContactsKind(Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
  }

  @Override
  public String name() {
    return "wecom-contacts";
  }

  @Override
  public Transport transport() {
    return Transport.HTTP_PAGES;
  }

  @Override
  public String parametersSchema() {
    return "connectors/wecom-contacts/parameters.schema.json";
  }

  @Override
  public SnapshotSource source(ConnectorInstance instance) {
    return new WeComContacts(api(instance), tagGroup(instance));
  }

  @Override
  public SourceRecord map(String source, Map<String, String> document) {
    return WeComContacts.record(source, document);
  }

  // ---------------------------------------------------------------- callbacks

  @Override
  public Optional<String> check(ConnectorInstance instance, Map<String, String> query)
      throws HookRefused {
    String echostr = query.get("echostr");
    if (echostr == null) {
      throw new HookRefused(400, "校验请求缺少 echostr / the address check carries no echostr parameter");
    }
    signed(instance, query, echostr);
    return Optional.of(decrypt(instance, echostr));
  }

  @Override
  public void verify(ConnectorInstance instance, HookRequest request) throws HookRefused {
    String encrypt = PushMessages.read(request.body()).get("Encrypt");
    if (encrypt == null) {
      throw new HookRefused(400, "企业微信的回调缺少 Encrypt / the WeCom callback carries no Encrypt field");
    }
    signed(instance, request.query(), encrypt);
  }

  /** The query's msg_signature over token, timestamp, nonce and the encrypted part, and fresh. */
  private void signed(ConnectorInstance instance, Map<String, String> query, String encrypted)
      throws HookRefused {
    WeChatCrypto.fresh(query, instance.number("max-skew", 300), clock);
    if (!WeChatCrypto.signed(
        query.get("msg_signature"),
        instance.text("token"),
        query.get("timestamp"),
        query.get("nonce"),
        encrypted)) {
      throw new HookRefused(
          401,
          "msg_signature 不符，请检查连接器的 token 与企业微信「接收事件服务器」的 Token 是否一致 / the"
              + " msg_signature does not hold: the connector's token must be the Token set for the"
              + " app's callback (接收事件服务器) in WeCom's admin console");
    }
  }

  private static String decrypt(ConnectorInstance instance, String encrypted) throws HookRefused {
    try {
      return new WeChatCrypto(instance.text("encoding-aes-key"), instance.text("corp-id"))
          .decrypt(encrypted);
    } catch (IllegalArgumentException e) {
      throw new HookRefused(400, e.getMessage());
    }
  }

  /** The callback's event, decrypted. */
  private static Map<String, String> event(ConnectorInstance instance, HookRequest request)
      throws HookRefused {
    String encrypt = PushMessages.read(request.body()).get("Encrypt");
    if (encrypt == null) {
      throw new HookRefused(400, "企业微信的回调缺少 Encrypt / the WeCom callback carries no Encrypt field");
    }
    return PushMessages.read(decrypt(instance, encrypt).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public List<Push> read(ConnectorInstance instance, HookRequest request) throws HookRefused {
    Map<String, String> event = event(instance, request);
    if ("change_contact".equals(event.get("Event"))
        && "delete_user".equals(event.get("ChangeType"))) {
      // a staff member left: their customers are now listed as awaiting a transfer
      return List.of(Push.readAgain(JsonDocuments.JSON.writeValueAsString(event)));
    }
    if (!CHANGE_EXTERNAL_CONTACT.equals(event.get("Event"))) {
      return List.of();
    }
    String userid = RowText.text(event.get("UserID"));
    String external = RowText.text(event.get("ExternalUserID"));
    String change = event.getOrDefault("ChangeType", "");
    if (userid == null || external == null) {
      return List.of();
    }
    String key = WeComContacts.key(external, userid);
    String raw = JsonDocuments.JSON.writeValueAsString(event);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("external_userid", external);
    fields.put("userid", userid);
    return switch (change) {
      case "add_external_contact", "edit_external_contact" -> {
        // no longer the customer who deleted the staff member, if they had
        fields.put("deleted_by_customer_at", null);
        yield List.of(Push.upsert(key, fields, raw));
      }
      case "del_external_contact" -> List.of(Push.deletion(key, raw));
      case "del_follow_user" -> {
        fields.put("deleted_by_customer_at", time(event.get("CreateTime")));
        yield List.of(Push.upsert(key, fields, raw));
      }
      default -> List.of(); // transfer_fail: the next read shows where the customer is
    };
  }

  /**
   * An added or edited relationship completed from {@code externalcontact/get}: the callback names
   * only who. A relationship gone meanwhile leaves the push as it came.
   */
  @Override
  public Push resolve(ConnectorInstance instance, Push push) throws SourceUnavailable {
    Map<String, String> fields = push.fields();
    String external = fields.get("external_userid");
    String userid = fields.get("userid");
    if (external == null || userid == null) {
      return push;
    }
    JsonNode contact =
        api(instance)
            .get(
                "externalcontact/get",
                "external_userid=" + WeComApi.encode(external),
                Set.of(84061L, 40096L));
    if (contact.path("errcode").asLong(0) != 0) {
      return push;
    }
    WeComContacts source = (WeComContacts) source(instance);
    for (JsonNode follow : contact.path("follow_user")) {
      if (userid.equals(follow.path("userid").asString(""))) {
        Map<String, String> completed =
            new LinkedHashMap<>(source.row(contact.path("external_contact"), follow, Map.of()));
        // fields the row leaves out when WeCom gives none are cleared, not kept from before
        for (String field : List.of("unionid", "remark", "description", "state", "corp_name")) {
          completed.putIfAbsent(field, null);
        }
        fields.forEach(completed::putIfAbsent);
        completed.put(WeComContacts.DEPARTED_AT, null);
        return new Push(push.key(), completed, push.change(), push.raw());
      }
    }
    return push;
  }

  /** WeCom's CreateTime (Unix seconds) as an ISO instant; the text itself if it is none. */
  private static String time(String seconds) {
    if (seconds == null || !seconds.strip().matches("\\d{1,12}")) {
      return seconds;
    }
    return Instant.ofEpochSecond(Long.parseLong(seconds.strip())).toString();
  }

  /** A callback sent again (WeCom retries three times) is told by its time and what it says. */
  @Override
  public String deliveryId(ConnectorInstance instance, HookRequest request) {
    Map<String, String> event;
    try {
      event = event(instance, request);
    } catch (HookRefused e) {
      return null;
    }
    String created = event.get("CreateTime");
    if (created == null) {
      return null;
    }
    return String.join(
        ":",
        created.strip(),
        event.getOrDefault("Event", ""),
        event.getOrDefault("ChangeType", ""),
        event.getOrDefault("UserID", ""),
        event.getOrDefault("ExternalUserID", ""));
  }

  /** WeCom counts any HTTP 200 as received; an empty passive reply is what its docs allow. */
  @Override
  public Accepted accepted() {
    return Accepted.text(200, "");
  }

  // ---------------------------------------------------------------- handovers and tags

  @Override
  public List<Handover> handOver(
      ConnectorInstance instance, String from, String to, List<String> customers)
      throws HandoverRefused, SourceUnavailable {
    List<Handover> answers = new ArrayList<>();
    for (int i = 0; i < customers.size(); i += TRANSFER_BATCH) {
      List<String> batch = customers.subList(i, Math.min(customers.size(), i + TRANSFER_BATCH));
      ObjectNode request = JsonDocuments.JSON.createObjectNode();
      request.put("handover_userid", from);
      request.put("takeover_userid", to);
      batch.forEach(request.putArray("external_userid")::add);
      JsonNode answer =
          api(instance)
              .post(
                  "externalcontact/resigned/transfer_customer",
                  request,
                  Set.of(40097L, 60111L, 40130L));
      long code = answer.path("errcode").asLong(0);
      if (code != 0) {
        throw refusedHandover(code, from, to, answer.path("errmsg").asString(""));
      }
      for (JsonNode result : answer.path("customer")) {
        long each = result.path("errcode").asLong(0);
        answers.add(
            new Handover(
                result.path("external_userid").asString(""),
                each == 0,
                Long.toString(each),
                each == 0 ? null : customerRefusal(each)));
      }
    }
    return answers;
  }

  @Override
  public String recordKey(String customer, String staffId) {
    return WeComContacts.key(customer, staffId);
  }

  private static HandoverRefused refusedHandover(long code, String from, String to, String said) {
    String words =
        code == 40097
            ? from
                + " 尚未离职，在职成员的客户不能按离职继承转交 / "
                + from
                + " has not left the company:"
                + " 离职继承 hands over only the customers of staff who left"
            : code == 40130
                ? "原跟进人与接替人相同 / the staff member who left and the one taking over are the same"
                : "企业微信不认识成员 "
                    + (code == 60111 ? from + " 或 " + to : "")
                    + " / WeCom does not know staff member "
                    + from
                    + " or "
                    + to
                    + " (the one taking over must be employed): "
                    + said;
    return new HandoverRefused("wecom-" + code, words);
  }

  /** WeCom's per-customer refusal in words. */
  private static String customerRefusal(long code) {
    return switch ((int) code) {
      case 40096 -> "企业微信不认识该客户 / WeCom does not know the customer (40096)";
      case 84061 -> "该客户不是原跟进人的客户 / the customer is not the departed staff member's (84061)";
      case 40100 -> "该客户正在转接中 / the customer's transfer is under way already (40100)";
      case 84074 ->
          "接替成员的客户数已达上限 / the staff member taking over has reached WeCom's customer limit"
              + " (84074)";
      default ->
          "企业微信拒绝转交该客户（" + code + "）/ WeCom refused to hand over the customer (" + code + ")";
    };
  }

  @Override
  public Optional<WritebackSink> sink(ConnectorInstance instance) {
    if (Boolean.FALSE.equals(instance.parameters().get("writeback"))) {
      return Optional.empty();
    }
    return Optional.of(new WeComTags(api(instance), tagGroup(instance)));
  }

  private static String tagGroup(ConnectorInstance instance) {
    String group = instance.text("tag-group");
    return group == null ? DEFAULT_TAG_GROUP : group;
  }

  WeComApi api(ConnectorInstance instance) {
    String base = instance.text("base-url");
    String corpId = instance.text("corp-id");
    String secret = instance.text("secret");
    Duration timeout = Duration.ofSeconds(instance.number("timeout", 10));
    // a changed secret or address makes a new client: an edited instance file takes effect
    String key =
        instance.id() + "\n" + corpId + "\n" + secret.hashCode() + "\n" + base + "\n" + timeout;
    return apis.computeIfAbsent(
        key,
        k ->
            new WeComApi(
                base == null ? "https://qyapi.weixin.qq.com" : base,
                corpId,
                secret,
                timeout,
                sleeper,
                clock));
  }
}
