package com.onemember.canonical;

import java.time.Instant;

/**
 * One source record behind a golden value.
 *
 * @param sourceUpdatedAt when the source says it last changed the record; {@code null} if it does
 *     not say, in which case survivorship went by {@code receivedAt}
 * @param receivedAt when the hub accepted the record
 */
public record LineageSource(
    String source, String sourceRecordId, Instant sourceUpdatedAt, Instant receivedAt) {}
