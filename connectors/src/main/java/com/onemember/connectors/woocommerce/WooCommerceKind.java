package com.onemember.connectors.woocommerce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.Signatures;
import com.onemember.connectors.frame.SnapshotKind;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Transport;
import com.onemember.connectors.frame.WebhookHealth;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.connectors.frame.WritebackSink;
import com.onemember.connectors.woocommerce.api.invoker.ApiClient;
import com.onemember.connectors.woocommerce.api.invoker.ApiException;
import com.onemember.connectors.woocommerce.api.invoker.ApiResponse;
import com.onemember.connectors.woocommerce.api.model.Customer;
import com.onemember.connectors.woocommerce.api.model.Webhook;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code woocommerce} kind: a WooCommerce shop's customers read through the REST API wc/v3 on
 * the connector's schedule (what changed since the last read), pushed by the shop's {@code
 * customer.created}, {@code customer.updated} and {@code customer.deleted} webhooks at {@code
 * /hooks/<connector-id>}, and the golden id and tags written to the customer's {@code meta_data}.
 *
 * <p>WooCommerce sends each webhook once and, after more than five failed deliveries in a row,
 * disables it without telling anyone; so the scheduled read is the reconciliation that catches what
 * webhooks missed, and after each read the hub asks the shop for its webhooks ({@link
 * #webhookProblems}) and shows on the connector's status which of ours are disabled, paused or
 * missing.
 */
public final class WooCommerceKind implements SnapshotKind, WebhookKind, WebhookHealth {

  static final String TOPIC = "X-WC-Webhook-Topic";
  static final String SIGNATURE = "X-WC-Webhook-Signature";
  static final String DELIVERY = "X-WC-Webhook-Delivery-ID";

  /** The topics the connector takes; each should have an active webhook to the hub. */
  static final List<String> TOPICS =
      List.of("customer.created", "customer.updated", "customer.deleted");

  /** What WooCommerce POSTs, unsigned, when a webhook is saved: it needs a 2xx to save it. */
  private static final Pattern PING = Pattern.compile("webhook_id=\\d+");

  private static final ObjectMapper JSON = ApiClient.createDefaultObjectMapper();

  @Override
  public String name() {
    return "woocommerce";
  }

  @Override
  public Transport transport() {
    return Transport.HTTP_PAGES;
  }

  @Override
  public String parametersSchema() {
    return "connectors/woocommerce/parameters.schema.json";
  }

  @Override
  public SnapshotSource source(ConnectorInstance instance) {
    String role = instance.text("role");
    return new WooCommerceCustomers(
        new WooCommerceClient(instance),
        (int) instance.number("page-size", 100),
        role == null ? "customer" : role,
        !Boolean.FALSE.equals(instance.parameters().get("purchases")));
  }

  @Override
  public Optional<WritebackSink> sink(ConnectorInstance instance) {
    if (Boolean.FALSE.equals(instance.parameters().get("writeback"))) {
      return Optional.empty();
    }
    String prefix = instance.text("meta-prefix");
    return Optional.of(
        new WooCommerceWriteback(
            new WooCommerceClient(instance), prefix == null ? "onemember_" : prefix));
  }

  /**
   * WooCommerce signs each delivery with the webhook's secret: {@code X-WC-Webhook-Signature} is
   * the base64 HMAC-SHA256 of the body as sent. The ping WooCommerce sends when a webhook is saved
   * carries no signature and changes nothing; it is let through so that the webhook can be saved.
   */
  @Override
  public void verify(ConnectorInstance instance, HookRequest request) throws HookRefused {
    String signature = request.header(SIGNATURE);
    if ((signature == null || signature.isBlank()) && ping(request)) {
      return;
    }
    if (signature == null || signature.isBlank()) {
      throw new HookRefused(
          401,
          "缺少签名头 "
              + SIGNATURE
              + " / the request has no "
              + SIGNATURE
              + " header: not from WooCommerce, or its webhook has no secret");
    }
    if (!Signatures.base64HmacMatches(instance.text("webhook-secret"), request.body(), signature)) {
      throw new HookRefused(
          401,
          "签名不符，请检查 webhook-secret 与 WooCommerce 中该 webhook 的密钥一致 / the signature does"
              + " not match: webhook-secret must be the Secret of the webhook in WooCommerce ›"
              + " Settings › Advanced › Webhooks");
    }
  }

  private static boolean ping(HookRequest request) {
    return request.header(TOPIC) == null
        && request.body().length < 64
        && PING.matcher(new String(request.body(), StandardCharsets.US_ASCII).strip()).matches();
  }

  @Override
  public List<Push> read(ConnectorInstance instance, HookRequest request) throws HookRefused {
    if (request.header(SIGNATURE) == null && ping(request)) {
      return List.of();
    }
    String topic = request.header(TOPIC);
    if (topic == null) {
      throw new HookRefused(400, "缺少 " + TOPIC + " / the webhook names no topic (" + TOPIC + ")");
    }
    String raw = new String(request.body(), StandardCharsets.UTF_8);
    Customer customer;
    try {
      customer = JSON.readValue(request.body(), Customer.class);
    } catch (IOException e) {
      throw new HookRefused(
          400,
          "推送内容不是 WooCommerce 的顾客 JSON / the webhook body is not a WooCommerce customer: "
              + e.getMessage());
    }
    String id = customer.getId() == null ? null : String.valueOf(customer.getId());
    String role = instance.text("role") == null ? "customer" : instance.text("role");
    boolean ours =
        "all".equals(role) || customer.getRole() == null || role.equals(customer.getRole());
    return switch (topic.strip()) {
      // a user of another role (staff, or a customer made subscriber) is not read by the
      // connector: a push of one is a deletion of what the hub may hold of them
      case "customer.created", "customer.updated" ->
          List.of(ours ? Push.upsert(id, fields(customer), raw) : Push.deletion(id, raw));
      case "customer.deleted" -> List.of(Push.deletion(id, raw));
      default ->
          throw new HookRefused(
              400,
              "不处理的主题 "
                  + topic
                  + "，请只为 customer.created、customer.updated、customer.deleted 设置 webhook / topic "
                  + topic
                  + " is not taken here: point only the customer.created, customer.updated and"
                  + " customer.deleted webhooks at this address");
    };
  }

  /**
   * A pushed customer's fields: WooCommerce sends the whole resource, so a field it leaves out (a
   * phone removed) is cleared, not kept from the last read.
   */
  static Map<String, String> fields(Customer customer) {
    Map<String, String> row = WooCommerceCustomers.row(customer);
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : WooCommerceCustomers.FIELDS) {
      fields.put(field, row.get(field));
    }
    fields.putAll(row);
    return fields;
  }

  /** WooCommerce saves a webhook only when its ping is answered with exactly 200. */
  @Override
  public Accepted accepted() {
    return new Accepted(200, "{\"accepted\":true}");
  }

  /**
   * A delivery sent twice is taken once. WooCommerce's delivery id is a hash of the webhook's id
   * and the second it was sent, so two changes delivered within one second share it: the id here is
   * that header with the digest of the body, which tells them apart.
   */
  @Override
  public String deliveryId(HookRequest request) {
    String id = request.header(DELIVERY);
    if (id == null || id.isBlank()) {
      return null;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(request.body());
      return id.strip() + ":" + java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Webhooks may arrive out of order: one older than the record the hub holds changes nothing. */
  @Override
  public String versionField() {
    return WooCommerceCustomers.MODIFIED;
  }

  @Override
  public SourceRecord map(String source, Map<String, String> document) {
    return WooCommerceCustomers.record(source, document);
  }

  /**
   * The shop's webhooks to this connector's address ({@code .../hooks/<connector-id>}): a topic
   * with none active, and each one WooCommerce disabled or someone paused.
   */
  @Override
  public List<String> webhookProblems(ConnectorInstance instance) throws SourceUnavailable {
    WooCommerceClient client = new WooCommerceClient(instance);
    String path = "/hooks/" + instance.id();
    List<Webhook> ours = new ArrayList<>();
    int page = 1;
    int pages;
    do {
      int current = page;
      ApiResponse<List<Webhook>> answer;
      try {
        answer =
            client.call(
                "GET /webhooks",
                () -> client.webhooks.listWebhooksWithHttpInfo(current, 100, "all"));
      } catch (SourceUnavailable e) {
        if (e.getCause() instanceof ApiException api
            && (api.getCode() == 401 || api.getCode() == 403)) {
          return List.of(
              "无法用此密钥查看 webhook，无法判断推送是否仍在发送（需要管理员的 REST 密钥）/ this key may not"
                  + " list the shop's webhooks, so the hub cannot tell whether they still fire"
                  + " (a key of an administrator can)");
        }
        throw e;
      }
      pages = WooCommerceClient.header(answer.getHeaders(), "X-WP-TotalPages");
      List<Webhook> found = answer.getData() == null ? List.of() : answer.getData();
      for (Webhook webhook : found) {
        if (webhook.getDeliveryUrl() != null && path(webhook.getDeliveryUrl()).endsWith(path)) {
          ours.add(webhook);
        }
      }
      if (found.isEmpty()) {
        break;
      }
      page++;
    } while (page <= pages);
    List<String> problems = new ArrayList<>();
    Set<String> active = new TreeSet<>();
    for (Webhook webhook : ours) {
      String status = webhook.getStatus() == null ? "" : webhook.getStatus();
      if ("active".equals(status)) {
        active.add(webhook.getTopic());
      } else {
        problems.add(
            "webhook #"
                + webhook.getId()
                + "（"
                + webhook.getTopic()
                + "）状态为 "
                + status
                + ("disabled".equals(status) ? "：连续多次（超过 5 次）投递失败后被 WooCommerce 停用" : "")
                + "，请在 WooCommerce › 设置 › 高级 › Webhooks 中设为启用 / webhook #"
                + webhook.getId()
                + " ("
                + webhook.getTopic()
                + ") is "
                + status
                + ("disabled".equals(status)
                    ? ": WooCommerce disables a webhook after more than five failed deliveries in a row"
                    : "")
                + "; set it Active in WooCommerce › Settings › Advanced › Webhooks");
      }
    }
    for (String topic : TOPICS) {
      if (!active.contains(topic)) {
        problems.add(
            "没有发往 "
                + path
                + " 的已启用 "
                + topic
                + " webhook，变更要等下次对账同步才到 / no active "
                + topic
                + " webhook delivers to "
                + path
                + ": such changes wait for the next reconciliation sync");
      }
    }
    return problems;
  }

  private static String path(String url) {
    try {
      String p = URI.create(url.strip()).getPath();
      return p == null ? "" : (p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
