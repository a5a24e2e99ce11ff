package com.onemember.mdm.ingest;

import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.store.MemberEntity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the first stage of ingest ({@link StoredCandidates}) found for one record, as committed when
 * read: the record's keys split into those followed and those whose block is too large, the live
 * members holding records under the followed keys (each with its stored records), which of them a
 * steward declared different people, and the ids of the records each held, to tell later whether a
 * member changed before its lock was taken.
 *
 * @param followed keys whose blocks were searched
 * @param skipped keys not followed, each with its block's size, as the decision's evidence says
 * @param members the candidate members, ranked
 * @param separated pairs of them declared different people ({@link MemberSeparations#pair})
 * @param recordIds the ids of the records each candidate held, in id order
 */
public record CandidateSet(
    List<String> followed,
    List<String> skipped,
    List<CandidateMember> members,
    Set<List<UUID>> separated,
    Map<UUID, List<Long>> recordIds) {

  public CandidateSet {
    followed = List.copyOf(followed);
    skipped = List.copyOf(skipped);
    members = List.copyOf(members);
    separated = Set.copyOf(separated);
    recordIds = Map.copyOf(recordIds);
  }

  /** Whether {@code a} and {@code b} were declared different people. */
  public boolean separated(UUID a, UUID b) {
    return separated.contains(MemberSeparations.pair(a, b));
  }

  /**
   * Whether the members, now locked, are still live and hold exactly the records this set saw: then
   * a decision made on it still stands.
   */
  public boolean unchanged(List<MemberEntity> locked, Map<UUID, List<Long>> nowHeld) {
    for (MemberEntity m : locked) {
      if (m.getMergedInto() != null
          || !recordIds
              .getOrDefault(m.getId(), List.of())
              .equals(nowHeld.getOrDefault(m.getId(), List.of()))) {
        return false;
      }
    }
    return true;
  }
}
