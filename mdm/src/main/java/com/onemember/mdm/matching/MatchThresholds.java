package com.onemember.mdm.matching;

/**
 * Match probabilities that divide the decisions: at or above {@code merge} a record joins a member
 * (if it fits the member as a whole), at or above {@code review} the pair goes to a data steward,
 * below it the record does not concern that member.
 */
public record MatchThresholds(double merge, double review) {

  public MatchThresholds {
    if (!(review > 0 && review <= merge && merge < 1)) {
      throw new IllegalArgumentException(
          "thresholds must satisfy 0 < review ≤ merge < 1, got review "
              + review
              + " and merge "
              + merge);
    }
  }

  public static MatchThresholds defaults() {
    return new MatchThresholds(0.95, 0.5);
  }
}
