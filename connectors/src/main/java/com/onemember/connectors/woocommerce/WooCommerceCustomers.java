package com.onemember.connectors.woocommerce;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.PurchaseSummary;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.ChangesSource;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.Identifiers;
import com.onemember.connectors.frame.RowText;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.woocommerce.api.invoker.ApiException;
import com.onemember.connectors.woocommerce.api.invoker.ApiResponse;
import com.onemember.connectors.woocommerce.api.model.Customer;
import com.onemember.connectors.woocommerce.api.model.CustomerTotals;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A shop's customers through {@code GET /customers}, {@code page-size} at a time in the order of
 * their ids (so that a customer registering during a read lands on a later page, not between pages
 * already read); from a position, only those with {@code modified_after} the position less five
 * minutes, in GMT. WooCommerce documents {@code modified_after} for orders and products; a shop
 * whose customer endpoint ignores it answers every customer, and their digests, unchanged, keep
 * them from being queued again. Either way a position never moves back.
 *
 * <p>Pulled customers and pushed ones ({@link WooCommerceKind#read}) become rows of the same
 * flattened fields. {@code dateModified} is not part of a record (writing the golden id back moves
 * it), and the hub's own meta data is left out.
 */
final class WooCommerceCustomers implements ChangesSource {

  static final String MODIFIED = "dateModified";

  /** A date as WordPress's REST API takes it: to the second, no offset. */
  static final java.time.format.DateTimeFormatter WP_DATE =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  /** How far before its position a read starts again: writes committed late are still found. */
  static final Duration OVERLAP = Duration.ofMinutes(5);

  /** Every field a row can hold, so that a pushed customer clears those it no longer has. */
  static final List<String> FIELDS = fields();

  private static List<String> fields() {
    List<String> fields =
        new ArrayList<>(
            List.of(
                "id",
                "username",
                "email",
                "firstName",
                "lastName",
                "role",
                "dateCreated",
                MODIFIED,
                "isPayingCustomer"));
    for (String prefix : List.of("billing.", "shipping.")) {
      for (String f :
          List.of(
              "firstName",
              "lastName",
              "company",
              "address1",
              "address2",
              "city",
              "state",
              "postcode",
              "country",
              "email",
              "phone")) {
        fields.add(prefix + f);
      }
    }
    return List.copyOf(fields);
  }

  /** Ids per {@code include} request when deletions are checked. */
  private static final int INCLUDE_BATCH = 100;

  static final String ORDERS = "ordersCount";
  static final String SPENT = "totalSpent";

  private final WooCommerceClient client;
  private final int pageSize;
  private final String role;

  /** Whether to ask WooCommerce Analytics for order totals; off once the shop has no Analytics. */
  private boolean totals;

  WooCommerceCustomers(WooCommerceClient client, int pageSize, String role, boolean totals) {
    this.client = client;
    this.pageSize = pageSize;
    this.role = role;
    this.totals = totals;
  }

  @Override
  public Instant readChanges(Instant since, Rows rows) throws SourceUnavailable {
    Instant reached = since;
    String after =
        since == null
            ? null
            // with the seconds always: WordPress refuses a date without them (and
            // LocalDateTime.toString leaves out :00)
            : LocalDateTime.ofInstant(since.minus(OVERLAP), ZoneOffset.UTC).format(WP_DATE);
    int page = 1;
    int pages;
    long lastId = Long.MIN_VALUE;
    do {
      int current = page;
      ApiResponse<List<Customer>> answer =
          client.call(
              "GET /customers page " + current,
              () ->
                  client.customers.listCustomersWithHttpInfo(
                      current,
                      pageSize,
                      "id",
                      "asc",
                      null,
                      role,
                      after,
                      after == null ? null : true));
      pages = WooCommerceClient.header(answer.getHeaders(), "X-WP-TotalPages");
      List<Customer> customers = answer.getData() == null ? List.of() : answer.getData();
      if (!customers.isEmpty() && customers.get(0).getId() != null) {
        // in id order, each page starts past the last: one that does not is the same page
        // again (a cache in front of the shop that ignores page=), which would never end
        if (customers.get(0).getId() <= lastId) {
          throw new SourceUnavailable(
              FailureKind.SOURCE_SYSTEM,
              "WooCommerce 第 "
                  + current
                  + " 页重复了之前的顾客，可能是缓存忽略了 page 参数 / page "
                  + current
                  + " of the customers repeats earlier ones: a cache in front of the shop may"
                  + " ignore the page parameter; exclude /wp-json/ from caching",
              null);
        }
        lastId = customers.get(customers.size() - 1).getId();
      }
      Map<Long, CustomerTotals> spent = totals(customers);
      for (Customer customer : customers) {
        Map<String, String> row = row(customer);
        CustomerTotals t = spent.get(customer.getId());
        if (t != null) {
          row.put(ORDERS, t.getOrdersCount() == null ? null : String.valueOf(t.getOrdersCount()));
          row.put(SPENT, t.getTotalSpend() == null ? null : t.getTotalSpend().toPlainString());
          row.values().removeIf(v -> v == null);
        }
        Instant modified = instant(row.get(MODIFIED));
        if (modified != null && (reached == null || modified.isAfter(reached))) {
          reached = modified;
        }
        rows.accept(row.get("id"), row);
      }
      if (customers.isEmpty()) {
        break; // past the last page, whatever the header said
      }
      if (pages < 0 && customers.size() < pageSize) {
        break; // no X-WP-TotalPages (a proxy dropped it): a short page is the last
      }
      page++;
    } while (pages < 0 || page <= pages);
    return reached;
  }

  /**
   * The orders count and total spent of a page's customers, from WooCommerce Analytics (the wc/v3
   * customer no longer carries them): one request a page. A shop with Analytics switched off has no
   * such route; its customers are then read without purchases.
   */
  private Map<Long, CustomerTotals> totals(List<Customer> customers) throws SourceUnavailable {
    Map<Long, CustomerTotals> byUser = new HashMap<>();
    if (!totals || customers.isEmpty()) {
      return byUser;
    }
    List<Long> users = new ArrayList<>();
    customers.forEach(c -> users.add(c.getId()));
    List<CustomerTotals> found;
    try {
      found =
          client.call(
              "GET /wc-analytics/reports/customers",
              () -> client.analytics.listCustomerTotals(users, 1, Math.min(100, users.size())));
    } catch (SourceUnavailable e) {
      if (e.getCause() instanceof ApiException api && api.getCode() == 404) {
        totals = false; // Analytics is off in this shop
        return byUser;
      }
      throw e;
    }
    if (found != null) {
      found.forEach(
          t -> {
            if (t.getUserId() != null && t.getUserId() > 0) {
              byUser.put(t.getUserId(), t);
            }
          });
    }
    return byUser;
  }

  /**
   * Asks the shop for the customers a complete read did not give, a hundred ids a request: paging
   * by page number skips a customer when one before it is deleted during the read.
   */
  @Override
  public Set<String> stillPresent(Collection<String> keys) throws SourceUnavailable {
    Set<String> present = new HashSet<>();
    List<Long> ids = new ArrayList<>();
    for (String key : keys) {
      try {
        ids.add(Long.parseLong(key));
      } catch (NumberFormatException e) {
        // not a WooCommerce id: nothing the shop could still hold
      }
    }
    for (int from = 0; from < ids.size(); from += INCLUDE_BATCH) {
      List<Long> batch = ids.subList(from, Math.min(ids.size(), from + INCLUDE_BATCH));
      List<Customer> found =
          client.call(
              "GET /customers?include=…",
              () ->
                  client.customers.listCustomers(
                      1, INCLUDE_BATCH, "id", "asc", batch, "all", null, null));
      if (found != null) {
        found.forEach(c -> present.add(String.valueOf(c.getId())));
      }
    }
    return present;
  }

  /** A customer resource as a row: the shared flattened fields, the hub's own meta left out. */
  static Map<String, String> row(Customer customer) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("id", customer.getId() == null ? null : String.valueOf(customer.getId()));
    row.put("username", RowText.text(customer.getUsername()));
    row.put("email", RowText.text(customer.getEmail()));
    row.put("firstName", RowText.text(customer.getFirstName()));
    row.put("lastName", RowText.text(customer.getLastName()));
    row.put("role", RowText.text(customer.getRole()));
    row.put("dateCreated", utc(customer.getDateCreatedGmt()));
    row.put(MODIFIED, utc(customer.getDateModifiedGmt()));
    if (customer.getIsPayingCustomer() != null) {
      row.put("isPayingCustomer", String.valueOf(customer.getIsPayingCustomer()));
    }
    address(row, "billing.", customer.getBilling());
    address(row, "shipping.", customer.getShipping());
    row.values().removeIf(v -> v == null);
    return row;
  }

  private static void address(
      Map<String, String> row,
      String prefix,
      com.onemember.connectors.woocommerce.api.model.Address a) {
    if (a == null) {
      return;
    }
    row.put(prefix + "firstName", RowText.text(a.getFirstName()));
    row.put(prefix + "lastName", RowText.text(a.getLastName()));
    row.put(prefix + "company", RowText.text(a.getCompany()));
    row.put(prefix + "address1", RowText.text(a.getAddress1()));
    row.put(prefix + "address2", RowText.text(a.getAddress2()));
    row.put(prefix + "city", RowText.text(a.getCity()));
    row.put(prefix + "state", RowText.text(a.getState()));
    row.put(prefix + "postcode", RowText.text(a.getPostcode()));
    row.put(prefix + "country", RowText.text(a.getCountry()));
    row.put(prefix + "email", RowText.text(a.getEmail()));
    row.put(prefix + "phone", RowText.text(a.getPhone()));
  }

  @Override
  public SourceRecord map(String source, Map<String, String> row) {
    return record(source, row);
  }

  @Override
  public List<String> ignoredInDigest() {
    return List.of(MODIFIED);
  }

  /**
   * The record a customer row stands for: the account's name, else the billing name; the billing
   * phone (WooCommerce keeps no other); the account's e-mail and a different billing e-mail; the
   * billing address, else the shipping one.
   */
  static SourceRecord record(String source, Map<String, String> row) {
    String id = SourceTable.rowKey(row, "id");
    List<Identifier> ids =
        new Identifiers(source, id, null)
            .add(IdentifierType.MOBILE, row.get("billing.phone"))
            .add(IdentifierType.MOBILE, row.get("shipping.phone"))
            .add(IdentifierType.EMAIL, row.get("email"))
            .add(IdentifierType.EMAIL, row.get("billing.email"))
            .list();
    String name = RowText.fullName(row.get("lastName"), row.get("firstName"));
    if (name == null) {
      name = RowText.fullName(row.get("billing.lastName"), row.get("billing.firstName"));
    }
    SourceTable.requireAPerson(name, ids);
    List<Address> addresses = new ArrayList<>();
    for (String prefix : List.of("billing.", "shipping.")) {
      Address address =
          new Address(
              ChinaStates.name(row.get(prefix + "country"), row.get(prefix + "state")),
              RowText.text(row.get(prefix + "city")),
              null,
              RowText.join(row.get(prefix + "address1"), row.get(prefix + "address2")));
      if (!address.isEmpty() && !addresses.contains(address)) {
        addresses.add(address);
      }
    }
    // the standardizer reads amounts in yuan: the shop's currency must be CNY (see README)
    PurchaseSummary purchases = new PurchaseSummary(row.get(ORDERS), row.get(SPENT), null, null);
    // in key order: a pulled row and a pushed one hold the same fields, maybe in other orders
    Map<String, String> raw = new TreeMap<>(row);
    raw.remove(MODIFIED);
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
        List.of(),
        purchases.isEmpty() ? null : purchases,
        RowText.raw(raw));
  }

  /** A GMT time as WooCommerce gives it ({@code 2026-12-06T08:00:00}) as an instant's text. */
  static String utc(String gmt) {
    Instant instant = instant(gmt);
    return instant == null ? RowText.text(gmt) : instant.toString();
  }

  private static Instant instant(String time) {
    if (time == null || time.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDateTime.parse(time).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }
}
