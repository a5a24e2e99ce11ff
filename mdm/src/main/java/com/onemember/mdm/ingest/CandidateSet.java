package com.onemember.mdm.ingest;

import com.onemember.mdm.matching.CandidateMember;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the first stage of ingest (the bulk package's segment reader and index) found for one
 * record: the record's keys split into those followed and those whose block is too large, the live
 * members holding records under the followed keys (each with its stored records), and which of them
 * a steward declared different people.
 *
 * @param followed keys whose blocks were searched
 * @param skipped keys not followed, each with its block's size, as the decision's evidence says
 * @param members the candidate members, ranked
 * @param separated pairs of them declared different people ({@link MemberSeparations#pair})
 */
public record CandidateSet(
    List<String> followed,
    List<String> skipped,
    List<CandidateMember> members,
    Set<List<UUID>> separated) {

  public CandidateSet {
    followed = List.copyOf(followed);
    skipped = List.copyOf(skipped);
    members = List.copyOf(members);
    separated = Set.copyOf(separated);
  }

  /** Whether {@code a} and {@code b} were declared different people. */
  public boolean separated(UUID a, UUID b) {
    return separated.contains(MemberSeparations.pair(a, b));
  }
}
