package com.onemember.canonical;

/**
 * What a source system knows of a customer's purchases, as it wrote it (订单数 5, 累计消费 ¥1,280.50, 最近消费
 * 2026-10-02 19:30): the standardizer reads the numbers and times. Tag rules work on the totals
 * over all of a member's source records.
 *
 * @param orders the number of orders in that system
 * @param spent the total spent there, in yuan, as written (¥, 元 and thousands separators allowed)
 * @param lastPurchaseAt when the customer last bought there
 * @param store the store the customer belongs to or last bought at
 */
public record PurchaseSummary(String orders, String spent, String lastPurchaseAt, String store) {

  public boolean isEmpty() {
    return blank(orders) && blank(spent) && blank(lastPurchaseAt) && blank(store);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
