/**
 * The transactional outbox of golden-record changes: every change of a member writes one event in
 * the same transaction ({@link com.onemember.mdm.outbox.GoldenEvents#record}); after commit the
 * events get positions in a single, gap-free order, which the change feed pages through and the
 * relay publishes to Artemis in. An event id is each consumer's idempotency key.
 */
package com.onemember.mdm.outbox;
