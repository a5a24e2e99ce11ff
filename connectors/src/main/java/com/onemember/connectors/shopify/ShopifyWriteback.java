package com.onemember.connectors.shopify;

import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a customer's golden id into the metafield {@code <namespace>.golden_id} and the member's
 * golden tags into the customer's tags ({@code tagsAdd}/{@code tagsRemove}, which leave the
 * merchant's own tags alone; {@code customerUpdate} would replace them all). Which tags the hub
 * added is kept in the metafield {@code <namespace>.tags}, so that a tag the member loses is
 * removed only if the hub added it, and so that the pull leaves the hub's tags out of the
 * customer's own. Nothing is written when the shop holds it already, so a write the shop's webhook
 * reports back ends there.
 */
final class ShopifyWriteback implements WritebackSink {

  private final ShopifyClient client;
  private final String namespace;

  ShopifyWriteback(ShopifyClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  private String current() {
    return """
        query HubFields($id: ID!) {
          customer(id: $id) {
            id tags
            goldenId: metafield(namespace: "%1$s", key: "golden_id") { value }
            hubTags: metafield(namespace: "%1$s", key: "tags") { value }
          }
        }"""
        .formatted(namespace);
  }

  @Override
  public void write(Writeback writeback) throws Refused {
    String gid = "gid://shopify/Customer/" + writeback.sourceRecordId();
    try {
      ObjectNode variables = ShopifyClient.JSON.createObjectNode();
      variables.put("id", gid);
      JsonNode customer = client.call(current(), variables).path("customer");
      if (!customer.isObject()) {
        return; // deleted in the shop meanwhile: its deletion webhook withdraws the record
      }
      Set<String> tags = new LinkedHashSet<>();
      customer.path("tags").forEach(t -> tags.add(t.asString()));
      Set<String> hubTags =
          new LinkedHashSet<>(
              ShopifyCustomers.tagList(customer.path("hubTags").path("value").asString(null)));

      ArrayNode first = ShopifyClient.JSON.createArrayNode();
      String golden = writeback.goldenId().toString();
      if (!golden.equals(customer.path("goldenId").path("value").asString(null))) {
        first.add(metafield(gid, "golden_id", "single_line_text_field", golden));
      }
      List<String> add = new ArrayList<>();
      List<String> remove = new ArrayList<>();
      Set<String> nowHubs = hubTags;
      if (writeback.tags() != null) {
        Set<String> wanted = shopifyTags(writeback.tags());
        nowHubs = new LinkedHashSet<>();
        for (String tag : wanted) {
          if (!tags.contains(tag)) {
            add.add(tag);
            nowHubs.add(tag);
          } else if (hubTags.contains(tag)) {
            nowHubs.add(tag); // still the hub's: a merchant's tag of the same name stays theirs
          }
        }
        for (String tag : hubTags) {
          if (!wanted.contains(tag) && tags.contains(tag)) {
            remove.add(tag);
          }
        }
      }
      // while the tags change, the hub's list names both what it adds and what it is about to
      // remove: a failure part-way leaves nothing of the hub's that a retry would not find
      Set<String> interim = new LinkedHashSet<>(hubTags);
      interim.addAll(add);
      if (!interim.equals(hubTags)) {
        first.add(metafield(gid, "tags", "json", ShopifyCustomers.tagJson(interim)));
      }
      setMetafields(first);
      if (!add.isEmpty()) {
        tagsCall("tagsAdd", gid, add);
      }
      if (!remove.isEmpty()) {
        tagsCall("tagsRemove", gid, remove);
      }
      if (!nowHubs.equals(interim)) {
        ArrayNode last = ShopifyClient.JSON.createArrayNode();
        last.add(metafield(gid, "tags", "json", ShopifyCustomers.tagJson(nowHubs)));
        setMetafields(last);
      }
    } catch (SourceUnavailable e) {
      throw new Refused(e.getMessage(), e);
    }
  }

  /**
   * The golden tags as Shopify will hold them: Shopify splits a tag on commas and trims it, so a
   * golden tag "线上,线下" is the two tags 线上 and 线下 in the shop. Compared as written, it would be
   * missing at every writeback and added again.
   */
  static Set<String> shopifyTags(List<String> tags) {
    Set<String> out = new LinkedHashSet<>();
    for (String tag : tags) {
      for (String part : tag.split(",")) {
        String t = part.strip();
        if (!t.isEmpty()) {
          out.add(t.length() > 255 ? t.substring(0, 255) : t);
        }
      }
    }
    return out;
  }

  private void setMetafields(ArrayNode metafields) throws SourceUnavailable, Refused {
    if (metafields.isEmpty()) {
      return;
    }
    ObjectNode v = ShopifyClient.JSON.createObjectNode();
    v.set("metafields", metafields);
    check(
        client.call(
            """
            mutation HubMetafields($metafields: [MetafieldsSetInput!]!) {
              metafieldsSet(metafields: $metafields) { userErrors { field message code } }
            }""",
            v),
        "metafieldsSet");
  }

  private void tagsCall(String mutation, String gid, List<String> tags)
      throws SourceUnavailable, Refused {
    ObjectNode v = ShopifyClient.JSON.createObjectNode();
    v.put("id", gid);
    ArrayNode list = v.putArray("tags");
    tags.forEach(list::add);
    check(
        client.call(
            """
            mutation HubTags($id: ID!, $tags: [String!]!) {
              %s(id: $id, tags: $tags) { userErrors { field message } }
            }"""
                .formatted(mutation),
            v),
        mutation);
  }

  private ObjectNode metafield(String gid, String key, String type, String value) {
    ObjectNode m = ShopifyClient.JSON.createObjectNode();
    m.put("ownerId", gid);
    m.put("namespace", namespace);
    m.put("key", key);
    m.put("type", type);
    m.put("value", value);
    return m;
  }

  /** A mutation's userErrors are Shopify refusing the write, with its reasons. */
  private static void check(JsonNode data, String mutation) throws Refused {
    JsonNode errors = data.path(mutation).path("userErrors");
    if (errors.isArray() && !errors.isEmpty()) {
      StringBuilder said = new StringBuilder();
      errors.forEach(
          e -> {
            if (!said.isEmpty()) {
              said.append("; ");
            }
            said.append(e.path("field").toString())
                .append(": ")
                .append(e.path("message").asString(""));
          });
      throw new Refused(
          "Shopify 拒绝了 " + mutation + " / Shopify refused " + mutation + ": " + said, null);
    }
  }
}
