package com.onemember.connectors.shopify;

import static com.onemember.connectors.frame.JsonDocuments.text;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.PurchaseSummary;
import com.onemember.canonical.SourceRecord;
import com.onemember.canonical.Tag;
import com.onemember.connectors.frame.ChangesSource;
import com.onemember.connectors.frame.Identifiers;
import com.onemember.connectors.frame.RowText;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A shop's customers through the Admin GraphQL {@code customers} connection, {@code page-size} at a
 * time by cursor, sorted by {@code UPDATED_AT}; from a position, only those with {@code
 * updated_at:>='<position>'}. Shopify documents that this filter matches whole days, so a read
 * gives back the rest of the position's day too; their digests, unchanged, keep them from being
 * queued again.
 *
 * <p>Pulled customers and pushed ones ({@link ShopifyKind#read}) become rows of the same flattened
 * fields, so that a push (which since API version 2025-01 carries no tags and no order totals) is
 * merged over the last pull. {@code updatedAt} is not part of a record: Shopify moves it when the
 * hub writes its golden id and tags back, which would otherwise come back as news. The tags the hub
 * wrote (kept in the metafield {@code <namespace>.tags}) are left out of the customer's tags.
 */
final class ShopifyCustomers implements ChangesSource {

  static final String UPDATED_AT = "updatedAt";

  /** How far before its position a read starts again. */
  static final java.time.Duration OVERLAP = java.time.Duration.ofMinutes(15);

  private final ShopifyClient client;
  private final int pageSize;
  private final String namespace;

  ShopifyCustomers(ShopifyClient client, int pageSize, String namespace) {
    this.client = client;
    this.pageSize = pageSize;
    this.namespace = namespace;
  }

  /** The page query; {@code hubTags} is the metafield of the tags the hub wrote. */
  static String query(String namespace) {
    return """
        query Customers($first: Int!, $after: String, $query: String) {
          customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
            pageInfo { hasNextPage endCursor }
            nodes {
              id legacyResourceId firstName lastName note state tags createdAt updatedAt
              defaultEmailAddress { emailAddress }
              defaultPhoneNumber { phoneNumber }
              numberOfOrders
              amountSpent { amount currencyCode }
              defaultAddress { address1 address2 city province provinceCode country countryCodeV2 zip phone }
              hubTags: metafield(namespace: "%s", key: "tags") { value }
            }
          }
        }"""
        .formatted(namespace);
  }

  @Override
  public Instant readChanges(Instant since, Rows rows) throws SourceUnavailable {
    Instant reached = since;
    String after = null;
    // from a little before the position: Shopify's search index lags its writes, so a customer
    // changed just before the last read's newest may only be found now
    String filter =
        since == null
            ? null
            : "updated_at:>='" + since.minus(OVERLAP).truncatedTo(ChronoUnit.SECONDS) + "'";
    String document = query(namespace);
    while (true) {
      ObjectNode variables = ShopifyClient.JSON.createObjectNode();
      variables.put("first", pageSize);
      variables.put("after", after);
      variables.put("query", filter);
      JsonNode page = client.call(document, variables).path("customers");
      for (JsonNode node : page.path("nodes")) {
        Map<String, String> row = pulled(node);
        Instant updated = instant(row.get(UPDATED_AT));
        if (updated != null && (reached == null || updated.isAfter(reached))) {
          reached = updated;
        }
        rows.accept(row.get("id"), row);
      }
      JsonNode info = page.path("pageInfo");
      if (!info.path("hasNextPage").asBoolean(false)) {
        return reached;
      }
      after = info.path("endCursor").asString(null);
      if (after == null) {
        throw new SourceUnavailable(
            com.onemember.connectors.frame.FailureKind.SOURCE_SYSTEM,
            "Shopify 说还有下一页却没有给出游标 / Shopify said there is a next page but gave no cursor",
            null);
      }
    }
  }

  /** A customer node as a row: the shared flattened fields, the hub's own tags left out. */
  static Map<String, String> pulled(JsonNode node) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("id", text(node.path("legacyResourceId")));
    if (row.get("id") == null) {
      String gid = text(node.path("id"));
      row.put("id", gid == null ? null : gid.substring(gid.lastIndexOf('/') + 1));
    }
    row.put("firstName", text(node.path("firstName")));
    row.put("lastName", text(node.path("lastName")));
    row.put("email", text(node.path("defaultEmailAddress").path("emailAddress")));
    row.put("phone", text(node.path("defaultPhoneNumber").path("phoneNumber")));
    row.put("note", text(node.path("note")));
    row.put("state", text(node.path("state")));
    row.put("createdAt", utc(text(node.path("createdAt"))));
    row.put(UPDATED_AT, utc(text(node.path("updatedAt"))));
    Set<String> tags = new LinkedHashSet<>();
    node.path("tags").forEach(t -> tags.add(t.asString()));
    tags.removeAll(tagList(text(node.path("hubTags").path("value"))));
    row.put("tags", tagJson(tags));
    row.put("numberOfOrders", text(node.path("numberOfOrders")));
    row.put("amountSpent.amount", text(node.path("amountSpent").path("amount")));
    row.put("amountSpent.currencyCode", text(node.path("amountSpent").path("currencyCode")));
    JsonNode address = node.path("defaultAddress");
    if (address.isObject()) {
      for (String field :
          List.of("address1", "address2", "city", "province", "provinceCode", "country", "zip")) {
        row.put("address." + field, text(address.path(field)));
      }
      row.put("address.countryCode", text(address.path("countryCodeV2")));
      row.put("address.phone", text(address.path("phone")));
    }
    row.values().removeIf(v -> v == null);
    return row;
  }

  /**
   * A webhook's customer (the REST resource) as the fields it changes: those it carries, {@code
   * null} for those it clears; tags and order totals, which it no longer carries, are left as the
   * last pull gave them.
   */
  static Map<String, String> pushed(JsonNode customer) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("id", text(customer.path("id")));
    putIfPresent(fields, customer, "first_name", "firstName");
    putIfPresent(fields, customer, "last_name", "lastName");
    putIfPresent(fields, customer, "email", "email");
    putIfPresent(fields, customer, "phone", "phone");
    putIfPresent(fields, customer, "note", "note");
    if (customer.has("state")) {
      String state = text(customer.path("state"));
      fields.put("state", state == null ? null : state.toUpperCase(java.util.Locale.ROOT));
    }
    if (customer.has("created_at")) {
      fields.put("createdAt", utc(text(customer.path("created_at"))));
    }
    if (customer.has("updated_at")) {
      fields.put(UPDATED_AT, utc(text(customer.path("updated_at"))));
    }
    // tags: payloads before API version 2025-01 carry them, the hub's own among them, which a
    // push cannot tell apart: the next pull brings the customer's own
    if (customer.has("default_address")) {
      JsonNode address = customer.path("default_address");
      if (!address.isObject()) {
        fields.put("address", null); // cleared, with every address.* field
      } else {
        fields.put("address", null);
        Map<String, String> lines = new LinkedHashMap<>();
        for (String field : List.of("address1", "address2", "city", "province", "country", "zip")) {
          lines.put("address." + field, text(address.path(field)));
        }
        lines.put("address.provinceCode", text(address.path("province_code")));
        lines.put("address.countryCode", text(address.path("country_code")));
        lines.put("address.phone", text(address.path("phone")));
        lines.values().removeIf(v -> v == null);
        fields.putAll(lines);
      }
    }
    return fields;
  }

  private static void putIfPresent(
      Map<String, String> fields, JsonNode customer, String from, String to) {
    if (customer.has(from)) {
      fields.put(to, text(customer.path(from)));
    }
  }

  @Override
  public SourceRecord map(String source, Map<String, String> row) {
    return record(source, row);
  }

  @Override
  public List<String> ignoredInDigest() {
    return List.of(UPDATED_AT);
  }

  /** The record a customer row stands for. */
  static SourceRecord record(String source, Map<String, String> row) {
    String id = SourceTable.rowKey(row, "id");
    List<Identifier> ids =
        new Identifiers(source, id, null)
            .add(IdentifierType.MOBILE, row.get("phone"))
            .add(IdentifierType.EMAIL, row.get("email"))
            .list();
    String name = RowText.fullName(row.get("lastName"), row.get("firstName"));
    SourceTable.requireAPerson(name, ids);
    List<Address> addresses = new ArrayList<>();
    Address address =
        new Address(
            RowText.text(row.get("address.province")),
            RowText.text(row.get("address.city")),
            null,
            RowText.join(row.get("address.address1"), row.get("address.address2")));
    if (!address.isEmpty()) {
      addresses.add(address);
    }
    List<Tag> tags = new ArrayList<>();
    tagList(row.get("tags")).forEach(t -> tags.add(new Tag(t, source)));
    // the standardizer reads amounts in yuan; another currency's total stays in the raw record
    String spent =
        "CNY".equals(row.get("amountSpent.currencyCode")) ? row.get("amountSpent.amount") : null;
    PurchaseSummary purchases = new PurchaseSummary(row.get("numberOfOrders"), spent, null, null);
    // in key order: a pulled row and a document merged from pushes hold the same fields in
    // different orders, and the record's content hash must not tell them apart
    Map<String, String> raw = new java.util.TreeMap<>(row);
    raw.remove(UPDATED_AT);
    return new SourceRecord(
        source,
        id,
        null,
        name,
        null,
        null,
        null,
        ids,
        addresses,
        List.of(),
        tags,
        purchases.isEmpty() ? null : purchases,
        RowText.raw(raw));
  }

  /** Tags kept as a JSON array (a tag may hold a comma). */
  static String tagJson(java.util.Collection<String> tags) {
    ArrayNode array = ShopifyClient.JSON.createArrayNode();
    tags.forEach(array::add);
    return array.toString();
  }

  /** A JSON array of tags as a list; empty when {@code json} is blank or not an array. */
  static List<String> tagList(String json) {
    List<String> tags = new ArrayList<>();
    if (RowText.text(json) == null) {
      return tags;
    }
    try {
      for (JsonNode t : ShopifyClient.JSON.readTree(json)) {
        if (RowText.text(t.asString()) != null) {
          tags.add(t.asString());
        }
      }
    } catch (JacksonException e) {
      // not the hub's own format: no tags of its own to leave out
    }
    return tags;
  }

  /** A time as an instant in UTC text, so a pull's and a push's are the same text. */
  static String utc(String time) {
    Instant instant = instant(time);
    return instant == null ? time : instant.toString();
  }

  private static Instant instant(String time) {
    if (time == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(time).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
