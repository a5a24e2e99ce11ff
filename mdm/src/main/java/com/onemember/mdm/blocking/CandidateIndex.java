package com.onemember.mdm.blocking;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory blocking index over records numbered 0, 1, 2…: each record, as it is added, learns
 * the earlier records that share a key with it. Used by the benchmark and by batch matching; the
 * hub keeps the same keys in PostgreSQL.
 */
public final class CandidateIndex {

  private final int blockCap;
  private final Map<String, List<Integer>> blocks = new HashMap<>();
  private long comparisons;
  private int oversizedBlocks;

  /**
   * @param blockCap most earlier records one key may contribute; beyond it the block is counted as
   *     oversized and its newest members are not offered
   */
  public CandidateIndex(int blockCap) {
    this.blockCap = blockCap;
  }

  /** Adds record {@code id} under {@code keys} and returns the earlier records sharing a key. */
  public int[] addAndFindCandidates(int id, List<String> keys) {
    BitSet seen = new BitSet();
    List<Integer> out = new ArrayList<>();
    for (String key : keys) {
      List<Integer> block = blocks.computeIfAbsent(key, k -> new ArrayList<>(2));
      if (block.size() >= blockCap) {
        if (block.size() == blockCap) {
          oversizedBlocks++;
          block.add(-1);
        }
        continue;
      }
      for (int other : block) {
        if (other != id && !seen.get(other)) {
          seen.set(other);
          out.add(other);
        }
      }
      block.add(id);
    }
    comparisons += out.size();
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Candidate pairs offered so far. */
  public long comparisons() {
    return comparisons;
  }

  /** Blocks that reached the cap. */
  public int oversizedBlocks() {
    return oversizedBlocks;
  }
}
