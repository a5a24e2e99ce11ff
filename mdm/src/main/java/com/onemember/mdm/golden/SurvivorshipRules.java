package com.onemember.mdm.golden;

import com.onemember.canonical.SourceNames;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What survivorship.yaml says: how far each source is trusted and, per single-valued attribute, the
 * chain of rules that picks its golden value. Identifiers, addresses, consents and tags are always
 * unions and need no rules.
 *
 * @param sourceTrust source name patterns ({@code *} matches any characters) with their trust; the
 *     first pattern a source matches counts
 * @param defaultTrust the trust of a source no pattern matches, such as a store's first sheet
 * @param chains per attribute, the rules in the order they are applied
 */
public record SurvivorshipRules(
    List<SourceTrust> sourceTrust,
    int defaultTrust,
    Map<GoldenAttribute, List<SurvivorshipRule>> chains) {

  /** Trust of the sources matching {@code source}, a name or a pattern such as {@code pos-*}. */
  public record SourceTrust(String source, int trust) {

    boolean matches(String name) {
      return SourceNames.matches(source, name);
    }
  }

  public SurvivorshipRules {
    sourceTrust = List.copyOf(sourceTrust);
    EnumMap<GoldenAttribute, List<SurvivorshipRule>> all = new EnumMap<>(GoldenAttribute.class);
    for (GoldenAttribute a : GoldenAttribute.values()) {
      List<SurvivorshipRule> chain = chains.get(a);
      all.put(a, chain == null || chain.isEmpty() ? DEFAULT_CHAINS.get(a) : List.copyOf(chain));
    }
    chains = Map.copyOf(all);
  }

  /**
   * The rules the hub ships with (config/mdm/survivorship.yaml says the same): completeness first,
   * so that a newer 李女士 never replaces 李娜, then trust, then the source's time.
   */
  public static final Map<GoldenAttribute, List<SurvivorshipRule>> DEFAULT_CHAINS =
      Map.of(
          GoldenAttribute.NAME,
          List.of(
              SurvivorshipRule.MOST_COMPLETE,
              SurvivorshipRule.SOURCE_TRUST,
              SurvivorshipRule.MOST_RECENT),
          GoldenAttribute.GENDER,
          List.of(
              SurvivorshipRule.MOST_COMPLETE,
              SurvivorshipRule.SOURCE_TRUST,
              SurvivorshipRule.MOST_RECENT),
          GoldenAttribute.BIRTHDAY,
          List.of(
              SurvivorshipRule.MOST_COMPLETE,
              SurvivorshipRule.SOURCE_TRUST,
              SurvivorshipRule.MOST_FREQUENT,
              SurvivorshipRule.MOST_RECENT));

  /** Every source equally trusted, the default chains. */
  public static SurvivorshipRules defaults() {
    return new SurvivorshipRules(List.of(), 50, Map.of());
  }

  public int trustOf(String source) {
    for (SourceTrust t : sourceTrust) {
      if (t.matches(source)) {
        return t.trust();
      }
    }
    return defaultTrust;
  }

  public List<SurvivorshipRule> chain(GoldenAttribute attribute) {
    return chains.get(attribute);
  }
}
