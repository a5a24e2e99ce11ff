package com.onemember.mdm.matching;

import com.onemember.mdm.scoring.MatchRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A golden member found through a shared key, with the match features of all its source records.
 *
 * @param createdAt when the member was created; the oldest of several merged members survives
 * @param records the features of the member's source records, each with its {@code
 *     source:sourceRecordId} as id
 */
public record CandidateMember(UUID id, Instant createdAt, List<MatchRecord> records) {

  public CandidateMember {
    records = List.copyOf(records);
  }
}
