package com.onemember.mdm.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CorrelationTest {

  @Test
  void aScopePutsBackWhatWasThereBefore() {
    Correlation.set("run-41");
    try (Correlation.Scope outer = Correlation.open("import-a")) {
      assertThat(Correlation.current()).isEqualTo("import-a");
      try (Correlation.Scope inner = Correlation.open(null)) {
        assertThat(Correlation.current()).isNull();
      }
      assertThat(Correlation.current()).isEqualTo("import-a");
    }
    assertThat(Correlation.current()).isEqualTo("run-41");
    Correlation.set(null);
    assertThat(Correlation.current()).isNull();
  }

  @Test
  void idsLoadedTogetherAreJoinedDistinctAndShort() {
    assertThat(Correlation.joined(Arrays.asList("run-7", null, "run-7", " ", "run-8")))
        .isEqualTo("run-7,run-8");
    assertThat(Correlation.joined(Arrays.asList(null, ""))).isNull();
    List<String> many = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "push-" + i).toList();
    assertThat(Correlation.joined(many))
        .isEqualTo("push-0,push-1,push-2,push-3,push-4,push-5,push-6,push-7,+4");
  }

  @Test
  void idsNameTheirOrigin() {
    UUID id = UUID.fromString("61f926eb-6ddc-4283-b2fb-91e7aa6f0c11");
    assertThat(Correlation.ofImport(id)).isEqualTo("import-" + id);
    assertThat(Correlation.ofRun(42L)).isEqualTo("run-42");
  }
}
