package com.onemember.mdm.matchmodels;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code onemember.match.*}, shipped in {@code config/mdm/match.yaml}.
 *
 * @param mergeProbability a record joins a member at or above this match probability
 * @param reviewProbability pairs at or above this (and below merge) go to a data steward
 * @param blockCap records sharing one blocking key beyond which the key is skipped and reported
 * @param maxCandidates members compared per incoming record, most shared keys first
 * @param model where the shipped model is read from, activated on a hub's first start
 * @param trainMinRecords stored records a training needs at least (fewer give no usable estimate)
 * @param trainMaxRecords most recent records a training reads at most
 * @param dryRunMaxRecords most recent records a model's dry run replays at most
 * @param followActivations how often the hub looks for an activation made on another hub sharing
 *     its database, and switches to that model
 * @param overrides per comparison (e.g. MOBILE) and level name (e.g. "a number in common"), an
 *     operator's m and u instead of the estimated ones
 */
@ConfigurationProperties("onemember.match")
public record MatchSettings(
    @DefaultValue("0.95") double mergeProbability,
    @DefaultValue("0.5") double reviewProbability,
    @DefaultValue("200") int blockCap,
    @DefaultValue("50") int maxCandidates,
    @DefaultValue("classpath:mdm/match-model.tsv") String model,
    @DefaultValue("1000") int trainMinRecords,
    @DefaultValue("200000") int trainMaxRecords,
    @DefaultValue("200000") int dryRunMaxRecords,
    @DefaultValue("5s") java.time.Duration followActivations,
    Map<String, Map<String, LevelOverride>> overrides) {

  public MatchSettings {
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
  }

  /** An operator's m and u for one level. */
  public record LevelOverride(double m, double u) {}
}
