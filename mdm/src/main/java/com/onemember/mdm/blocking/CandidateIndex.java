package com.onemember.mdm.blocking;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory blocking index over records numbered 0, 1, 2…: each record, as it is added, learns
 * the earlier records that share a key with it. Used by the benchmark and by batch matching; the
 * hub keeps the same keys in PostgreSQL. Not thread-safe.
 */
public final class CandidateIndex {

  private final int blockCap;
  private final Map<String, Block> blocks = new HashMap<>();
  private long comparisons;
  private int oversizedBlocks;

  /**
   * For each earlier record, one more than the record whose candidates it last joined: marks a
   * record as already offered without clearing a set per lookup.
   */
  private int[] seenBy = new int[1024];

  private int[] out = new int[64];

  /** The records under one key, as plain ints: this is the inner loop of blocking. */
  private static final class Block {
    int[] ids = new int[2];
    int size;
    boolean oversized;

    void add(int id) {
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
      }
      ids[size++] = id;
    }
  }

  /**
   * @param blockCap most earlier records one key may contribute; a block that reaches it is counted
   *     as oversized and offers no candidates any more (a default birthday or a placeholder phone
   *     says nothing about identity)
   */
  public CandidateIndex(int blockCap) {
    this.blockCap = blockCap;
  }

  /** Adds record {@code id} under {@code keys} and returns the earlier records sharing a key. */
  public int[] addAndFindCandidates(int id, List<String> keys) {
    if (id >= seenBy.length) {
      seenBy = Arrays.copyOf(seenBy, Math.max(id + 1, seenBy.length * 2));
    }
    int stamp = id + 1;
    int found = 0;
    for (String key : keys) {
      Block block = blocks.get(key);
      if (block == null) {
        block = new Block();
        blocks.put(key, block);
      }
      if (block.oversized) {
        continue;
      }
      if (block.size >= blockCap) {
        block.oversized = true;
        block.ids = null;
        oversizedBlocks++;
        continue;
      }
      int[] ids = block.ids;
      for (int i = 0; i < block.size; i++) {
        int other = ids[i];
        if (other != id && seenBy[other] != stamp) {
          seenBy[other] = stamp;
          if (found == out.length) {
            out = Arrays.copyOf(out, found * 2);
          }
          out[found++] = other;
        }
      }
      block.add(id);
    }
    comparisons += found;
    return Arrays.copyOf(out, found);
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
