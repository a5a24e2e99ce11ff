package com.onemember.mdm.matching;

import java.util.List;
import java.util.UUID;

/**
 * Where an incoming record goes, and why: one assessment per candidate member, the blocks that were
 * too large to search, and the pairs a steward should review.
 *
 * @param memberId the member the record joins; {@code null} when it starts a new one
 * @param absorbed other members the record showed to be the same person, merged into {@code
 *     memberId}
 * @param reason one line for the merge log, e.g. "score 0.998 ≥ merge 0.95" or "no candidate"
 * @param skippedKeys blocking keys shared by too many records to compare, reported not followed
 * @param model the version of the match model and thresholds that decided ({@link
 *     MemberMatcher#version()}), so that an auditor can tell which weights stand behind a merge
 */
public record MemberDecision(
    String model,
    UUID memberId,
    List<UUID> absorbed,
    String reason,
    List<Assessment> assessments,
    List<String> skippedKeys) {

  public MemberDecision {
    absorbed = List.copyOf(absorbed);
    assessments = List.copyOf(assessments);
    skippedKeys = List.copyOf(skippedKeys);
  }

  public boolean merges() {
    return memberId != null;
  }

  /** The candidates a steward should compare with the record. */
  public List<Assessment> reviews() {
    return assessments.stream().filter(a -> a.verdict().needsReview()).toList();
  }
}
