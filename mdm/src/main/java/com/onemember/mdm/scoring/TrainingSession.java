package com.onemember.mdm.scoring;

import java.util.List;
import java.util.Set;

/**
 * Pairs that agree on some attributes by construction (they share a phone, or a name), used to
 * estimate the m probabilities of the other attributes. The attributes they were chosen by say
 * nothing about whether a pair in the session matches, so training leaves them out.
 *
 * @param blockedOn the comparisons the pairs agree on by construction
 * @param pairs index pairs into the training records
 */
public record TrainingSession(String name, Set<Comparison> blockedOn, List<int[]> pairs) {

  public TrainingSession {
    blockedOn = Set.copyOf(blockedOn);
    pairs = List.copyOf(pairs);
  }
}
