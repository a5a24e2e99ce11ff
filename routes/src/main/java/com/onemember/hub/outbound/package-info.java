/**
 * Golden-record changes out to the systems that consume them: the relay that publishes the outbox
 * to the Artemis multicast address {@code onemember.golden.changed}, one durable subscription per
 * consuming system with its outbound route (ready made: signed webhooks, with retries, dead letters
 * and replay), echo suppression, and the change feed.
 */
package com.onemember.hub.outbound;
