package com.onemember.mdm.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

class SimilarityTest {

  private static final List<String> WORDS =
      List.of(
          "",
          "a",
          "martha",
          "marhta",
          "dwayne",
          "duane",
          "dixon",
          "dicksonx",
          "wangwei",
          "weiwang",
          "zhangwei",
          "zhangwen",
          "gilbert",
          "gil",
          "richard",
          "dickey",
          "jones",
          "johnson",
          "abcdefghij",
          "jihgfedcba",
          "王伟",
          "王玮",
          "aaaa",
          "aaab");

  @Test
  void jaroWinklerAgreesWithCommonsText() {
    JaroWinklerSimilarity reference = new JaroWinklerSimilarity();
    for (String a : WORDS) {
      for (String b : WORDS) {
        assertThat(Similarity.jaroWinkler(a, b))
            .as("%s / %s", a, b)
            .isCloseTo(reference.apply(a, b), within(1e-9));
      }
    }
  }

  @Test
  void damerauCountsOneSwapAsOneEdit() {
    assertThat(Similarity.damerau("19850601", "19850610")).isEqualTo(1);
    assertThat(Similarity.damerau("19850601", "19850601")).isZero();
    assertThat(Similarity.damerau("5304218", "5340218")).isEqualTo(1);
    assertThat(Similarity.damerau("abc", "")).isEqualTo(3);
  }
}
