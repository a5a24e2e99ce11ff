package com.onemember.mdm.ingest.bulk;

import com.onemember.mdm.ingest.CandidateSet;
import com.onemember.mdm.ingest.MemberSeparations;
import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.scoring.MatchRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The candidate index of one run of records (a segment of a chunk), in memory: the blocks under the
 * records' keys, the members holding records in them and the separations among those members, as
 * PostgreSQL had them committed when the segment began ({@link SegmentReader}); then kept up to
 * date by the segment's own decisions. So each record is decided on what it would have been read
 * from PostgreSQL had the records before it been committed one by one (a segment of one): the same
 * blocks (a key shared by more than {@code blockCap} records is not followed), the same ranking
 * (most shared key rows first, then the oldest, then by id), the same {@code maxCandidates} cut. A
 * member's records are read only when it first becomes a candidate. Not thread-safe.
 */
final class SegmentIndex {

  /**
   * PostgreSQL's uuid order (unsigned, byte by byte), by which the stored search ranks members of
   * the same age and reads its candidates.
   */
  static final Comparator<UUID> PG_UUID_ORDER =
      (a, b) -> {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0
            ? c
            : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
      };

  /** The records under one key: how many, and (while followed) which. */
  static final class Block {
    int size;
    List<Long> rows;

    Block(int size, List<Long> rows) {
      this.size = size;
      this.rows = rows;
    }
  }

  /** A live member as the index knows it. */
  static final class Held {
    final UUID id;
    final Instant createdAt;

    /**
     * Whether PostgreSQL held it before the segment; its version when its records were read (-1
     * before, or when it held none then), for the writer's check.
     */
    final boolean stored;

    long storedVersion;

    /** Its records' match features by row id; null until it first becomes a candidate. */
    SortedMap<Long, MatchRecord> records;

    Held(UUID id, Instant createdAt, boolean stored, long storedVersion) {
      this.id = id;
      this.createdAt = createdAt;
      this.stored = stored;
      this.storedVersion = storedVersion;
    }
  }

  private final int blockCap;
  private final int maxCandidates;
  private final Map<String, Block> blocks;
  private final Map<Long, UUID> memberOfRecord;
  private final Map<UUID, Held> live;

  /** Every member the segment has known, live or merged away in it. */
  private final Map<UUID, Held> known;

  private final Set<List<UUID>> separated;
  private final Function<Collection<UUID>, Map<UUID, StoredMatchRecords.StoredMember>>
      storedRecords;

  /** The look at the hub's block cache this index was read under; null when read without one. */
  BlockCache.Look look;

  /**
   * @param blocks every key of the segment with its stored block (size, and rows when followed)
   * @param memberOfRecord the live member of every row in a followed block
   * @param live the live members holding them
   * @param separated the pairs among them declared different people ({@link
   *     MemberSeparations#pair})
   * @param storedRecords reads the stored records of members, by row id, with their versions
   */
  SegmentIndex(
      int blockCap,
      int maxCandidates,
      Map<String, Block> blocks,
      Map<Long, UUID> memberOfRecord,
      Map<UUID, Held> live,
      Set<List<UUID>> separated,
      Function<Collection<UUID>, Map<UUID, StoredMatchRecords.StoredMember>> storedRecords) {
    this.blockCap = blockCap;
    this.maxCandidates = maxCandidates;
    this.blocks = blocks;
    this.memberOfRecord = memberOfRecord;
    this.live = live;
    this.known = new HashMap<>(live);
    this.separated = new HashSet<>(separated);
    this.storedRecords = storedRecords;
  }

  /**
   * The candidates of a record with these keys. A key whose block holds more than {@code block-cap}
   * stored records is not followed; the members holding records under the followed keys are ranked
   * by how many key rows they share, then by age, then by id, and the first {@code max-candidates}
   * are taken with their records (the search {@code MemberClustering} runs over a whole file).
   */
  CandidateSet candidates(List<String> keys) {
    List<String> followed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Held> chosen = rank(keys, followed, skipped);
    loadRecords(chosen);
    heldAsTheBlocksSay(followed);
    // the stored search reads the chosen members in id order
    chosen.sort(Comparator.comparing(h -> h.id, PG_UUID_ORDER));
    List<CandidateMember> members = new ArrayList<>(chosen.size());
    Set<List<UUID>> among = new HashSet<>();
    for (Held h : chosen) {
      members.add(new CandidateMember(h.id, h.createdAt, List.copyOf(h.records.values())));
      for (Held other : separated.isEmpty() ? List.<Held>of() : chosen) {
        List<UUID> pair = MemberSeparations.pair(h.id, other.id);
        if (h != other && separated.contains(pair)) {
          among.add(pair);
        }
      }
    }
    return new CandidateSet(followed, skipped, members, among);
  }

  /**
   * Reads the records of the stored members that the records with these keys (one list per record)
   * would take as candidates now, in one read, before they are decided one by one: most stay the
   * candidates they are now, and each would otherwise be read when its first record reaches it, one
   * read per record. A member that becomes a candidate only later is read then.
   */
  void prefetch(List<List<String>> keysOfRecords) {
    Map<UUID, Held> wanted = new java.util.LinkedHashMap<>();
    for (List<String> keys : keysOfRecords) {
      for (Held h : rank(keys, new ArrayList<>(), new ArrayList<>())) {
        if (h.records == null) {
          wanted.put(h.id, h);
        }
      }
    }
    loadRecords(List.copyOf(wanted.values()));
  }

  /**
   * The members a record with these keys takes as candidates, best first, at most {@code
   * maxCandidates}; {@code followed} and {@code skipped} receive its keys as followed or not.
   */
  private List<Held> rank(List<String> keys, List<String> followed, List<String> skipped) {
    Map<UUID, Integer> shared = new HashMap<>();
    for (String key : keys) {
      Block b = blocks.get(key);
      if (b != null && b.size > blockCap) {
        skipped.add(key + " (" + b.size + " records)");
        continue;
      }
      followed.add(key);
      if (b != null) {
        for (long row : b.rows) {
          shared.merge(memberOfRecord.get(row), 1, Integer::sum);
        }
      }
    }
    List<Map.Entry<UUID, Integer>> ranked = new ArrayList<>(shared.entrySet());
    ranked.sort(
        Map.Entry.<UUID, Integer>comparingByValue()
            .reversed()
            .thenComparing(e -> live.get(e.getKey()).createdAt)
            .thenComparing(Map.Entry.comparingByKey(PG_UUID_ORDER)));
    List<Held> chosen = new ArrayList<>();
    for (Map.Entry<UUID, Integer> e : ranked) {
      if (chosen.size() == maxCandidates) {
        break;
      }
      chosen.add(live.get(e.getKey()));
    }
    return chosen;
  }

  private void loadRecords(List<Held> chosen) {
    List<UUID> unread = new ArrayList<>();
    for (Held h : chosen) {
      if (h.records == null) {
        unread.add(h.id);
      }
    }
    if (unread.isEmpty()) {
      return;
    }
    Map<UUID, StoredMatchRecords.StoredMember> read = storedRecords.apply(unread);
    for (UUID id : unread) {
      StoredMatchRecords.StoredMember stored = read.get(id);
      Held h = live.get(id);
      // none: merged away or emptied since the blocks were read; the writer's check refuses it
      h.records = stored == null ? new TreeMap<>() : new TreeMap<>(stored.records());
      h.storedVersion = stored == null ? -1 : stored.version();
      for (long row : h.records.keySet()) {
        UUID owner = memberOfRecord.get(row);
        if (owner != null && !owner.equals(id)) {
          // a record the blocks give another member moved to this one after they were read
          throw new BulkLoad.MemberChangedMeanwhile(id);
        }
      }
    }
  }

  /**
   * Checks that every row the followed blocks give a member whose records were read is among those
   * records (the segment's own joins and merges keep both alike): the version the writer checks
   * vouches for the records, not for blocks read before them, and a row that moved to another
   * member since (an unmerge) would hide that member from the ranking. A mismatch is a member
   * changed meanwhile: the segment is decided again, reading everything under its members' locks.
   */
  private void heldAsTheBlocksSay(List<String> followed) {
    for (String key : followed) {
      Block b = blocks.get(key);
      if (b == null) {
        continue;
      }
      for (long row : b.rows) {
        Held h = live.get(memberOfRecord.get(row));
        if (h != null && h.records != null && !h.records.containsKey(row)) {
          throw new BulkLoad.MemberChangedMeanwhile(h.id);
        }
      }
    }
  }

  /**
   * The followed blocks as the segment leaves them, each row with its live member and that member's
   * creation, for the hub's {@link BlockCache}.
   */
  Map<String, BlockCache.Cached> followedBlocks() {
    Map<String, BlockCache.Cached> out = new HashMap<>();
    blocks.forEach(
        (key, b) -> {
          if (b.rows == null || b.rows.size() != b.size) {
            return;
          }
          BlockCache.Cached kept = new BlockCache.Cached(b.size);
          for (int i = 0; i < b.size; i++) {
            long row = b.rows.get(i);
            UUID member = memberOfRecord.get(row);
            Held h = member == null ? null : live.get(member);
            if (h == null) {
              return; // not known whole: read it again next time
            }
            kept.set(i, row, member, h.createdAt);
          }
          out.put(key, kept);
        });
    return out;
  }

  /** The live stored members under the followed blocks. */
  List<UUID> storedMembers() {
    return live.values().stream().filter(h -> h.stored).map(h -> h.id).toList();
  }

  Held member(UUID id) {
    Held h = live.get(id);
    if (h == null) {
      throw new IllegalStateException("member " + id + " is not a live member of this segment");
    }
    return h;
  }

  /** A member the segment has known, live or merged away in it. */
  Held known(UUID id) {
    return known.get(id);
  }

  /** Whether {@code id} is still live (not merged away in the segment). */
  boolean isLive(UUID id) {
    return live.containsKey(id);
  }

  /** Starts a member with the record {@code row}. */
  Held create(UUID id, Instant createdAt, long row, MatchRecord features, List<String> keys) {
    Held h = new Held(id, createdAt, false, 0);
    h.records = new TreeMap<>();
    live.put(id, h);
    known.put(id, h);
    join(h, row, features, keys);
    return h;
  }

  /** Adds the record {@code row} to the live member {@code h} and to the blocks of its keys. */
  void join(Held h, long row, MatchRecord features, List<String> keys) {
    h.records.put(row, features);
    memberOfRecord.put(row, h.id);
    for (String key : keys) {
      Block b = blocks.computeIfAbsent(key, k -> new Block(0, new ArrayList<>()));
      b.size++;
      if (b.size > blockCap) {
        b.rows = null; // never followed again: blocks only grow
      } else {
        b.rows.add(row);
      }
    }
  }

  /**
   * Moves every record of {@code absorbed} into {@code survivor}; {@code absorbed} is no longer
   * live and its separations hold for the survivor. Returns the rows moved, in id order.
   */
  List<Long> absorb(Held survivor, Held absorbed) {
    List<Long> moved = new ArrayList<>(absorbed.records.keySet());
    for (long row : moved) {
      memberOfRecord.put(row, survivor.id);
    }
    survivor.records.putAll(absorbed.records);
    live.remove(absorbed.id);
    List<List<UUID>> carried = new ArrayList<>();
    separated.removeIf(
        pair -> {
          if (pair.contains(absorbed.id)) {
            carried.add(pair);
            return true;
          }
          return false;
        });
    for (List<UUID> pair : carried) {
      UUID other = pair.get(0).equals(absorbed.id) ? pair.get(1) : pair.get(0);
      if (!other.equals(survivor.id)) {
        separated.add(MemberSeparations.pair(survivor.id, other));
      }
    }
    return moved;
  }

  /** The live member holding row {@code row}, if the index knows the row. */
  UUID memberOf(long row) {
    return memberOfRecord.get(row);
  }
}
