package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionsTest {

  @Test
  void anEarlierTimeIsOlderWhateverItsOffset() {
    assertThat(Versions.older("2026-12-06T08:00:00Z", "2026-12-06T16:00:01+08:00")).isTrue();
    assertThat(Versions.older("2026-12-06T16:00:01+08:00", "2026-12-06T08:00:01Z")).isFalse();
    assertThat(Versions.older("2026-12-06T08:00:01Z", "2026-12-06T08:00:00Z")).isFalse();
  }

  @Test
  void aSmallerNumberIsOlder() {
    assertThat(Versions.older("1733472000000", "1733472000001")).isTrue();
    assertThat(Versions.older("12", "9")).isFalse();
  }

  @Test
  void whatCannotBeComparedIsNeverOlder() {
    assertThat(Versions.older(null, "2026-12-06T08:00:00Z")).isFalse();
    assertThat(Versions.older("2026-12-06T08:00:00Z", null)).isFalse();
    assertThat(Versions.older("yesterday", "2026-12-06T08:00:00Z")).isFalse();
    assertThat(Versions.older("2026-12-06T08:00:00Z", "7")).isFalse();
  }
}
