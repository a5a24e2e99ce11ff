/**
 * The ingest route: consumes source records from the Artemis queue {@code onemember.inbound}
 * (competing consumers, transacted) and hands each to the MDM ingest; records that fail after
 * redelivery are settled as failed on their import row and parked in {@code DLQ.onemember.inbound}.
 */
package com.onemember.hub.ingest;
