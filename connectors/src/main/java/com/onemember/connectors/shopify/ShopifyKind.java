package com.onemember.connectors.shopify;

import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.Signatures;
import com.onemember.connectors.frame.SnapshotKind;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.Transport;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.connectors.frame.WritebackSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code shopify} kind: a shop's customers pulled through the Admin GraphQL API on the
 * connector's schedule (what changed since the last read, by {@code updated_at}), pushed by the
 * shop's {@code customers/create}, {@code customers/update} and {@code customers/delete} webhooks
 * and the privacy webhooks ({@code customers/redact}: the shop's record is erased from the hub;
 * {@code customers/data_request}: kept and listed with what the hub holds; {@code shop/redact}:
 * every record of the shop is erased) at {@code /hooks/<connector-id>}, and the golden id and tags
 * written back (a metafield and customer tags). The pull is the reconciliation that catches what a
 * lost webhook missed; a complete read ({@code resync}) finds deletions whose webhook never came.
 */
public final class ShopifyKind implements SnapshotKind, WebhookKind {

  static final String TOPIC = "X-Shopify-Topic";
  static final String HMAC = "X-Shopify-Hmac-Sha256";
  static final String SHOP = "X-Shopify-Shop-Domain";
  static final String WEBHOOK_ID = "X-Shopify-Webhook-Id";

  @Override
  public String name() {
    return "shopify";
  }

  @Override
  public Transport transport() {
    return Transport.HTTP_PAGES;
  }

  @Override
  public String parametersSchema() {
    return "connectors/shopify/parameters.schema.json";
  }

  @Override
  public SnapshotSource source(ConnectorInstance instance) {
    return new ShopifyCustomers(
        new ShopifyClient(instance), (int) instance.number("page-size", 100), namespace(instance));
  }

  @Override
  public Optional<WritebackSink> sink(ConnectorInstance instance) {
    if (Boolean.FALSE.equals(instance.parameters().get("writeback"))) {
      return Optional.empty();
    }
    return Optional.of(new ShopifyWriteback(new ShopifyClient(instance), namespace(instance)));
  }

  static String namespace(ConnectorInstance instance) {
    String namespace = instance.text("metafield-namespace");
    return namespace == null ? "onemember" : namespace;
  }

  /**
   * Shopify signs each webhook with the app's secret: {@code X-Shopify-Hmac-Sha256} is the base64
   * HMAC-SHA256 of the body as sent. A webhook from another shop (one app may serve several) is not
   * this connector's.
   */
  @Override
  public void verify(ConnectorInstance instance, HookRequest request) throws HookRefused {
    String signature = request.header(HMAC);
    if (signature == null || signature.isBlank()) {
      throw new HookRefused(
          401, "缺少签名头 " + HMAC + " / the request has no " + HMAC + " header: not from Shopify");
    }
    if (!Signatures.base64HmacMatches(instance.text("webhook-secret"), request.body(), signature)) {
      throw new HookRefused(
          401,
          "签名不符，请检查 webhook-secret（应用的 client secret）/ the signature does not match: check"
              + " webhook-secret, the app's client secret");
    }
    String shop = request.header(SHOP);
    String ours = instance.text("shop-domain");
    if (shop != null && !shop.strip().equalsIgnoreCase(ours)) {
      throw new HookRefused(
          401,
          "推送来自店铺 "
              + shop
              + "，本连接器读取 "
              + ours
              + " / the webhook comes from shop "
              + shop
              + ", this connector reads "
              + ours);
    }
  }

  @Override
  public List<Push> read(ConnectorInstance instance, HookRequest request) throws HookRefused {
    String topic = request.header(TOPIC);
    JsonNode body;
    try {
      body = ShopifyClient.JSON.readTree(request.body());
    } catch (JacksonException e) {
      throw new HookRefused(
          400, "推送内容不是 JSON / the webhook body is not JSON: " + e.getOriginalMessage());
    }
    if (!body.isObject()) {
      throw new HookRefused(400, "推送内容不是 JSON 对象 / the webhook body is not a JSON object");
    }
    String raw = new String(request.body(), StandardCharsets.UTF_8);
    String id =
        body.path("id").isNumber() || body.path("id").isString()
            ? body.path("id").asString()
            : null;
    if (topic == null) {
      throw new HookRefused(400, "缺少 " + TOPIC + " / the webhook names no topic (" + TOPIC + ")");
    }
    if (topic.strip().startsWith("customers/redact")
        || topic.strip().equals("customers/data_request")
        || topic.strip().equals("shop/redact")) {
      // one app's compliance webhooks serve every shop it is installed in, and the domain header
      // is not signed: the signed body must name this connector's shop before anything is erased
      String shop = body.path("shop_domain").asString("");
      String ours = instance.text("shop-domain");
      if (!shop.strip().equalsIgnoreCase(ours)) {
        throw new HookRefused(
            401,
            "隐私请求属于店铺 "
                + shop
                + "，本连接器读取 "
                + ours
                + " / the privacy request is for shop "
                + shop
                + ", this connector reads "
                + ours);
      }
    }
    return switch (topic.strip()) {
      case "customers/create", "customers/update" ->
          List.of(Push.upsert(id, ShopifyCustomers.pushed(body), raw));
      case "customers/delete" -> List.of(Push.deletion(id, raw));
      case "customers/redact" -> {
        // the customer asked the shop to erase them: the shop's record goes from the hub too
        JsonNode customer = body.path("customer").path("id");
        yield List.of(
            Push.erasure(
                customer.isNumber() || customer.isString() ? customer.asString() : null, raw));
      }
      case "customers/data_request" -> {
        // kept and listed at /api/v1/connectors/<id>/data-requests for the shop's owner
        JsonNode customer = body.path("customer").path("id");
        yield List.of(
            Push.dataRequest(
                customer.isNumber() || customer.isString() ? customer.asString() : null, raw));
      }
      case "shop/redact" -> List.of(Push.erasureOfAll(raw)); // the shop left 48 hours ago
      default ->
          throw new HookRefused(
              400,
              "不处理的主题 "
                  + topic
                  + "，请只订阅 customers/create、customers/update、customers/delete 及三个隐私主题"
                  + " / topic "
                  + topic
                  + " is not taken here: subscribe this address to customers/create,"
                  + " customers/update, customers/delete, customers/redact,"
                  + " customers/data_request and shop/redact");
    };
  }

  /** Shopify's id of the delivery: a retry of the same webhook is taken once. */
  @Override
  public String deliveryId(HookRequest request) {
    String id = request.header(WEBHOOK_ID);
    return id == null || id.isBlank() ? null : id.strip();
  }

  /** Webhooks may arrive out of order: one older than the record the hub holds changes nothing. */
  @Override
  public String versionField() {
    return ShopifyCustomers.UPDATED_AT;
  }

  @Override
  public SourceRecord map(String source, Map<String, String> document) {
    return ShopifyCustomers.record(source, document);
  }
}
