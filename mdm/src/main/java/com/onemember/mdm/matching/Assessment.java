package com.onemember.mdm.matching;

import com.onemember.mdm.scoring.AttributeEvidence;
import java.util.List;
import java.util.UUID;

/**
 * How an incoming record compares with one candidate member: its best pair among the member's
 * records with the per-attribute breakdown, and how it fits the member's records as a whole. This
 * is the explanation an auditor or steward reads.
 *
 * @param bestRecord the member's record (source:sourceRecordId) that fits best
 * @param probability match probability of the best pair
 * @param weight its weight in bits (prior included)
 * @param meanEvidence mean evidence in bits (weight less prior, capped at ±50) against all the
 *     member's records: below 0 the record contradicts the member as a whole
 * @param breakdown per attribute, the best pair's level and weight; empty for a below-review
 *     candidate past the few nearest (see {@code MemberMatcher})
 * @param rule what settled the pair instead of the score, e.g. "same MEMBER_CARD", or {@code null}
 * @param verdict the outcome for this member, in words
 */
public record Assessment(
    UUID memberId,
    String bestRecord,
    double probability,
    double weight,
    double meanEvidence,
    List<AttributeEvidence> breakdown,
    String rule,
    Verdict verdict) {

  public Assessment {
    breakdown = List.copyOf(breakdown);
  }

  /** What became of the member for this record. */
  public enum Verdict {
    MERGED,
    /**
     * Fitted as well, and no record of it speaks against the chosen member's: merged into it, the
     * record bridging the two.
     */
    BRIDGED,
    /** Could merge, but another member fitted better: a steward should look at the two. */
    ALSO_FITS,
    /** Best pair at or above merge but the record contradicts other records of the member. */
    CONTRADICTS_MEMBER,
    /** In the review band. */
    REVIEW,
    BELOW_REVIEW,
    /** A hard rule (different unionid, different verified id) or a steward said different. */
    RULED_DIFFERENT;

    /** Whether the pair goes to a steward. */
    public boolean needsReview() {
      return this == ALSO_FITS || this == CONTRADICTS_MEMBER || this == REVIEW;
    }
  }
}
