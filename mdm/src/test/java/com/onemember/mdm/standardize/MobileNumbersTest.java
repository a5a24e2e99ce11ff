package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MobileNumbersTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "13812345678",
        "+86 138 1234 5678",
        "86-13812345678",
        "8613812345678",
        "008613812345678",
        "138-1234-5678",
        "(138)1234 5678",
        "+86-138-1234-5678"
      })
  void everyCommonWritingOfOneMobileGivesItsElevenDigits(String written) {
    assertThat(MobileNumbers.standardize(written))
        .isEqualTo(new MobileNumbers.Mobile("13812345678"));
  }

  @Test
  void aMaskedNumberIsPartialEvidenceNotAMobile() {
    assertThat(MobileNumbers.standardize("138****5678"))
        .isEqualTo(new MobileNumbers.Masked("138****5678"));
  }

  @Test
  void aShanghaiLandlineIsALandline() {
    assertThat(MobileNumbers.standardize("021-6432 1234"))
        .isEqualTo(new MobileNumbers.Landline("+862164321234"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345", "138123456789", "abc", "1381234567x", "00000000000"})
  void somethingElseIsRefusedSayingWhy(String bad) {
    assertThat(MobileNumbers.standardize(bad))
        .isInstanceOfSatisfying(
            MobileNumbers.Invalid.class,
            i -> assertThat(i.problem().message()).contains("not a valid number").contains("手机号"));
  }
}
