package com.onemember.connectors.youzan;

import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.SnapshotKind;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.Transport;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.connectors.frame.WritebackSink;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code youzan} kind (有赞): a Youzan shop's customers read whole on the connector's schedule
 * (Youzan's customer list has no modified-since filter, so the read is the reconciliation), pushed
 * by the shop's {@code SCRM_CUSTOMER_EVENT} messages at {@code /hooks/<connector-id>}, and the
 * member's golden tags written back as customer tags.
 *
 * <p>Youzan signs each push with {@code Event-Sign}, the MD5 of client id, body and client secret,
 * wants {@code {"code":0,"msg":"success"}} within five seconds (the hub answers once the push is on
 * its queue, and processes it after), and sends again what it did not get that answer for. A push
 * carries a version; one older than what the hub holds of the customer arrived late and changes
 * nothing; a customer closing their account (注销) is erased. Messages of other types (orders,
 * points) are answered and not kept: this connector reads customers.
 */
public final class YouzanKind implements SnapshotKind, WebhookKind {

  static final String SIGN = "Event-Sign";
  static final String CUSTOMER_EVENT = "SCRM_CUSTOMER_EVENT";

  /** The push's version field in a customer's document. */
  static final String VERSION = "version";

  @Override
  public String name() {
    return "youzan";
  }

  @Override
  public Transport transport() {
    return Transport.HTTP_PAGES;
  }

  @Override
  public String parametersSchema() {
    return "connectors/youzan/parameters.schema.json";
  }

  @Override
  public SnapshotSource source(ConnectorInstance instance) {
    return new YouzanCustomers(
        new YouzanClient(instance),
        (int) instance.number("page-size", 50),
        !Boolean.FALSE.equals(instance.parameters().get("amounts")),
        Clock.systemUTC());
  }

  @Override
  public Optional<WritebackSink> sink(ConnectorInstance instance) {
    if (Boolean.FALSE.equals(instance.parameters().get("writeback"))) {
      return Optional.empty();
    }
    String prefix = instance.text("tag-prefix");
    return Optional.of(
        new YouzanWriteback(new YouzanClient(instance), prefix == null ? "OM·" : prefix));
  }

  @Override
  public void verify(ConnectorInstance instance, HookRequest request) throws HookRefused {
    String sign = request.header(SIGN);
    if (sign == null || sign.isBlank()) {
      throw new HookRefused(
          401, "缺少签名头 " + SIGN + " / the request has no " + SIGN + " header: not from Youzan");
    }
    String clientId = instance.text("client-id");
    String expected = md5(clientId, request.body(), instance.text("client-secret"));
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        sign.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      throw new HookRefused(
          401,
          "签名不符，请检查 client-id 与 client-secret 是否为推送所属应用的 / the signature does not"
              + " match: client-id and client-secret must be those of the app the shop pushes"
              + " for");
    }
  }

  /** Lowercase hex MD5 of client id, body and client secret, as Youzan signs a push. */
  static String md5(String clientId, byte[] body, String clientSecret) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(clientId.getBytes(StandardCharsets.UTF_8));
      md5.update(body);
      md5.update(clientSecret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<Push> read(ConnectorInstance instance, HookRequest request) throws HookRefused {
    JsonNode body;
    try {
      body = YouzanClient.JSON.readTree(request.body());
    } catch (JacksonException e) {
      throw new HookRefused(
          400, "推送内容不是 JSON / the push body is not JSON: " + e.getOriginalMessage());
    }
    if (!body.isObject()) {
      throw new HookRefused(400, "推送内容不是 JSON 对象 / the push body is not a JSON object");
    }
    if (body.path("test").asBoolean(false)) {
      return List.of(); // Youzan checking that the address answers
    }
    String type = body.path("type").asString("");
    if (!CUSTOMER_EVENT.equals(type)) {
      return List.of(); // orders, points...: answered, not this connector's to keep
    }
    String raw = new String(request.body(), StandardCharsets.UTF_8);
    JsonNode msg;
    try {
      String encoded = body.path("msg").asString("");
      msg = YouzanClient.JSON.readTree(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    } catch (JacksonException | IllegalArgumentException e) {
      throw new HookRefused(
          400, "推送的 msg 不是编码后的 JSON / the push's msg is not URL-encoded JSON: " + e.getMessage());
    }
    String key = JsonDocuments.text(msg.path("yz_open_id"));
    if (key == null && "YzOpenId".equals(msg.path("account_type").asString(""))) {
      key = JsonDocuments.text(msg.path("account_id"));
    }
    if (msg.path("is_log_off").asBoolean(false)) {
      // the customer closed (注销) their account: what the hub holds of it goes, as the law on
      // personal information asks of a closed account
      return List.of(Push.erasure(key, raw));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("yz_open_id", key);
    for (String field : List.of("name", "mobile", "gender", "is_member", "birthday")) {
      if (msg.has(field)) {
        fields.put(field, JsonDocuments.text(msg.path(field)));
      }
    }
    if (body.path("version").isNumber()) {
      fields.put(VERSION, body.path("version").asString());
    }
    return List.of(Push.upsert(key, fields, raw));
  }

  /** Youzan retries a push it got no "success" for; the message id makes a retry count once. */
  @Override
  public String deliveryId(HookRequest request) {
    try {
      JsonNode body = YouzanClient.JSON.readTree(request.body());
      String id = JsonDocuments.text(body.path("msg_id"));
      if (id != null) {
        return id;
      }
      String version = JsonDocuments.text(body.path("version"));
      String customer = JsonDocuments.text(body.path("id"));
      return version == null || customer == null
          ? null
          : body.path("type").asString("") + ":" + customer + ":" + version;
    } catch (JacksonException e) {
      return null;
    }
  }

  /** What Youzan counts as delivered: HTTP 200 and "success" in the body. */
  @Override
  public Accepted accepted() {
    return new Accepted(200, "{\"code\":0,\"msg\":\"success\"}");
  }

  @Override
  public String versionField() {
    return VERSION;
  }

  @Override
  public SourceRecord map(String source, Map<String, String> document) {
    return YouzanCustomers.record(source, document);
  }
}
