package com.onemember.mdm.bench.generator;

import com.onemember.canonical.SourceRecord;

/**
 * A generated source record with its ground truth.
 *
 * @param person the true person; records with the same person are the same human
 * @param household the household whose members share a mobile number; {@code null} for people who
 *     live alone, as far as the data shows
 * @param shape the kind of system the record comes from
 * @param record the record as that system's connector would deliver it
 */
public record GeneratedRecord(
    String person, String household, SourceShape shape, SourceRecord record) {}
