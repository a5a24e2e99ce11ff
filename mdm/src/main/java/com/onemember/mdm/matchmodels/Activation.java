package com.onemember.mdm.matchmodels;

import java.time.Instant;

/**
 * A person (or the hub's first start, as {@code system}) made a model the one that decides.
 *
 * @param previousVersion the model active before; {@code null} for the first
 * @param impact the dry run that preceded it, as JSON; {@code null} when there was nothing to
 *     compare with (the first start)
 * @param mergeLogSeq the merge-log entry that records it
 */
public record Activation(
    long id,
    String version,
    String previousVersion,
    Instant activatedAt,
    String activatedBy,
    String reason,
    String impact,
    Long mergeLogSeq) {}
