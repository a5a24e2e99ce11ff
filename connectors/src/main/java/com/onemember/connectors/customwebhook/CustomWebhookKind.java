package com.onemember.connectors.customwebhook;

import static com.onemember.connectors.frame.RowText.text;

import com.onemember.canonical.Address;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.Identifiers;
import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.RowText;
import com.onemember.connectors.frame.Signatures;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.WebhookKind;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code custom-webhook} kind: a retailer's own system (its web shop, its mini-program's back
 * end, a CRM) pushes members as JSON, signed the way the hub signs its own webhooks, so a team that
 * receives the hub's events already has the code: {@code X-OneMember-Timestamp} (Unix seconds) and
 * {@code X-OneMember-Signature: sha256=<hex>}, the HMAC-SHA256 with the instance's {@code secret}
 * of {@code <timestamp>.<body>}. A timestamp further than {@code max-skew} seconds from the hub's
 * clock is refused, and within that window the same signed request is taken only once, so a
 * captured request cannot be played again.
 *
 * <p>The body is one member object or {@code {"members": [...]}}. A member needs {@code id}; the
 * fields the hub understands are {@code name}, {@code nickname}, {@code mobile}, {@code email},
 * {@code gender}, {@code birthday}, {@code memberCard}, {@code wechat.unionid}, {@code
 * wechat.openid} with {@code wechat.appid}, {@code address.province|city|district|line}, {@code
 * updatedAt}; {@code "deleted": true} withdraws the record. Every other field is kept in the raw
 * record. A push may carry only the fields that changed.
 */
public final class CustomWebhookKind implements WebhookKind {

  static final String TIMESTAMP = "X-OneMember-Timestamp";
  static final String SIGNATURE = "X-OneMember-Signature";

  private final Clock clock;

  public CustomWebhookKind() {
    this(Clock.systemUTC());
  }

  CustomWebhookKind(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "custom-webhook";
  }

  @Override
  public String parametersSchema() {
    return "connectors/custom-webhook/parameters.schema.json";
  }

  @Override
  public void verify(ConnectorInstance instance, HookRequest request) throws HookRefused {
    String timestamp = request.header(TIMESTAMP);
    String signature = request.header(SIGNATURE);
    if (timestamp == null || signature == null) {
      throw new HookRefused(
          401,
          "缺少签名，请求头需要 "
              + TIMESTAMP
              + " 和 "
              + SIGNATURE
              + " / the request is not signed: send "
              + TIMESTAMP
              + " and "
              + SIGNATURE);
    }
    Signatures.fresh(TIMESTAMP, timestamp, instance.number("max-skew", 300), clock);
    String expected =
        Signatures.timestamped(instance.text("secret"), timestamp.strip(), request.body());
    if (!Signatures.same(expected, signature)) {
      throw new HookRefused(
          401, "签名不符，请检查密钥 / the signature does not match: check the secret the sender uses");
    }
  }

  /**
   * The request's signature: the same timestamp and body signed again is the same delivery, taken
   * once, so a request captured and played again within {@code max-skew} changes nothing. (An id
   * header the signature does not cover could be changed by whoever replays.) A sender's retry
   * signs with a new timestamp and is taken again, which changes nothing either.
   */
  @Override
  public String deliveryId(HookRequest request) {
    String signature = request.header(SIGNATURE);
    return signature == null ? null : signature.strip();
  }

  @Override
  public List<Push> read(ConnectorInstance instance, HookRequest request) throws HookRefused {
    JsonNode body;
    try {
      body = JsonDocuments.JSON.readTree(request.body());
    } catch (JacksonException e) {
      throw new HookRefused(400, "请求体不是 JSON / the body is not JSON: " + e.getOriginalMessage());
    }
    List<JsonNode> members = new ArrayList<>();
    if (body != null && body.isObject() && body.has("members")) {
      if (!body.get("members").isArray()) {
        throw new HookRefused(400, "members 应是数组 / members must be an array");
      }
      body.get("members").forEach(members::add);
    } else if (body != null && body.isObject()) {
      members.add(body);
    } else {
      throw new HookRefused(
          400,
          "请求体应是一个会员对象或 {\"members\": [...]} / the body must be one member object or"
              + " {\"members\": [...]}");
    }
    List<Push> pushes = new ArrayList<>();
    for (JsonNode member : members) {
      String raw = member.toString();
      if (!member.isObject()) {
        pushes.add(Push.upsert(null, Map.of(), raw));
        continue;
      }
      Map<String, String> fields = JsonDocuments.flatten(member);
      String key = text(fields.get("id"));
      boolean deleted = "true".equals(fields.remove("deleted"));
      pushes.add(deleted ? Push.deletion(key, raw) : Push.upsert(key, fields, raw));
    }
    return pushes;
  }

  @Override
  public SourceRecord map(String source, Map<String, String> document) {
    String id = SourceTable.rowKey(document, "id");
    Identifiers ids =
        new Identifiers(source, id, document.get("memberCard"))
            .add(IdentifierType.MOBILE, document.get("mobile"))
            .add(IdentifierType.EMAIL, document.get("email"))
            .add(IdentifierType.WECHAT_UNIONID, document.get("wechat.unionid"));
    // an openid is unique only within its app: scoped to the app when the push names it, else to
    // this connector (a sender pushes for its own app), never a reason to drop the person
    String app = text(document.get("wechat.appid"));
    ids.addScoped(
        IdentifierType.WECHAT_OPENID, document.get("wechat.openid"), app == null ? source : app);
    String name = text(document.get("name"));
    SourceTable.requireAPerson(name, ids.list());
    List<Address> addresses = new ArrayList<>();
    Address address =
        new Address(
            text(document.get("address.province")),
            text(document.get("address.city")),
            text(document.get("address.district")),
            text(document.get("address.line")));
    if (!address.isEmpty()) {
      addresses.add(address);
    }
    return new SourceRecord(
        source,
        id,
        updatedAt(document.get("updatedAt")),
        name,
        text(document.get("nickname")),
        text(document.get("gender")),
        text(document.get("birthday")),
        ids.list(),
        addresses,
        List.of(),
        List.of(),
        null,
        RowText.raw(document));
  }

  /** ISO-8601 with an offset, or Unix seconds; anything else says nothing (kept in the raw). */
  private static Instant updatedAt(String value) {
    String v = text(value);
    if (v == null) {
      return null;
    }
    try {
      return v.chars().allMatch(Character::isDigit)
          ? Instant.ofEpochSecond(Long.parseLong(v))
          : OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
  }
}
