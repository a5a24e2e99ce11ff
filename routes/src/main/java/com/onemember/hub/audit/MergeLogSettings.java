package com.onemember.hub.audit;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code onemember.merge-log.*}: where the merge log is anchored outside its database.
 *
 * @param checkpointPeriod how often the chain's head is signed into the checkpoint file (only when
 *     it moved)
 * @param checkpointFile the signed checkpoints, one JSON line each; keep it off the database's
 *     disk, or copy it elsewhere, so that whoever can change the database cannot change both
 * @param keyFile the signing key, generated at first start (owner-only); unused when {@code key} is
 *     given
 * @param key the signing key from the environment ({@code ONEMEMBER_MERGE_LOG_KEY}), in the key
 *     file's format: what hubs sharing one database must share
 */
@Validated
@ConfigurationProperties("onemember.merge-log")
public record MergeLogSettings(
    @NotNull Duration checkpointPeriod,
    @NotNull Path checkpointFile,
    @NotNull Path keyFile,
    String key) {}
