package com.onemember.mdm.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvidencePatternTest {

  @Test
  void namesTheLevelsBothSidesHoldInModelOrder() {
    assertThat(
            EvidencePattern.of(
                List.of(
                    new AttributeEvidence(Comparison.SURNAME, "same", 3.1),
                    new AttributeEvidence(Comparison.GIVEN_NAME, "missing", 0),
                    new AttributeEvidence(Comparison.MOBILE, "a number in common", 9.5))))
        .isEqualTo("SURNAME=same; MOBILE=a number in common");
  }

  @Test
  void aPairWithNothingComparedSaysSo() {
    assertThat(EvidencePattern.of(List.of(new AttributeEvidence(Comparison.SURNAME, "missing", 0))))
        .isEqualTo("nothing compared");
  }

  @Test
  void theSameEvidenceWithOtherWeightsIsTheSamePattern() {
    var a = List.of(new AttributeEvidence(Comparison.BIRTHDAY, "exact", 7.0));
    var b = List.of(new AttributeEvidence(Comparison.BIRTHDAY, "exact", 4.2));
    assertThat(EvidencePattern.of(a)).isEqualTo(EvidencePattern.of(b));
  }
}
