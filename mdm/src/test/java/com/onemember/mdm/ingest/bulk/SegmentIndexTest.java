package com.onemember.mdm.ingest.bulk;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.mdm.ingest.CandidateSet;
import com.onemember.mdm.ingest.MemberSeparations;
import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.scoring.MatchRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The bulk load's in-memory candidate search answers as the stored search in PostgreSQL does: the
 * same blocks followed and skipped, the same ranking and cut, separations carried to a survivor,
 * and a stored member's records read only when it first becomes a candidate.
 */
class SegmentIndexTest {

  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private final MatchRecord wangwei = aRecord().name("王伟").mobile("13812345678").features();
  private final List<List<UUID>> reads = new ArrayList<>();

  /** The one stored row the read gives each member; 500 when not set. */
  private final Map<UUID, Long> rowOf = new HashMap<>();

  @Test
  void uuidsRankInPostgresqlsOrderWhichComparesTheirBytesUnsigned() {
    UUID low = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
    UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
    // Java's own order compares signed longs and puts "8..." first
    assertThat(high.compareTo(low)).isNegative();
    assertThat(SegmentIndex.PG_UUID_ORDER.compare(low, high)).isNegative();
  }

  @Test
  void
      membersSharingMoreKeyRowsComeFirstThenTheOldestThenByIdAndOnlyTheFirstMaxCandidatesAreRead() {
    UUID a = id(1);
    UUID b = id(2);
    UUID c = id(3);
    UUID d = id(4);
    SegmentIndex index = index(200, 3);
    index.create(c, T0.plusSeconds(3), 30, wangwei, List.of("MOBILE:13812345678", "NAME:王伟"));
    index.create(d, T0.plusSeconds(2), 40, wangwei, List.of("MOBILE:13812345678"));
    index.create(b, T0.plusSeconds(1), 20, wangwei, List.of("MOBILE:13812345678"));
    index.create(a, T0.plusSeconds(2), 10, wangwei, List.of("MOBILE:13812345678"));

    CandidateSet found = index.candidates(List.of("MOBILE:13812345678", "NAME:王伟"));

    // c shares two rows; b is the oldest of the rest; a and d are as old, a first by id; the cut
    // of three leaves d out; the chosen are read in id order
    assertThat(found.members()).extracting(CandidateMember::id).containsExactly(a, b, c);
    assertThat(found.followed()).containsExactly("MOBILE:13812345678", "NAME:王伟");
    assertThat(found.skipped()).isEmpty();
  }

  @Test
  void aKeySharedByMoreRecordsThanTheCapIsNotFollowedOnceItGrowsPastIt() {
    SegmentIndex index = index(2, 50);
    index.create(id(1), T0, 1, wangwei, List.of("NAME_BIRTHDAY:王伟|1985"));
    index.create(id(2), T0, 2, wangwei, List.of("NAME_BIRTHDAY:王伟|1985"));
    assertThat(index.candidates(List.of("NAME_BIRTHDAY:王伟|1985")).members()).hasSize(2);

    index.create(id(3), T0, 3, wangwei, List.of("NAME_BIRTHDAY:王伟|1985"));
    CandidateSet found = index.candidates(List.of("NAME_BIRTHDAY:王伟|1985"));
    assertThat(found.members()).isEmpty();
    assertThat(found.skipped()).containsExactly("NAME_BIRTHDAY:王伟|1985 (3 records)");
  }

  @Test
  void aStoredMembersRecordsAreReadOnceWhenItFirstBecomesACandidate() {
    UUID stored = id(9);
    Map<String, SegmentIndex.Block> blocks = new HashMap<>();
    blocks.put("MOBILE:13812345678", new SegmentIndex.Block(1, new ArrayList<>(List.of(500L))));
    Map<Long, UUID> memberOf = new HashMap<>(Map.of(500L, stored));
    Map<UUID, SegmentIndex.Held> live = new HashMap<>();
    live.put(stored, new SegmentIndex.Held(stored, T0, true, 4));
    SegmentIndex index = new SegmentIndex(200, 50, blocks, memberOf, live, Set.of(), this::read);

    index.candidates(List.of("MOBILE:13812345678"));
    CandidateSet again = index.candidates(List.of("MOBILE:13812345678"));

    assertThat(reads).containsExactly(List.of(stored));
    assertThat(again.members().get(0).records()).containsExactly(wangwei);
  }

  @Test
  void theCandidatesOfASegmentsRecordsAreReadInOneReadBeforeTheyAreDecided() {
    UUID first = id(8);
    UUID second = id(9);
    Map<String, SegmentIndex.Block> blocks = new HashMap<>();
    blocks.put("MOBILE:13812345678", new SegmentIndex.Block(1, new ArrayList<>(List.of(500L))));
    blocks.put("MOBILE:13987654321", new SegmentIndex.Block(1, new ArrayList<>(List.of(501L))));
    Map<Long, UUID> memberOf = new HashMap<>(Map.of(500L, first, 501L, second));
    rowOf.put(second, 501L);
    Map<UUID, SegmentIndex.Held> live = new HashMap<>();
    live.put(first, new SegmentIndex.Held(first, T0, true, -1));
    live.put(second, new SegmentIndex.Held(second, T0, true, -1));
    SegmentIndex index = new SegmentIndex(200, 50, blocks, memberOf, live, Set.of(), this::read);

    index.prefetch(List.of(List.of("MOBILE:13812345678"), List.of("MOBILE:13987654321")));
    index.candidates(List.of("MOBILE:13812345678"));
    index.candidates(List.of("MOBILE:13987654321"));

    assertThat(reads).hasSize(1);
    assertThat(reads.get(0)).containsExactlyInAnyOrder(first, second);
    // the version read with the records, for the writer's check
    assertThat(index.member(first).storedVersion).isEqualTo(4);
  }

  @Test
  void aBlockRowItsMemberNoLongerHoldsWhenItsRecordsAreReadMeansTheMemberChangedMeanwhile() {
    UUID stored = id(9);
    Map<String, SegmentIndex.Block> blocks = new HashMap<>();
    // the block still gives row 777 to the member, but an unmerge moved it away before its records
    // were read: they are only row 500 now
    blocks.put(
        "MOBILE:13812345678", new SegmentIndex.Block(2, new ArrayList<>(List.of(500L, 777L))));
    Map<Long, UUID> memberOf = new HashMap<>(Map.of(500L, stored, 777L, stored));
    Map<UUID, SegmentIndex.Held> live = new HashMap<>();
    live.put(stored, new SegmentIndex.Held(stored, T0, true, -1));
    SegmentIndex index = new SegmentIndex(200, 50, blocks, memberOf, live, Set.of(), this::read);

    assertThatThrownBy(() -> index.candidates(List.of("MOBILE:13812345678")))
        .isInstanceOf(BulkLoad.MemberChangedMeanwhile.class);
  }

  @Test
  void aRecordReadWithAMemberThatTheBlocksGiveAnotherMeansTheMemberChangedMeanwhile() {
    UUID stored = id(9);
    UUID other = id(10);
    Map<String, SegmentIndex.Block> blocks = new HashMap<>();
    // row 500 was merged into member 9 after the blocks said it was member 10's
    blocks.put("MOBILE:13812345678", new SegmentIndex.Block(1, new ArrayList<>(List.of(500L))));
    blocks.put("MOBILE:13987654321", new SegmentIndex.Block(1, new ArrayList<>(List.of(501L))));
    Map<Long, UUID> memberOf = new HashMap<>(Map.of(500L, other, 501L, stored));
    Map<UUID, SegmentIndex.Held> live = new HashMap<>();
    live.put(stored, new SegmentIndex.Held(stored, T0, true, -1));
    live.put(other, new SegmentIndex.Held(other, T0, true, -1));
    SegmentIndex index = new SegmentIndex(200, 50, blocks, memberOf, live, Set.of(), this::read);

    assertThatThrownBy(() -> index.candidates(List.of("MOBILE:13987654321")))
        .isInstanceOf(BulkLoad.MemberChangedMeanwhile.class);
  }

  @Test
  void aMemberMergedAwayTakesItsRecordsAndSeparationsToItsSurvivor() {
    UUID survivor = id(1);
    UUID absorbed = id(2);
    UUID father = id(3);
    Map<UUID, SegmentIndex.Held> live = new HashMap<>();
    SegmentIndex index =
        new SegmentIndex(
            200,
            50,
            new HashMap<>(),
            new HashMap<>(),
            live,
            Set.of(MemberSeparations.pair(absorbed, father)),
            this::read);
    SegmentIndex.Held s = index.create(survivor, T0, 1, wangwei, List.of("MOBILE:13812345678"));
    SegmentIndex.Held x = index.create(absorbed, T0, 2, wangwei, List.of("WECHAT_UNIONID:o6_x"));
    index.create(father, T0, 3, wangwei, List.of("MOBILE:13812345678"));

    assertThat(index.absorb(s, x)).containsExactly(2L);

    assertThat(index.memberOf(2)).isEqualTo(survivor);
    assertThat(index.isLive(absorbed)).isFalse();
    CandidateSet found = index.candidates(List.of("MOBILE:13812345678", "WECHAT_UNIONID:o6_x"));
    assertThat(found.members()).extracting(CandidateMember::id).containsExactly(survivor, father);
    assertThat(found.separated(survivor, father)).isTrue();
  }

  private SegmentIndex index(int blockCap, int maxCandidates) {
    return new SegmentIndex(
        blockCap,
        maxCandidates,
        new HashMap<>(),
        new HashMap<>(),
        new HashMap<>(),
        Set.of(),
        this::read);
  }

  private Map<UUID, StoredMatchRecords.StoredMember> read(java.util.Collection<UUID> members) {
    reads.add(List.copyOf(members));
    Map<UUID, StoredMatchRecords.StoredMember> out = new HashMap<>();
    for (UUID m : members) {
      out.put(
          m,
          new StoredMatchRecords.StoredMember(
              4, new TreeMap<>(Map.of(rowOf.getOrDefault(m, 500L), wangwei))));
    }
    return out;
  }

  private static UUID id(int n) {
    return new UUID(0x1000L, n);
  }
}
