package com.onemember.mdm.matching;

import java.util.List;
import java.util.UUID;

/**
 * What the matcher decided for an incoming record, with the evidence an auditor or steward reads to
 * understand it.
 */
public sealed interface MatchDecision permits MatchDecision.NewMember, MatchDecision.Join {

  /** Why the decision was taken, one line per fact, e.g. "same MOBILE 13812345678". */
  List<String> evidence();

  /** No member fits: the record starts a new golden member. */
  record NewMember(List<String> evidence) implements MatchDecision {}

  /**
   * The record belongs to {@code memberId}; the members in {@code absorbed} turned out to be the
   * same person (the record links them) and are merged into it.
   */
  record Join(UUID memberId, List<UUID> absorbed, List<String> evidence) implements MatchDecision {}
}
