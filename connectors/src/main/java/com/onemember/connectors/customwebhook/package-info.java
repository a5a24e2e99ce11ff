/**
 * A retailer's own system pushing members to {@code /hooks/<connector-id>}, signed with the hub's
 * own webhook scheme (HMAC-SHA256 of timestamp and body).
 */
package com.onemember.connectors.customwebhook;
