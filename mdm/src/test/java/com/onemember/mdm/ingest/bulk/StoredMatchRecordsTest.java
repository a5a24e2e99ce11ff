package com.onemember.mdm.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many parsed stored records the hub keeps for the heap it runs with. */
class StoredMatchRecordsTest {

  private static final long MB = 1024L * 1024;

  @Test
  void anEighthOfTheHeapWithinTwentyThousandAndAMillion() {
    assertThat(StoredMatchRecords.kept(64 * MB)).isEqualTo(20_000);
    assertThat(StoredMatchRecords.kept(1024 * MB)).isEqualTo(223_696);
    assertThat(StoredMatchRecords.kept(6 * 1024 * MB)).isEqualTo(1_000_000);
  }
}
