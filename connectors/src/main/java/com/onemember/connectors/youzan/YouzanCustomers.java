package com.onemember.connectors.youzan;

import static com.onemember.connectors.frame.JsonDocuments.text;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.PurchaseSummary;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.Identifiers;
import com.onemember.connectors.frame.RowText;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A shop's customers through {@code youzan.scrm.customer.list} 1.0.0, read whole on each sync:
 * Youzan's list has no modified-since filter (changes come as push messages, and this read is the
 * reconciliation that catches what they missed).
 *
 * <p>The list gives at most 10,000 customers per query (a page past that is refused), newest first.
 * So the read cuts the time before it began into windows of creation time, halving a window until
 * it holds at most 10,000 customers, and reads each window's pages. Customers who register during
 * the read fall in no window and are read next time (or pushed meanwhile). A customer deleted while
 * a window is read shifts the later pages by one, so a complete read asks for the customers it did
 * not find by id before they are taken for deleted ({@link #stillPresent}).
 *
 * <p>The time filter is sent in epoch milliseconds, as Youzan's API description gives it; the
 * halving does not depend on the unit.
 */
final class YouzanCustomers implements SnapshotSource {

  static final String LIST = "youzan.scrm.customer.list";
  static final String BY_ID = "youzan.scrm.customer.list.yzopenid";
  static final String DETAIL = "youzan.scrm.customer.detail.get";

  /**
   * Youzan's answers to a detail request for a customer it does not hold (gone since the list was
   * read, or no longer the shop's): the row is kept as listed.
   */
  static final Set<Long> NOT_A_CUSTOMER = Set.of(141001107L, 144100000L, 144100001L, 141502108L);

  /** The fields of a customer's detail the record takes, beside the listed ones. */
  static final List<String> DETAIL_FIELDS =
      List.of("total_trade_amount", "trade_count", "last_trade_at", "birthday");

  /** The most customers one list query gives. */
  static final int LIST_CAP = 10_000;

  /** The largest page. */
  static final int MAX_PAGE = 50;

  private final YouzanClient client;
  private final int pageSize;
  private final Clock clock;

  /** Ask each new or changed customer's detail for the amount spent. */
  private final boolean details;

  YouzanCustomers(YouzanClient client, int pageSize, boolean details, Clock clock) {
    this.client = client;
    this.pageSize = Math.min(pageSize, MAX_PAGE);
    this.details = details;
    this.clock = clock;
  }

  private record Window(long start, long end) {}

  @Override
  public void readAll(Rows rows) throws SourceUnavailable {
    Deque<Window> windows = new ArrayDeque<>();
    windows.push(new Window(0, clock.millis()));
    while (!windows.isEmpty()) {
      Window w = windows.pop();
      JsonNode first = page(w, 1);
      long total = first.path("total").asLong(0);
      // what a window's pages can reach: page_no * page_size may not pass the cap, and a total of
      // the cap itself may be the cap, not the count
      if (total >= LIST_CAP - LIST_CAP % pageSize) {
        if (w.end() - w.start() < 1) {
          throw new SourceUnavailable(
              FailureKind.SOURCE_SYSTEM,
              "有赞在同一时刻创建了 "
                  + total
                  + " 位客户，超过列表上限 10000，无法全部读取 / Youzan holds "
                  + total
                  + " customers created at one instant ("
                  + Instant.ofEpochMilli(w.start())
                  + "), more than one list can give (10,000): the read cannot be complete",
              null);
        }
        long middle = w.start() + (w.end() - w.start()) / 2;
        // the newer half first: the list is newest first, and so is the read
        windows.push(new Window(w.start(), middle));
        windows.push(new Window(middle + 1, w.end()));
        continue;
      }
      accept(first, rows);
      long pages = (total + pageSize - 1) / pageSize;
      for (int p = 2; p <= pages; p++) {
        if (!accept(page(w, p), rows)) {
          break; // fewer than counted: customers deleted during the read
        }
      }
    }
  }

  private JsonNode page(Window w, int pageNo) throws SourceUnavailable {
    ObjectNode body = YouzanClient.JSON.createObjectNode();
    body.put("page_no", pageNo);
    body.put("page_size", pageSize);
    body.put("created_at_start", w.start());
    body.put("created_at_end", w.end());
    return client.call(LIST, "1.0.0", body);
  }

  /** The page's customers into {@code rows}; false when the page held none. */
  private static boolean accept(JsonNode page, Rows rows) {
    JsonNode list = page.path("record_list");
    for (JsonNode customer : list) {
      Map<String, String> row = row(customer);
      rows.accept(row.get("yz_open_id"), row);
    }
    return !list.isEmpty();
  }

  /** Of the customers a complete read did not find, those Youzan still holds, 50 ids a request. */
  @Override
  public Set<String> stillPresent(Collection<String> keys) throws SourceUnavailable {
    Set<String> present = new HashSet<>();
    List<String> ids = new ArrayList<>(keys);
    for (int from = 0; from < ids.size(); from += MAX_PAGE) {
      ObjectNode body = YouzanClient.JSON.createObjectNode();
      ArrayNode batch = body.putArray("yz_open_ids");
      ids.subList(from, Math.min(ids.size(), from + MAX_PAGE)).forEach(batch::add);
      JsonNode found = client.call(BY_ID, "1.0.0", body);
      if (found == null || !found.isArray()) {
        // not the list expected: nothing may be taken for deleted on it
        throw new SourceUnavailable(
            FailureKind.SOURCE_SYSTEM,
            "有赞按 id 查询客户的回答不是列表 / Youzan's answer to " + BY_ID + " is not a list: " + found,
            null);
      }
      for (JsonNode customer : found) {
        String id = text(customer.path("yz_open_id"));
        if (id != null) {
          present.add(id);
        }
      }
    }
    return present;
  }

  /**
   * The listed row with what only {@code youzan.scrm.customer.detail.get} 1.0.1 gives: the amount
   * spent ({@code total_trade_amount}, in fen), the last purchase ({@code last_trade_at}) and the
   * birthday, which the list leaves out and the record needs for tag rules such as 忠实客户. One
   * request per customer, so it is asked only for a customer the list shows new or changed (a
   * purchase moves {@code trade_count}); a refund that changes nothing listed is seen at the
   * customer's next listed change.
   */
  @Override
  public Map<String, String> detail(String key, Map<String, String> row) throws SourceUnavailable {
    if (!details) {
      return row;
    }
    ObjectNode body = YouzanClient.JSON.createObjectNode();
    body.put("yz_open_id", key);
    body.put("fields", "user_base,behavior");
    // the extension point runs the shop's own customisations on every detail read
    body.put("is_do_ext_point", false);
    JsonNode data = client.call(DETAIL, "1.0.1", body, NOT_A_CUSTOMER);
    if (data == null || !data.isObject()) {
      return row;
    }
    Map<String, String> detailed = new LinkedHashMap<>(row);
    for (String field : DETAIL_FIELDS) {
      String value = text(data.path(field));
      if (value != null) {
        detailed.put(field, value);
      }
    }
    return detailed;
  }

  /** A listed customer as a row of text fields, under Youzan's own names. */
  static Map<String, String> row(JsonNode customer) {
    Map<String, String> row = new LinkedHashMap<>();
    for (String field :
        List.of(
            "yz_open_id",
            "name",
            "show_name",
            "mobile",
            "gender",
            "is_member",
            "trade_count",
            "points",
            "created_at",
            "created_member_at")) {
      String value = text(customer.path(field));
      if (value != null) {
        row.put(field, value);
      }
    }
    return row;
  }

  @Override
  public SourceRecord map(String source, Map<String, String> row) {
    return record(source, row);
  }

  /**
   * The record a customer row (or a document merged from pushes) stands for: the name, else the
   * shown name unless that is only the phone number Youzan shows for a customer without a name; the
   * mobile; gender 1 男, 2 女; the trade count, the amount spent and the last purchase as purchases
   * (the amount and the last purchase from the customer's detail).
   */
  static SourceRecord record(String source, Map<String, String> row) {
    String id = SourceTable.rowKey(row, "yz_open_id");
    String mobile = row.get("mobile");
    List<Identifier> ids =
        new Identifiers(source, id, null).add(IdentifierType.MOBILE, mobile).list();
    String name = RowText.text(row.get("name"));
    if (name == null) {
      String shown = RowText.text(row.get("show_name"));
      if (shown != null && !shown.equals(RowText.text(mobile)) && !shown.matches("[0-9*+ ]+")) {
        name = shown;
      }
    }
    SourceTable.requireAPerson(name, ids);
    String gender =
        switch (String.valueOf(row.get("gender"))) {
          case "1" -> "男";
          case "2" -> "女";
          default -> null;
        };
    String birthday = RowText.text(row.get("birthday"));
    PurchaseSummary purchases =
        new PurchaseSummary(
            row.get("trade_count"),
            yuan(row.get("total_trade_amount")),
            instant(row.get("last_trade_at")),
            null);
    Map<String, String> raw = new TreeMap<>(row);
    raw.remove(YouzanKind.VERSION); // a push's message version, not the customer's
    return new SourceRecord(
        source,
        id,
        null,
        name,
        null,
        gender,
        birthday,
        ids,
        List.of(),
        List.of(),
        List.of(),
        purchases.isEmpty() ? null : purchases,
        RowText.raw(raw));
  }

  /** An amount in fen (Youzan's unit for money) as yuan; anything else as it was, to be refused. */
  static String yuan(String fen) {
    if (fen == null || !fen.matches("-?\\d{1,17}")) {
      return fen;
    }
    return new BigDecimal(fen).movePointLeft(2).toPlainString();
  }

  /**
   * A time Youzan gives as a Unix time, in seconds or in milliseconds (its documents say seconds
   * and show milliseconds), as an ISO instant; 0 is none.
   */
  static String instant(String unix) {
    if (unix == null || !unix.matches("\\d{1,15}")) {
      return unix;
    }
    long n = Long.parseLong(unix);
    if (n == 0) {
      return null;
    }
    return (unix.length() >= 12 ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n)).toString();
  }
}
