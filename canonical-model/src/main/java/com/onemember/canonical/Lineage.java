package com.onemember.canonical;

import java.util.List;

/**
 * Where one golden value came from and why it won: the answer an auditor or data steward gets to
 * "why does the hub say this?".
 *
 * @param attribute the golden attribute: {@code name}, {@code gender}, {@code birthday}, {@code
 *     identifiers}, {@code addresses}, {@code consents} or {@code tags}
 * @param value the value as shown in the golden record (for list attributes, one element)
 * @param rule the survivorship rule that decided: {@code SOURCE_TRUST}, {@code MOST_RECENT}, {@code
 *     MOST_FREQUENT}, {@code MOST_COMPLETE}, {@code AGREED} (no source says otherwise), {@code
 *     TIE_BREAK}, {@code UNION} or {@code LATEST_CONSENT}
 * @param reason the decision in words, Chinese and English
 * @param sources the source records giving this value; the one it was taken from first
 */
public record Lineage(
    String attribute, String value, String rule, String reason, List<LineageSource> sources) {

  public Lineage {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }
}
