package com.onemember.mdm.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A kept block's flat form, and how many rows the cache keeps for a heap. */
class BlockCacheTest {

  @Test
  void aKeptBlockGivesBackItsRowsMembersAndCreationToTheMicrosecond() {
    UUID wang = UUID.fromString("8f0c2a5e-1b7d-4c3a-9e21-5d6f7a8b9c0d");
    UUID li = UUID.fromString("f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9");
    Instant t1 = Instant.parse("2026-12-07T08:15:30.123456Z");
    Instant t2 = Instant.parse("1999-01-01T00:00:00Z");

    BlockCache.Cached block = new BlockCache.Cached(2).set(0, 500, wang, t1).set(1, 501, li, t2);

    assertThat(block.size()).isEqualTo(2);
    assertThat(block.row(1)).isEqualTo(501);
    assertThat(block.member(0)).isEqualTo(wang);
    assertThat(block.member(1)).isEqualTo(li);
    assertThat(block.created(0)).isEqualTo(t1);
    assertThat(block.created(1)).isEqualTo(t2);
  }

  @Test
  void rowsKeptAreASixteenthOfTheHeapAtFortyBytesEach() {
    assertThat(BlockCache.keptRows(1024L * 1024 * 1024)).isEqualTo(1_677_721);
    assertThat(BlockCache.keptRows(64L * 1024 * 1024)).isEqualTo(104_857);
    assertThat(BlockCache.keptRows(16L * 1024 * 1024)).isEqualTo(100_000);
  }
}
