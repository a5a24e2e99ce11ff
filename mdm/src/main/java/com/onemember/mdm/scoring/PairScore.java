package com.onemember.mdm.scoring;

import java.util.List;

/**
 * The score of a pair of records with its explanation.
 *
 * @param weight total match weight in bits: the prior's log-odds plus every attribute's weight
 * @param probability the match probability that weight stands for, 1 / (1 + 2^-weight)
 * @param breakdown one entry per comparison, in model order
 * @param rule the hard rule that settled the pair, overriding the weight; {@code null} if none
 */
public record PairScore(
    double weight, double probability, List<AttributeEvidence> breakdown, HardRule rule) {

  static double probability(double weight) {
    return 1.0 / (1.0 + Math.pow(2, -weight));
  }
}
