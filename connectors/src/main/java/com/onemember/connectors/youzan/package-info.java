/**
 * The {@code youzan} kind (有赞): a Youzan shop's customers through the Youzan Cloud open API (a
 * token from {@code /auth/token}, customer lists read in windows of creation time), its customer
 * push messages verified by {@code Event-Sign}, and the member's golden tags written back as
 * customer tags.
 */
package com.onemember.connectors.youzan;
