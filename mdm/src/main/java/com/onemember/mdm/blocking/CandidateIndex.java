package com.onemember.mdm.blocking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory blocking index over records numbered 0, 1, 2…, with the hub's rule for large blocks:
 * a key held by more than {@code blockCap} records is not followed (the hub counts {@code
 * match_key} rows the same way before it searches). Used by {@code MemberClustering}, which runs
 * the hub's decision in memory, and by the benchmark's diagnostics. Not thread-safe.
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

  /**
   * The records under one key, as plain ints: this is the inner loop of blocking. Once the key has
   * more records than the cap they are dropped and only counted.
   */
  private static final class Block {
    int[] ids = new int[2];
    int size;

    boolean followed(int cap) {
      return size <= cap;
    }
  }

  /**
   * What a record's keys find.
   *
   * @param rows the earlier records under each followed key, once per key they share (a record
   *     sharing two keys is there twice: the hub ranks candidates by such shared rows)
   * @param skipped the keys not followed, each with its number of records, as {@code key (n
   *     records)}
   */
  public record Lookup(int[] rows, List<String> skipped) {}

  /**
   * @param blockCap most records a key may hold and still be followed; a block past it says nothing
   *     about identity (a default birthday, a shop's own phone) and would make matching quadratic
   */
  public CandidateIndex(int blockCap) {
    this.blockCap = blockCap;
  }

  /** The earlier records under {@code keys}, without adding anything. */
  public Lookup find(List<String> keys) {
    int[] rows = new int[16];
    int found = 0;
    List<String> skipped = new ArrayList<>(0);
    for (String key : keys) {
      Block block = blocks.get(key);
      if (block == null) {
        continue;
      }
      if (!block.followed(blockCap)) {
        skipped.add(key + " (" + block.size + " records)");
        continue;
      }
      if (found + block.size > rows.length) {
        rows = Arrays.copyOf(rows, Math.max(rows.length * 2, found + block.size));
      }
      System.arraycopy(block.ids, 0, rows, found, block.size);
      found += block.size;
    }
    return new Lookup(Arrays.copyOf(rows, found), skipped);
  }

  /** Adds record {@code id} under {@code keys}. */
  public void add(int id, List<String> keys) {
    for (String key : keys) {
      Block block = blocks.computeIfAbsent(key, k -> new Block());
      if (!block.followed(blockCap)) {
        block.size++;
        continue;
      }
      if (block.size == blockCap) {
        // the record that takes the block past the cap: its ids are no longer needed
        block.ids = null;
        block.size++;
        oversizedBlocks++;
        continue;
      }
      if (block.size == block.ids.length) {
        block.ids = Arrays.copyOf(block.ids, block.size * 2);
      }
      block.ids[block.size++] = id;
    }
  }

  /**
   * Adds record {@code id} under {@code keys} and returns the earlier records sharing a followed
   * key, each once.
   */
  public int[] addAndFindCandidates(int id, List<String> keys) {
    if (id >= seenBy.length) {
      seenBy = Arrays.copyOf(seenBy, Math.max(id + 1, seenBy.length * 2));
    }
    int stamp = id + 1;
    int[] rows = find(keys).rows();
    int found = 0;
    for (int other : rows) {
      if (other != id && seenBy[other] != stamp) {
        seenBy[other] = stamp;
        rows[found++] = other;
      }
    }
    add(id, keys);
    comparisons += found;
    return Arrays.copyOf(rows, found);
  }

  /** Candidate pairs offered so far by {@link #addAndFindCandidates}. */
  public long comparisons() {
    return comparisons;
  }

  /** Blocks that grew past the cap. */
  public int oversizedBlocks() {
    return oversizedBlocks;
  }
}
