package com.onemember.mdm.matching;

import com.onemember.mdm.standardize.StandardizedRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A golden member found through a shared key, with the clean forms of all its source records.
 *
 * @param createdAt when the member was created; the oldest of several merged members survives
 */
public record CandidateMember(UUID id, Instant createdAt, List<StandardizedRecord> records) {

  public CandidateMember {
    records = List.copyOf(records);
  }
}
