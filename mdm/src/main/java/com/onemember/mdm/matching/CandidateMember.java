package com.onemember.mdm.matching;

import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A golden member found through a shared key, with the clean forms of all its source records and
 * their match features (the same order).
 *
 * @param createdAt when the member was created; the oldest of several merged members survives
 */
public record CandidateMember(
    UUID id, Instant createdAt, List<StandardizedRecord> records, List<MatchRecord> features) {

  public CandidateMember {
    records = List.copyOf(records);
    features = List.copyOf(features);
    if (features.size() != records.size()) {
      throw new IllegalArgumentException(
          "one feature set per record: " + features.size() + " for " + records.size());
    }
  }

  /** A candidate whose records' features are computed here. */
  public CandidateMember(UUID id, Instant createdAt, List<StandardizedRecord> records) {
    this(id, createdAt, records, records.stream().map(MatchRecords::of).toList());
  }
}
