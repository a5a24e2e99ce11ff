package com.onemember.connectors.woocommerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.InvalidParameter;
import com.onemember.connectors.frame.Signatures;
import com.onemember.connectors.frame.WebhookKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the {@code woocommerce} kind makes of a delivery, as WooCommerce sends it: the signature
 * (valid, wrong, missing, from another secret), the unsigned ping sent when a webhook is saved, the
 * three customer topics and others, and the mapping of a customer to a record.
 */
class WooCommerceWebhookTest {

  private static final String SECRET = "wc-hook-7Hq2fLp9Xz4";

  private final WooCommerceKind kind = new WooCommerceKind();

  static ConnectorInstance instance(String baseUrl) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("base-url", baseUrl);
    parameters.put("consumer-key", "ck_0123456789abcdef0123456789abcdef01234567");
    parameters.put("consumer-secret", "cs_0123456789abcdef0123456789abcdef01234567");
    parameters.put("webhook-secret", SECRET);
    return new ConnectorInstance(
        Path.of("shop-woo.yaml"),
        "shop-woo",
        "woocommerce",
        true,
        Duration.ofMinutes(15),
        null,
        List.of(),
        parameters);
  }

  private static HookRequest delivery(String topic, String body, String secret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>();
    headers.put("content-type", "application/json");
    if (topic != null) {
      headers.put("x-wc-webhook-topic", topic);
    }
    if (secret != null) {
      headers.put(
          "x-wc-webhook-signature",
          Base64.getEncoder().encodeToString(Signatures.hmacSha256(secret, bytes)));
    }
    headers.put("x-wc-webhook-delivery-id", "9f2c61d0e4b7a8c3");
    return new HookRequest(headers, bytes);
  }

  private static final String CUSTOMER =
      """
      {"id":1207,"date_created":"2026-11-02T10:15:00","date_created_gmt":"2026-11-02T02:15:00",
       "date_modified":"2026-12-06T16:00:05","date_modified_gmt":"2026-12-06T08:00:05",
       "email":"wangfang88@163.com","first_name":"芳","last_name":"王","role":"customer",
       "username":"wangfang88",
       "billing":{"first_name":"芳","last_name":"王","company":"","address_1":"天河路 385 号",
         "address_2":"太古汇 2 座","city":"广州","state":"CN20","postcode":"510620","country":"CN",
         "email":"wangfang88@163.com","phone":"13826041187"},
       "shipping":{"first_name":"","last_name":"","company":"","address_1":"","address_2":"",
         "city":"","state":"","postcode":"","country":"","phone":""},
       "is_paying_customer":true,"avatar_url":"https://secure.gravatar.com/avatar/x",
       "meta_data":[{"id":88,"key":"onemember_golden_id","value":"7d0c1f9e-1b7a-4f7e-9a55-2c1d3b4e5f60"}],
       "_links":{"self":[{"href":"https://shop.lin-tea.cn/wp-json/wc/v3/customers/1207"}]}}
      """;

  @Test
  void aSignedCustomerUpdateIsTakenWithEveryFieldItCarries() throws HookRefused {
    HookRequest request = delivery("customer.updated", CUSTOMER, SECRET);
    kind.verify(instance("https://shop.lin-tea.cn"), request);
    List<WebhookKind.Push> pushes = kind.read(instance("https://shop.lin-tea.cn"), request);

    assertThat(pushes).hasSize(1);
    WebhookKind.Push push = pushes.get(0);
    assertThat(push.key()).isEqualTo("1207");
    assertThat(push.change()).isEqualTo(WebhookKind.Change.UPSERT);
    assertThat(push.fields())
        .containsEntry("billing.phone", "13826041187")
        .containsEntry("dateModified", "2026-12-06T08:00:05Z")
        // the shipping address is empty: its fields are cleared, not kept from the last read
        .containsEntry("shipping.city", null)
        // the hub's own meta data is no field of the customer's
        .doesNotContainKey("meta.onemember_golden_id");
    // WooCommerce's delivery id is the same for deliveries within one second: the body tells
    // them apart
    assertThat(kind.deliveryId(request)).startsWith("9f2c61d0e4b7a8c3:");
    HookRequest other = delivery("customer.updated", CUSTOMER.replace("芳", "芬"), SECRET);
    assertThat(kind.deliveryId(other)).isNotEqualTo(kind.deliveryId(request));
    assertThat(kind.deliveryId(delivery("customer.updated", CUSTOMER, SECRET)))
        .isEqualTo(kind.deliveryId(request));
  }

  @Test
  void aCustomerBecomesARecordWithTheProvinceNamedAndOneEmail() {
    Map<String, String> document = new HashMap<>(WooCommerceKind.fields(customer()));
    document.values().removeIf(v -> v == null);
    SourceRecord record = kind.map("shop-woo", document);

    assertThat(record.sourceRecordId()).isEqualTo("1207");
    assertThat(record.name()).isEqualTo("王芳");
    assertThat(record.addresses()).hasSize(1);
    assertThat(record.addresses().get(0).province()).isEqualTo("广东");
    assertThat(record.addresses().get(0).city()).isEqualTo("广州");
    assertThat(record.identifiers())
        .filteredOn(i -> i.type() == IdentifierType.EMAIL)
        .hasSize(1); // the account's e-mail and the same billing e-mail are one identifier
    assertThat(record.identifiers()).anyMatch(i -> i.type() == IdentifierType.MOBILE);
    // dateModified moves when the hub writes back: not part of the record
    assertThat(record.raw()).doesNotContainKey("dateModified");
  }

  private static com.onemember.connectors.woocommerce.api.model.Customer customer() {
    try {
      return com.onemember.connectors.woocommerce.api.invoker.ApiClient.createDefaultObjectMapper()
          .readValue(CUSTOMER, com.onemember.connectors.woocommerce.api.model.Customer.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPushOfAUserOfAnotherRoleIsADeletionOfWhatTheHubHolds() throws HookRefused {
    HookRequest request =
        delivery(
            "customer.updated",
            CUSTOMER.replace("\"role\":\"customer\"", "\"role\":\"shop_manager\""),
            SECRET);
    assertThat(kind.read(instance("https://shop.lin-tea.cn"), request))
        .singleElement()
        .satisfies(p -> assertThat(p.change()).isEqualTo(WebhookKind.Change.DELETE));
  }

  @Test
  void aDeletionNamesOnlyTheId() throws HookRefused {
    HookRequest request = delivery("customer.deleted", "{\"id\":1207}", SECRET);
    kind.verify(instance("https://shop.lin-tea.cn"), request);
    assertThat(kind.read(instance("https://shop.lin-tea.cn"), request))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("1207");
              assertThat(p.change()).isEqualTo(WebhookKind.Change.DELETE);
            });
  }

  @Test
  void aWrongOrMissingSignatureIsRefusedSayingWhatToCheck() {
    ConnectorInstance shop = instance("https://shop.lin-tea.cn");
    assertThatThrownBy(() -> kind.verify(shop, delivery("customer.updated", CUSTOMER, "other")))
        .isInstanceOf(HookRefused.class)
        .hasMessageContaining("webhook-secret")
        .satisfies(e -> assertThat(((HookRefused) e).status()).isEqualTo(401));
    assertThatThrownBy(() -> kind.verify(shop, delivery("customer.updated", CUSTOMER, null)))
        .isInstanceOf(HookRefused.class)
        .hasMessageContaining("X-WC-Webhook-Signature");
    // a body changed after signing
    HookRequest signed = delivery("customer.updated", CUSTOMER, SECRET);
    HookRequest changed =
        new HookRequest(
            signed.headers(), CUSTOMER.replace("13826041187", "13900000000").getBytes());
    assertThatThrownBy(() -> kind.verify(shop, changed)).isInstanceOf(HookRefused.class);
  }

  @Test
  void thePingOfASavedWebhookIsAnsweredWithExactly200AndChangesNothing() throws HookRefused {
    ConnectorInstance shop = instance("https://shop.lin-tea.cn");
    HookRequest ping =
        new HookRequest(
            Map.of("content-type", "application/x-www-form-urlencoded"),
            "webhook_id=31".getBytes(StandardCharsets.US_ASCII));
    kind.verify(shop, ping);
    assertThat(kind.read(shop, ping)).isEmpty();
    assertThat(kind.accepted().status()).isEqualTo(200);
    // an unsigned body that is not a ping is no ping
    HookRequest unsigned =
        new HookRequest(Map.of(), "webhook_id=31&x=1".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> kind.verify(shop, unsigned)).isInstanceOf(HookRefused.class);
  }

  @Test
  void anotherTopicOrABodyThatIsNoCustomerIsRefusedWithTheReason() {
    ConnectorInstance shop = instance("https://shop.lin-tea.cn");
    assertThatThrownBy(() -> kind.read(shop, delivery("order.created", "{\"id\":5}", SECRET)))
        .isInstanceOf(HookRefused.class)
        .hasMessageContaining("customer.created");
    assertThatThrownBy(() -> kind.read(shop, delivery("customer.updated", "<html>", SECRET)))
        .isInstanceOf(HookRefused.class)
        .hasMessageContaining("not a WooCommerce customer");
    assertThatThrownBy(() -> kind.read(shop, delivery(null, CUSTOMER, SECRET)))
        .isInstanceOf(HookRefused.class)
        .hasMessageContaining("X-WC-Webhook-Topic");
  }

  @Test
  void thePlainHttpAddressOfAnotherMachineIsRefusedBeforeAnyKeyIsSent() {
    assertThatThrownBy(() -> new WooCommerceClient(instance("http://shop.lin-tea.cn")))
        .isInstanceOf(InvalidParameter.class)
        .hasMessageContaining("https://");
    // this machine (a test, a TLS proxy beside the hub) may be plain http
    new WooCommerceClient(instance("http://127.0.0.1:8080"));
  }

  @Test
  void aChineseStateCodeIsTheProvincesName() {
    assertThat(ChinaStates.name("CN", "CN20")).isEqualTo("广东");
    assertThat(ChinaStates.name("CN", "CN10")).isEqualTo("上海");
    assertThat(ChinaStates.name("CN", "浙江")).isEqualTo("浙江");
    assertThat(ChinaStates.name("US", "CA")).isEqualTo("CA");
    assertThat(ChinaStates.name("CN", "")).isNull();
  }
}
