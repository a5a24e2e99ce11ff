package com.onemember.mdm.golden;

/**
 * One way of choosing a golden value among the values the sources give. A chain of rules is applied
 * in order, each keeping only the best candidates by its own measure, until one value is left.
 */
public enum SurvivorshipRule {
  /** The value from the most trusted source ({@code source-trust} in survivorship.yaml). */
  SOURCE_TRUST,
  /**
   * The value the source changed last, by the time the source itself gives; a record whose source
   * gives no time counts from when the hub received it. Never by the order records arrived in.
   */
  MOST_RECENT,
  /** The value most source records give. */
  MOST_FREQUENT,
  /**
   * The fullest value: a whole Chinese name over a romanised one over a title such as 李女士, a
   * birthday with its year over one without, a gender the source states over one read from a title.
   */
  MOST_COMPLETE
}
