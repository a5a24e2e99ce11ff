/**
 * The {@code shopify} connector kind: a shop's customers from the Admin GraphQL API (what changed
 * since the last read, paged by cursor, within Shopify's cost-based rate limit), the shop's
 * customer webhooks verified by their HMAC, and the golden id and tags written back as a metafield
 * and customer tags.
 */
package com.onemember.connectors.shopify;
