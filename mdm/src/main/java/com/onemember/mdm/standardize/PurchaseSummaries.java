package com.onemember.mdm.standardize;

import com.onemember.canonical.PurchaseSummary;
import com.onemember.canonical.Purchases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads what a source says of a customer's purchases: 5 / 5次 / 5 单 orders, ¥1,280.50 / 1280.5元 /
 * RMB 1280.50 spent, 2026-10-02 19:30 / 2026/10/2 / 2026年10月2日 last purchased (China time when no
 * offset is given). A value that cannot be read refuses the record: a tag rule must not count on a
 * guessed amount.
 */
public final class PurchaseSummaries {

  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  private static final Pattern ORDERS = Pattern.compile("(\\d{1,7})\\s*(次|单|笔|个)?");
  private static final Pattern AMOUNT =
      Pattern.compile("(?:¥|￥|RMB|CNY)?\\s*(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d{1,2})?\\s*(元)?");
  private static final DateTimeFormatter[] DATE_TIMES = {
    DateTimeFormatter.ofPattern("yyyy-M-d H:mm:ss"), DateTimeFormatter.ofPattern("yyyy-M-d H:mm")
  };
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-M-d");

  private PurchaseSummaries() {}

  /** {@code null} for no summary. */
  public static Parsed<Purchases> standardize(PurchaseSummary summary) {
    if (summary == null || summary.isEmpty()) {
      return null;
    }
    List<Problem> problems = new ArrayList<>();
    int orders = 0;
    String ordersText = Text.clean(summary.orders());
    if (ordersText != null) {
      var m = ORDERS.matcher(ordersText);
      if (m.matches()) {
        orders = Integer.parseInt(m.group(1));
      } else {
        problems.add(
            new Problem(
                "orders",
                "订单数"
                    + Text.quote(ordersText)
                    + "不是非负整数 / the order count "
                    + Text.quote(ordersText)
                    + " is not a whole number of 0 or more."));
      }
    }
    BigDecimal spent = BigDecimal.ZERO;
    String spentText = Text.clean(summary.spent());
    if (spentText != null) {
      var m = AMOUNT.matcher(spentText.toUpperCase(java.util.Locale.ROOT));
      if (m.matches()) {
        spent =
            new BigDecimal(m.group(1).replace(",", "") + (m.group(2) == null ? "" : m.group(2)));
      } else {
        problems.add(
            new Problem(
                "spent",
                "消费金额"
                    + Text.quote(spentText)
                    + "不是金额（如 1280.50 或 ¥1,280.50）/ the amount spent "
                    + Text.quote(spentText)
                    + " is not an amount such as 1280.50 or ¥1,280.50."));
      }
    }
    Instant last = null;
    String lastText = Text.clean(summary.lastPurchaseAt());
    if (lastText != null) {
      last = time(lastText);
      if (last == null) {
        problems.add(
            new Problem(
                "lastPurchaseAt",
                "最近消费时间"
                    + Text.quote(lastText)
                    + "不是日期时间（如 2026-10-02 19:30）/ the last purchase"
                    + " time "
                    + Text.quote(lastText)
                    + " is not a date or time such as 2026-10-02 19:30."));
      }
    }
    if (!problems.isEmpty()) {
      return new Parsed.Refused<>(
          new Problem(
              "purchases", String.join("; ", problems.stream().map(Problem::message).toList())));
    }
    String store = Text.clean(summary.store());
    return Parsed.ok(
        new Purchases(orders, spent, last, store == null ? List.of() : List.of(store)));
  }

  private static Instant time(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      // no offset: China time
    }
    String local =
        text.replace('/', '-')
            .replace('.', '-')
            .replace("年", "-")
            .replace("月", "-")
            .replace("日", "")
            .replace('T', ' ')
            .trim();
    for (DateTimeFormatter f : DATE_TIMES) {
      try {
        return LocalDateTime.parse(local, f).atZone(CHINA).toInstant();
      } catch (DateTimeParseException e) {
        // next layout
      }
    }
    try {
      return LocalDate.parse(local, DATE).atStartOfDay(CHINA).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
