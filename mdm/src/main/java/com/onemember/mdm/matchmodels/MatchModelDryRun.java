package com.onemember.mdm.matchmodels;

import com.onemember.mdm.clustering.MemberClustering;
import com.onemember.mdm.matching.MemberMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The dry run of a model: the most recent stored records replayed in arrival order through the
 * hub's decision code ({@link MemberClustering}: the same keys, candidate search and {@code
 * MemberMatcher} as the ingest), once with the active model and once with the candidate, and the
 * two outcomes compared. Comparing two replays rather than the replay with today's members isolates
 * what the weights change: today's members also carry stewards' decisions and the order files
 * happened to arrive in, which neither model would reproduce. Writes nothing.
 */
@Service
public class MatchModelDryRun {

  /** Examples of each kind of change at most, and records shown per example at most. */
  static final int EXAMPLES = 5;

  static final int RECORDS_PER_EXAMPLE = 10;

  private final JdbcTemplate jdbc;
  private final MatchEngine engine;

  public MatchModelDryRun(JdbcTemplate jdbc, MatchEngine engine) {
    this.jdbc = jdbc;
    this.engine = engine;
  }

  /**
   * One dry run at a time: each holds the replayed records and two candidate indexes in memory
   * (about a gigabyte at 200,000 records), so a second asks waits for the first.
   */
  public synchronized ModelImpact impact(StoredMatchModel candidate) {
    StoredRecords stored = StoredRecords.latest(jdbc, engine.settings().dryRunMaxRecords());
    MemberMatcher active = engine.matcher();
    MemberClustering now = replay(stored, active);
    MemberClustering after = replay(stored, candidate.matcher());
    int n = stored.records().size();
    // for each member of one replay, the members of the other its records are in
    Map<Integer, Set<Integer>> nowMembersOfAfter = new LinkedHashMap<>();
    Map<Integer, Set<Integer>> afterMembersOfNow = new LinkedHashMap<>();
    for (int r = 0; r < n; r++) {
      nowMembersOfAfter
          .computeIfAbsent(after.memberOf(r), k -> new LinkedHashSet<>())
          .add(now.memberOf(r));
      afterMembersOfNow
          .computeIfAbsent(now.memberOf(r), k -> new LinkedHashSet<>())
          .add(after.memberOf(r));
    }
    List<ModelImpact.Example> examples = new ArrayList<>();
    int wouldMerge = changes(nowMembersOfAfter, after, stored, ModelImpact.Change.MERGE, examples);
    int wouldSplit = changes(afterMembersOfNow, now, stored, ModelImpact.Change.SPLIT, examples);
    return new ModelImpact(
        candidate.version(),
        active.version(),
        stored.stored(),
        n,
        members(now),
        members(after),
        wouldMerge,
        wouldSplit,
        now.openReviewPairs(),
        after.openReviewPairs(),
        examples);
  }

  private MemberClustering replay(StoredRecords stored, MemberMatcher matcher) {
    MemberClustering clustering =
        new MemberClustering(
            matcher, engine.settings().blockCap(), engine.settings().maxCandidates());
    stored.records().forEach(clustering::add);
    return clustering;
  }

  /**
   * Counts the members of {@code grouped}'s replay whose records the other replay holds in more
   * than one member, and adds the first few as examples.
   */
  private static int changes(
      Map<Integer, Set<Integer>> others,
      MemberClustering grouped,
      StoredRecords stored,
      ModelImpact.Change change,
      List<ModelImpact.Example> examples) {
    int count = 0;
    int shown = 0;
    for (Map.Entry<Integer, Set<Integer>> e : others.entrySet()) {
      if (e.getValue().size() < 2) {
        continue;
      }
      count++;
      if (shown < EXAMPLES) {
        shown++;
        List<String> names = new ArrayList<>();
        Set<UUID> members = new LinkedHashSet<>();
        for (int r : grouped.members().get(e.getKey())) {
          if (names.size() < RECORDS_PER_EXAMPLE) {
            names.add(stored.names().get(r));
          }
          members.add(stored.members().get(r));
        }
        examples.add(new ModelImpact.Example(change, names, List.copyOf(members)));
      }
    }
    return count;
  }

  private static int members(MemberClustering clustering) {
    return (int) clustering.members().stream().filter(m -> !m.isEmpty()).count();
  }
}
