package com.onemember.canonical;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A member's purchases over all its source records: the orders and amounts each system reported,
 * added up, the latest purchase anywhere, and the stores.
 *
 * @param orders orders across all systems
 * @param spent yuan across all systems
 * @param lastPurchaseAt the latest purchase in any system; {@code null} if none says
 * @param stores every store a source names, in order of first mention
 */
public record Purchases(int orders, BigDecimal spent, Instant lastPurchaseAt, List<String> stores) {

  public Purchases {
    spent = spent == null ? BigDecimal.ZERO : spent;
    stores = stores == null ? List.of() : List.copyOf(stores);
  }
}
