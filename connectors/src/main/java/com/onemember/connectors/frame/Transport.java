package com.onemember.connectors.frame;

/** How a kind reaches its system; each transport has one Camel route template in the hub. */
public enum Transport {
  /** Reads the system's database on a schedule (a POS on PostgreSQL, MySQL or MariaDB). */
  JDBC_POLLING,
  /** Pages through the system's HTTP API on a schedule (Pospal, Shopify, WooCommerce, Youzan). */
  HTTP_PAGES,
  /** Receives the system's pushes at {@code /hooks/<connector-id>}. */
  WEBHOOK
}
