package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NationalIdsTest {

  // GB 11643-1999's own example, and one ending in X
  static final String VALID = "11010519491231002X";
  static final String VALID_DIGIT = "440524188001010014";

  @Test
  void aNumberWhoseCheckDigitHoldsIsKeptInUpperCase() {
    assertThat(NationalIds.standardize("11010519491231002x")).isEqualTo(Parsed.ok(VALID));
    assertThat(NationalIds.standardize(VALID_DIGIT)).isEqualTo(Parsed.ok(VALID_DIGIT));
  }

  @Test
  void fullWidthDigitsAndSpacesAreRead() {
    assertThat(NationalIds.standardize("１１０１０５ １９４９１２３１ ００２Ｘ")).isEqualTo(Parsed.ok(VALID));
  }

  @Test
  void aMistypedDigitIsRefusedWithTheReason() {
    Parsed<String> p = NationalIds.standardize("110105194912310021");
    assertThat(p).isInstanceOf(Parsed.Refused.class);
    assertThat(((Parsed.Refused<String>) p).problem().message())
        .contains("校验位")
        .contains("check digit");
  }

  @ParameterizedTest
  @ValueSource(strings = {"110105491231002", "1101051949123100", "11010519491231002Y", "😀"})
  void wrongShapesAreRefused(String raw) {
    assertThat(NationalIds.standardize(raw)).isInstanceOf(Parsed.Refused.class);
  }

  @Test
  void nothingIsNoValue() {
    assertThat(NationalIds.standardize(null)).isNull();
    assertThat(NationalIds.standardize("  ")).isNull();
  }
}
