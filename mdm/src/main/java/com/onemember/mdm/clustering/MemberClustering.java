package com.onemember.mdm.clustering;

import com.onemember.mdm.blocking.CandidateIndex;
import com.onemember.mdm.blocking.MatchKeys;
import com.onemember.mdm.matching.Assessment;
import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.matching.MemberMatcher;
import com.onemember.mdm.scoring.MatchRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The hub's ingest decision run in memory, one record after another: the same keys ({@link
 * MatchKeys}), the same candidate search as ingest runs over what PostgreSQL holds ({@code
 * SegmentIndex}) (a key shared by more than {@code blockCap} earlier records is not followed,
 * {@link CandidateIndex}; the members holding records under the followed keys are ranked by how
 * many key rows they share, then by age, and the first {@code maxCandidates} are compared), the
 * same {@link MemberMatcher} decision, and the same outcome: the record joins the chosen member and
 * the members it bridged are merged into it, or it starts a member. The benchmark measures the hub
 * through this class, and a test holds it to the hub's ingest on the same records. Not thread-safe.
 */
public final class MemberClustering {

  private final MemberMatcher matcher;
  private final int maxCandidates;

  private final CandidateIndex index;
  private final List<MatchRecord> records = new ArrayList<>();
  private int[] memberOf = new int[1024];
  private final List<List<Integer>> members = new ArrayList<>();

  /** The record that started each member: records move with their member, so it finds it later. */
  private final List<Integer> firstRecord = new ArrayList<>();

  /**
   * Pairs a decision left to a steward, as (record, first record of the candidate member): the
   * members they are in at the end are the pair the steward sees.
   */
  private final Set<Long> reviewPairs = new HashSet<>();

  private long comparisons;

  /**
   * @param blockCap records one key may hold and still be followed ({@code block-cap})
   * @param maxCandidates members compared with one record ({@code max-candidates})
   */
  public MemberClustering(MemberMatcher matcher, int blockCap, int maxCandidates) {
    this.matcher = matcher;
    this.index = new CandidateIndex(blockCap);
    this.maxCandidates = maxCandidates;
  }

  /** Adds the next record (its number is the count of records added before) and decides it. */
  public MemberDecision add(MatchRecord record) {
    int id = records.size();
    records.add(record);
    if (id >= memberOf.length) {
      memberOf = Arrays.copyOf(memberOf, Math.max(id + 1, memberOf.length * 2));
    }
    List<String> keys = MatchKeys.of(record);
    CandidateIndex.Lookup found = index.find(keys);
    Map<Integer, Integer> shared = new HashMap<>();
    for (int row : found.rows()) {
      shared.merge(memberOf[row], 1, Integer::sum);
    }
    List<CandidateMember> candidates = candidates(shared);
    comparisons += candidates.stream().mapToLong(c -> c.records().size()).sum();
    MemberDecision decision = matcher.decide(record, candidates, Set.of(), found.skipped());
    int member;
    if (decision.merges()) {
      member = number(decision.memberId());
      for (UUID absorbed : decision.absorbed()) {
        absorb(member, number(absorbed));
      }
    } else {
      member = members.size();
      members.add(new ArrayList<>());
      firstRecord.add(id);
    }
    members.get(member).add(id);
    memberOf[id] = member;
    for (Assessment a : decision.reviews()) {
      int other = number(a.memberId());
      if (other != member) {
        reviewPairs.add(((long) id << 32) | firstRecord.get(other));
      }
    }
    index.add(id, keys);
    return decision;
  }

  /**
   * The members sharing most key rows first, then the oldest (by number); at most {@code
   * maxCandidates}.
   */
  private List<CandidateMember> candidates(Map<Integer, Integer> shared) {
    List<Map.Entry<Integer, Integer>> ranked = new ArrayList<>(shared.entrySet());
    ranked.sort(
        (a, b) ->
            a.getValue().equals(b.getValue())
                ? Integer.compare(a.getKey(), b.getKey())
                : Integer.compare(b.getValue(), a.getValue()));
    List<CandidateMember> out = new ArrayList<>(Math.min(ranked.size(), maxCandidates));
    for (Map.Entry<Integer, Integer> e : ranked) {
      if (out.size() == maxCandidates) {
        break;
      }
      int m = e.getKey();
      List<MatchRecord> held = new ArrayList<>(members.get(m).size());
      for (int r : members.get(m)) {
        held.add(records.get(r));
      }
      out.add(new CandidateMember(id(m), Instant.EPOCH.plusSeconds(m), held));
    }
    return out;
  }

  /**
   * The id of member number {@code m}: ordered as the members were created, as the hub's are by
   * time, and carrying the number, so that a decision's ids lead back to it.
   */
  private static UUID id(int m) {
    return new UUID(MEMBER_ID_PREFIX, m);
  }

  private static int number(UUID id) {
    return (int) id.getLeastSignificantBits();
  }

  private static final long MEMBER_ID_PREFIX = 0x4f4e454d454d4252L;

  /** Moves every record of member {@code from} into {@code into}; {@code from} is left empty. */
  private void absorb(int into, int from) {
    for (int r : members.get(from)) {
      memberOf[r] = into;
    }
    members.get(into).addAll(members.get(from));
    members.set(from, new ArrayList<>());
  }

  private static long pair(int a, int b) {
    return ((long) Math.min(a, b) << 32) | Math.max(a, b);
  }

  /** The member (by number) that record {@code record} belongs to now. */
  public int memberOf(int record) {
    return memberOf[record];
  }

  /** The records of each member by number; a member merged into another stays, empty. */
  public List<List<Integer>> members() {
    return members;
  }

  /**
   * Pairs of members a steward is asked to settle and that are still apart: what the hub's review
   * queue holds at the end, counting each pair of members once.
   */
  public int openReviewPairs() {
    Set<Long> open = new HashSet<>();
    for (long p : reviewPairs) {
      int x = memberOf[(int) (p >>> 32)];
      int y = memberOf[(int) p];
      if (x != y) {
        open.add(pair(x, y));
      }
    }
    return open.size();
  }

  /** Candidate records compared so far. */
  public long comparisons() {
    return comparisons;
  }

  /** Keys that grew past the cap and are no longer followed. */
  public int skippedBlocks() {
    return index.oversizedBlocks();
  }
}
