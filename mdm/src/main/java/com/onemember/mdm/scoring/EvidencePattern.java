package com.onemember.mdm.scoring;

import java.util.List;

/**
 * The evidence pattern of a pair: the level each attribute reached, leaving out those one side
 * lacks, in model order, e.g. {@code MOBILE=a number in common; SURNAME=same;
 * GIVEN_NAME=different}. Pairs with the same pattern carry the same kind of evidence, whatever the
 * values: a steward settles a pattern at once, and a model's calibration is read pattern by
 * pattern. The SQL of V23__match_models.sql builds the same text from stored breakdowns; keep the
 * two alike.
 */
public final class EvidencePattern {

  /** The pattern of a pair with no attribute compared on both sides. */
  public static final String NOTHING_COMPARED = "nothing compared";

  private EvidencePattern() {}

  public static String of(List<AttributeEvidence> breakdown) {
    StringBuilder sb = new StringBuilder();
    for (AttributeEvidence e : breakdown) {
      if (e.level().equals("missing")) {
        continue;
      }
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(e.comparison().name()).append('=').append(e.level());
    }
    return sb.isEmpty() ? NOTHING_COMPARED : sb.toString();
  }
}
