/**
 * The {@code woocommerce} kind: a WooCommerce shop's customers through the REST API wc/v3 (a client
 * generated from {@code src/main/openapi/woocommerce-wc-v3.yaml}), its customer webhooks, and the
 * golden id and tags written to each customer's {@code meta_data}.
 */
package com.onemember.connectors.woocommerce;
