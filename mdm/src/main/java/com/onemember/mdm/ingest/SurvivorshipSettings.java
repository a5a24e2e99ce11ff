package com.onemember.mdm.ingest;

import com.onemember.mdm.golden.GoldenAttribute;
import com.onemember.mdm.golden.SurvivorshipRule;
import com.onemember.mdm.golden.SurvivorshipRules;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code onemember.survivorship.*}, shipped in {@code config/mdm/survivorship.yaml}. Read once at
 * start-up; a mistake stops the hub with a message naming it rather than surviving by a rule nobody
 * wrote.
 *
 * @param sourceTrust source name patterns with their trust, the first match counting
 * @param defaultTrust the trust of a source no pattern names
 * @param attributes per attribute ({@code name}, {@code gender}, {@code birthday}), its rules in
 *     order ({@code SOURCE_TRUST}, {@code MOST_RECENT}, {@code MOST_FREQUENT}, {@code
 *     MOST_COMPLETE}); an attribute not listed keeps the shipped chain
 */
@ConfigurationProperties("onemember.survivorship")
public record SurvivorshipSettings(
    List<SurvivorshipRules.SourceTrust> sourceTrust,
    @DefaultValue("50") int defaultTrust,
    Map<String, List<String>> attributes) {

  public SurvivorshipSettings {
    sourceTrust = sourceTrust == null ? List.of() : List.copyOf(sourceTrust);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** The settings as rules, or an {@link IllegalArgumentException} naming what is wrong. */
  public SurvivorshipRules rules() {
    for (SurvivorshipRules.SourceTrust t : sourceTrust) {
      if (t.source() == null || t.source().isBlank()) {
        throw new IllegalArgumentException(
            "survivorship.yaml: source-trust 中有一项缺少 source / an entry of source-trust has no"
                + " source");
      }
    }
    Map<GoldenAttribute, List<SurvivorshipRule>> chains = new EnumMap<>(GoldenAttribute.class);
    attributes.forEach(
        (name, rules) ->
            chains.put(attribute(name), rules.stream().map(r -> rule(name, r)).toList()));
    return new SurvivorshipRules(sourceTrust, defaultTrust, chains);
  }

  private static GoldenAttribute attribute(String name) {
    try {
      return GoldenAttribute.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "survivorship.yaml: 未知属性 '%s'，可用：%s / unknown attribute '%s'; known: %s"
              .formatted(name, known(), name, known()),
          e);
    }
  }

  private static SurvivorshipRule rule(String attribute, String rule) {
    try {
      return SurvivorshipRule.valueOf(rule.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "survivorship.yaml: 属性 %s 的未知规则 '%s'，可用：%s / unknown rule '%s' for %s; known: %s"
              .formatted(
                  attribute,
                  rule,
                  Arrays.toString(SurvivorshipRule.values()),
                  rule,
                  attribute,
                  Arrays.toString(SurvivorshipRule.values())),
          e);
    }
  }

  private static String known() {
    return Arrays.stream(GoldenAttribute.values()).map(GoldenAttribute::key).toList().toString();
  }
}
