package com.onemember.connectors.wechat;

import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.Identifiers;
import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.RegistrationKind;
import com.onemember.connectors.frame.RowText;
import com.onemember.connectors.frame.Sleeper;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.WritebackSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code wechat-miniprogram} kind (微信小程序): one mini-program's members, keyed by their openid in
 * that app. They arrive two ways:
 *
 * <ul>
 *   <li>The mini-program's back end registers a person at {@code POST
 *       /api/v1/connectors/<id>/members} when they register or log in ({@link #register}): with the
 *       login code of {@code wx.login} (the hub asks {@code jscode2session} for the openid and, for
 *       an app bound to the brand's open platform account, the unionid) and the phone code of the
 *       phone button (the hub asks {@code getuserphonenumber} for the verified phone); or with the
 *       ids and phone its back end already holds.
 *   <li>WeChat pushes the app's events to {@code /hooks/<id>} (消息推送): the member-card events {@code
 *       user_get_card}, {@code submit_membercard_user_info} and {@code user_del_card} change the
 *       person's card; other events are answered and not kept.
 * </ul>
 *
 * <p>Every push is checked as WeChat signs it: the SHA-1 of the sorted token, timestamp and nonce
 * (and, in safe mode, the encrypted message as {@code msg_signature}), with the timestamp within
 * {@code max-skew} seconds of the hub's clock, so a captured push cannot be played again later. In
 * plain mode the signature does not cover the body, so once {@code encoding-aes-key} is set only
 * safe-mode pushes are taken. WeChat waits 5 s for {@code success} and sends a push again (three
 * times) when it did not get it: the hub answers once the push is on its queue, and takes a message
 * once by its MsgId, or for an event by sender, time and event.
 *
 * <p>An openid is only unique within its app, so it is an identifier scoped to the app id; the
 * unionid is one per person across the brand's apps, and is what joins two mini-programs' records
 * of one person. A nickname is kept as the record's nickname, never as its name: since 2021 WeChat
 * gives every user "微信用户" unless they type one.
 */
public final class MiniProgramKind implements RegistrationKind {

  /** The app's member-card events this kind keeps. */
  static final String USER_GET_CARD = "user_get_card";

  static final String USER_DEL_CARD = "user_del_card";
  static final String SUBMIT_MEMBERCARD_USER_INFO = "submit_membercard_user_info";

  /** An openid or unionid as WeChat issues them: 28 characters, here up to 64 of its alphabet. */
  private static final Pattern WECHAT_ID = Pattern.compile("[A-Za-z0-9_-]{6,64}");

  /** What the request fields of a registration may be. */
  private static final List<String> REGISTRATION_FIELDS =
      List.of("code", "phoneCode", "openid", "unionid", "phone", "nickname");

  private final Clock clock;
  private final Sleeper sleeper;

  /** One API client per connector and credentials, so the access token is shared by its calls. */
  private final Map<String, WeChatApi> apis = new ConcurrentHashMap<>();

  public MiniProgramKind() {
    this(Clock.systemUTC(), Sleeper.REAL);
  }

  MiniProgramKind(Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
  }

  @Override
  public String name() {
    return "wechat-miniprogram";
  }

  @Override
  public String parametersSchema() {
    return "connectors/wechat-miniprogram/parameters.schema.json";
  }

  // ---------------------------------------------------------------- pushes

  @Override
  public Optional<String> check(ConnectorInstance instance, Map<String, String> query)
      throws HookRefused {
    String echostr = query.get("echostr");
    if (echostr == null) {
      throw new HookRefused(400, "校验请求缺少 echostr / the address check carries no echostr parameter");
    }
    fresh(instance, query);
    if (!WeChatCrypto.signed(
        query.get("signature"), token(instance), query.get("timestamp"), query.get("nonce"))) {
      throw new HookRefused(
          401,
          "签名不符，请检查连接器的 token 与小程序后台「消息推送」中的 Token 是否一致 / the signature does"
              + " not hold: the connector's token must be the Token set under 消息推送 in the"
              + " mini-program's console");
    }
    return Optional.of(echostr);
  }

  @Override
  public void verify(ConnectorInstance instance, HookRequest request) throws HookRefused {
    Map<String, String> query = request.query();
    fresh(instance, query);
    String token = token(instance);
    if ("aes".equalsIgnoreCase(query.get("encrypt_type"))) {
      String encrypt = PushMessages.read(request.body()).get("Encrypt");
      if (encrypt == null) {
        throw new HookRefused(400, "安全模式的推送缺少 Encrypt / a safe-mode push carries no Encrypt field");
      }
      if (!WeChatCrypto.signed(
          query.get("msg_signature"), token, query.get("timestamp"), query.get("nonce"), encrypt)) {
        throw new HookRefused(
            401,
            "msg_signature 不符，请检查 token / the msg_signature does not hold: check the"
                + " connector's token against the mini-program's 消息推送 Token");
      }
      return;
    }
    if (instance.text("encoding-aes-key") != null) {
      throw new HookRefused(
          401,
          "连接器设置了 encoding-aes-key，只接收安全模式的推送；明文模式的签名不覆盖内容 / the connector"
              + " has an encoding-aes-key and takes safe-mode pushes only: a plain push's signature"
              + " does not cover its body. Set 消息加密方式 to 安全模式, or remove the key");
    }
    if (!WeChatCrypto.signed(
        query.get("signature"), token, query.get("timestamp"), query.get("nonce"))) {
      throw new HookRefused(
          401,
          "签名不符，请检查 token / the signature does not hold: check the connector's token against"
              + " the mini-program's 消息推送 Token");
    }
  }

  /** The query's timestamp, within {@code max-skew} seconds of the hub's clock. */
  private void fresh(ConnectorInstance instance, Map<String, String> query) throws HookRefused {
    WeChatCrypto.fresh(query, instance.number("max-skew", 300), clock);
  }

  /** The push's message, decrypted in safe mode. */
  private Map<String, String> message(ConnectorInstance instance, HookRequest request)
      throws HookRefused {
    Map<String, String> fields = PushMessages.read(request.body());
    String encrypt = fields.get("Encrypt");
    if (encrypt == null) {
      return fields;
    }
    String key = instance.text("encoding-aes-key");
    if (key == null) {
      throw new HookRefused(
          400,
          "收到安全模式的推送，但连接器没有设置 encoding-aes-key / a safe-mode push arrived, but the"
              + " connector has no encoding-aes-key to decrypt it");
    }
    String plain;
    try {
      plain = new WeChatCrypto(key, instance.text("app-id")).decrypt(encrypt);
    } catch (IllegalArgumentException e) {
      throw new HookRefused(400, e.getMessage());
    }
    return PushMessages.read(plain.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public List<Push> read(ConnectorInstance instance, HookRequest request) throws HookRefused {
    Map<String, String> message = message(instance, request);
    if (!"event".equals(message.get("MsgType"))) {
      return List.of(); // a person's chat message to the app: nothing of a member's
    }
    String event = message.get("Event");
    if (event == null
        || !List.of(USER_GET_CARD, SUBMIT_MEMBERCARD_USER_INFO, USER_DEL_CARD).contains(event)) {
      return List.of();
    }
    String openid = RowText.text(message.get("FromUserName"));
    String raw = JsonDocuments.JSON.writeValueAsString(message);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("openid", openid);
    fields.put("app_id", instance.text("app-id"));
    String at = time(message.get("CreateTime"));
    switch (event) {
      case USER_GET_CARD -> {
        fields.put("card_id", message.get("CardId"));
        fields.put("card_code", message.get("UserCardCode"));
        fields.put("card_got_at", at);
        fields.put("card_deleted_at", null);
        String channel = RowText.text(message.get("OuterStr"));
        if (channel != null) {
          fields.put("card_channel", channel);
        }
        String unionid = RowText.text(message.get("UnionId"));
        if (unionid != null) {
          fields.put("unionid", unionid);
        }
      }
      case SUBMIT_MEMBERCARD_USER_INFO -> {
        fields.put("card_id", message.get("CardId"));
        fields.put("card_code", message.get("UserCardCode"));
        fields.put("card_activated_at", at);
      }
      default -> {
        // the person deleted the card: they are still the app's user, so the record stays
        fields.put("card_code", null);
        fields.put("card_deleted_at", at);
      }
    }
    return List.of(Push.upsert(openid, fields, raw));
  }

  /**
   * A card activation ({@code submit_membercard_user_info}) completed with the form the person
   * filled (开卡组件), which the push does not carry: {@code /card/membercard/userinfo/get} gives its
   * name, mobile, birthday and sex. Asked where the hub takes the push from its queue, so WeChat's
   * five seconds are not spent on it. A card gone meanwhile leaves the push as it came.
   */
  @Override
  public Push resolve(ConnectorInstance instance, Push push) throws SourceUnavailable {
    Map<String, String> fields = push.fields();
    String cardId = fields.get("card_id");
    String code = fields.get("card_code");
    if (!fields.containsKey("card_activated_at") || cardId == null || code == null) {
      return push;
    }
    ObjectNode which = JsonDocuments.JSON.createObjectNode();
    which.put("card_id", cardId);
    which.put("code", code);
    JsonNode held;
    try {
      held =
          api(instance)
              .post("userinfo/get", "/card/membercard/userinfo/get", which, MemberCards.GONE);
    } catch (RegistrationRefused e) {
      throw new SourceUnavailable(FailureKind.TRANSIENT, e.getMessage(), null);
    }
    if (held.path("errcode").asLong(0) != 0) {
      return push;
    }
    Map<String, String> completed = new LinkedHashMap<>(fields);
    for (JsonNode field : held.path("user_info").path("common_field_list")) {
      String value = RowText.text(JsonDocuments.text(field.path("value")));
      if (value == null) {
        continue;
      }
      switch (field.path("name").asString("")) {
        case "USER_FORM_INFO_FLAG_NAME" -> completed.put("name", value);
        case "USER_FORM_INFO_FLAG_MOBILE" -> completed.put("card_mobile", value);
        case "USER_FORM_INFO_FLAG_BIRTHDAY" -> completed.put("birthday", value);
        case "USER_FORM_INFO_FLAG_SEX" -> completed.put("gender", value);
        default -> {}
      }
    }
    return new Push(push.key(), completed, push.change(), push.raw());
  }

  /** WeChat's CreateTime (Unix seconds) as an ISO instant; the text itself if it is none. */
  private static String time(String seconds) {
    if (seconds == null || !seconds.strip().matches("\\d{1,12}")) {
      return seconds;
    }
    return Instant.ofEpochSecond(Long.parseLong(seconds.strip())).toString();
  }

  /**
   * A message's own id ({@code MsgId}), or for an event, which has none, its sender, time and
   * event, as WeChat's docs advise for telling a repeated push.
   */
  @Override
  public String deliveryId(ConnectorInstance instance, HookRequest request) {
    Map<String, String> message;
    try {
      message = message(instance, request);
    } catch (HookRefused e) {
      return null;
    }
    String msgId = RowText.text(message.get("MsgId"));
    if (msgId != null) {
      return "msg:" + msgId;
    }
    String from = message.get("FromUserName");
    String created = message.get("CreateTime");
    if (from == null || created == null) {
      return null;
    }
    return from + ":" + created.strip() + ":" + message.getOrDefault("Event", "");
  }

  /**
   * WeChat takes exactly {@code success} (or nothing) for a receipt; a JSON would be sent again.
   */
  @Override
  public Accepted accepted() {
    return Accepted.text(200, "success");
  }

  // ---------------------------------------------------------------- registrations

  @Override
  public Registration register(ConnectorInstance instance, Map<String, String> request)
      throws RegistrationRefused, SourceUnavailable {
    for (String name : request.keySet()) {
      if (!REGISTRATION_FIELDS.contains(name)) {
        throw refused(
            "unknown-field",
            "不认识的字段 " + name + "，可用：" + REGISTRATION_FIELDS,
            "unknown field " + name + "; the fields are " + REGISTRATION_FIELDS);
      }
    }
    String code = RowText.text(request.get("code"));
    String openid = RowText.text(request.get("openid"));
    String unionid = RowText.text(request.get("unionid"));
    if (code != null && (openid != null || unionid != null)) {
      throw refused(
          "code-or-ids",
          "请只传 code，或只传 openid/unionid，不要同时传",
          "give either code, or openid (with unionid), not both: the code stands for the ids");
    }
    if (code == null && openid == null) {
      throw refused(
          "no-person",
          "需要 code（wx.login 取得）或 openid",
          "a registration needs code (from wx.login) or the openid the back end holds");
    }
    wechatId("openid", openid);
    wechatId("unionid", unionid);
    String phoneCode = RowText.text(request.get("phoneCode"));
    String phone = RowText.text(request.get("phone"));
    if (phoneCode != null && phone != null) {
      throw refused(
          "phone-or-code",
          "请只传 phoneCode 或 phone 之一",
          "give either phoneCode or phone, not both: the code stands for the verified phone");
    }
    WeChatApi api = code == null && phoneCode == null ? null : api(instance);
    if (code != null) {
      WeChatApi.Session session = api.session(code);
      openid = session.openid();
      unionid = session.unionid();
    }
    if (phoneCode != null) {
      phone = api.phone(phoneCode);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("openid", openid);
    fields.put("app_id", instance.text("app-id"));
    // only what this request says: a later login without a phone keeps the one given before
    if (unionid != null) {
      fields.put("unionid", unionid);
    }
    if (phone != null) {
      fields.put("phone", phone);
      fields.put("phone_verified", Boolean.toString(phoneCode != null));
    }
    String nickname = RowText.text(request.get("nickname"));
    if (nickname != null) {
      fields.put("nickname", nickname);
    }
    fields.put("registered_at", clock.instant().toString());
    Map<String, String> answer = new LinkedHashMap<>();
    answer.put("openid", openid);
    if (unionid != null) {
      answer.put("unionid", unionid);
    }
    if (phone != null) {
      answer.put("phone", phone);
    }
    // the raw push names no code: a code is spent, and showing it helps no one
    Map<String, String> raw = new TreeMap<>(fields);
    return new Registration(Push.upsert(openid, fields, raw.toString()), answer);
  }

  /** A WeChat id the caller gave, if any, refused when it cannot be one. */
  private static void wechatId(String name, String value) throws RegistrationRefused {
    if (value != null && !WECHAT_ID.matcher(value).matches()) {
      throw refused(
          "invalid-" + name,
          name + " 不是微信的 id",
          name + " is not a WeChat id (6 to 64 letters, digits, - and _)");
    }
  }

  private static RegistrationRefused refused(String code, String chinese, String english) {
    return new RegistrationRefused(400, code, chinese + " / " + english, null);
  }

  /** The member-card writeback, when the instance names its card and does not turn it off. */
  @Override
  public Optional<WritebackSink> sink(ConnectorInstance instance) {
    String cardId = instance.text("card-id");
    if (cardId == null || Boolean.FALSE.equals(instance.parameters().get("writeback"))) {
      return Optional.empty();
    }
    List<MemberCards.Level> levels = new ArrayList<>();
    Object given = instance.parameters().get("card-levels");
    if (given instanceof List<?> list) {
      for (Object entry : list) {
        Map<?, ?> level = (Map<?, ?>) entry;
        Object bonus = level.get("bonus");
        levels.add(
            new MemberCards.Level(
                String.valueOf(level.get("tag")),
                String.valueOf(level.get("level")),
                bonus == null ? 0 : ((Number) bonus).intValue()));
      }
    }
    String defaultLevel = instance.text("card-default-level");
    return Optional.of(
        new MemberCards(api(instance), cardId, levels, defaultLevel == null ? "会员" : defaultLevel));
  }

  private WeChatApi api(ConnectorInstance instance) {
    String base = instance.text("base-url");
    String appId = instance.text("app-id");
    String secret = instance.text("app-secret");
    Duration timeout = Duration.ofSeconds(instance.number("timeout", 10));
    // a changed secret or address makes a new client: an edited instance file takes effect
    String key =
        instance.id() + "\n" + appId + "\n" + secret.hashCode() + "\n" + base + "\n" + timeout;
    return apis.computeIfAbsent(
        key,
        k ->
            new WeChatApi(
                base == null ? "https://api.weixin.qq.com" : base,
                appId,
                secret,
                timeout,
                sleeper,
                clock));
  }

  private static String token(ConnectorInstance instance) {
    return instance.text("token");
  }

  // ---------------------------------------------------------------- records

  /**
   * The record of a person's document: the openid (scoped to the app id), the unionid, the phone
   * (verified when WeChat gave it for a phone code), the member card's code and the mobile of its
   * activation form as identifiers; the form's name, birthday and sex; the nickname as nickname.
   */
  @Override
  public SourceRecord map(String source, Map<String, String> document) {
    String openid = SourceTable.rowKey(document, "openid");
    String app = RowText.text(document.get("app_id"));
    Identifiers ids =
        new Identifiers(source, openid, document.get("card_code"))
            .addScoped(IdentifierType.WECHAT_OPENID, openid, app == null ? source : app)
            .add(IdentifierType.WECHAT_UNIONID, document.get("unionid"));
    if ("true".equals(document.get("phone_verified"))) {
      // WeChat gave it for a phone code: the number the account confirmed by SMS
      ids.addVerified(IdentifierType.MOBILE, document.get("phone"));
    } else {
      ids.add(IdentifierType.MOBILE, document.get("phone"));
    }
    // typed into the card's activation form, not verified by WeChat
    ids.add(IdentifierType.MOBILE, document.get("card_mobile"));
    String gender =
        switch (String.valueOf(document.get("gender"))) {
          case "男", "MALE" -> "男";
          case "女", "FEMALE" -> "女";
          default -> null;
        };
    return new SourceRecord(
        source,
        openid,
        null,
        RowText.text(document.get("name")),
        RowText.text(document.get("nickname")),
        gender,
        RowText.text(document.get("birthday")),
        ids.list(),
        List.of(),
        List.of(),
        List.of(),
        null,
        RowText.raw(new TreeMap<>(document)));
  }
}
