package com.onemember.mdm.matchmodels;

import java.util.List;
import java.util.UUID;

/**
 * What a model would do differently from the active one, measured by replaying the same stored
 * records, in arrival order, through the hub's decision code once with each ({@link
 * MatchModelDryRun}).
 *
 * @param recordsStored source records the hub holds
 * @param recordsReplayed the most recent of them that were replayed ({@code dry-run-max-records})
 * @param membersNow members the replay with the active model forms
 * @param membersAfter members the replay with this model forms
 * @param wouldMerge groups of the active model's members that this model would make one member
 * @param wouldSplit members of the active model that this model would split into several
 * @param reviewPairsNow pairs left to a steward with the active model
 * @param reviewPairsAfter pairs left to a steward with this model
 * @param examples a few of each change, with the source records and the members holding them now
 */
public record ModelImpact(
    String version,
    String activeVersion,
    long recordsStored,
    int recordsReplayed,
    int membersNow,
    int membersAfter,
    int wouldMerge,
    int wouldSplit,
    int reviewPairsNow,
    int reviewPairsAfter,
    List<Example> examples) {

  public ModelImpact {
    examples = List.copyOf(examples);
  }

  /** The figures without the examples, as the merge log keeps them. */
  public java.util.Map<String, Object> summary() {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("recordsReplayed", recordsReplayed);
    out.put("membersNow", membersNow);
    out.put("membersAfter", membersAfter);
    out.put("wouldMerge", wouldMerge);
    out.put("wouldSplit", wouldSplit);
    out.put("reviewPairsNow", reviewPairsNow);
    out.put("reviewPairsAfter", reviewPairsAfter);
    return out;
  }

  /** One change: the records concerned and the members that hold them today. */
  public record Example(Change change, List<String> sourceRecords, List<UUID> members) {

    public Example {
      sourceRecords = List.copyOf(sourceRecords);
      members = List.copyOf(members);
    }
  }

  /** The kind of change. */
  public enum Change {
    MERGE,
    SPLIT
  }
}
