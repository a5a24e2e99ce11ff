package com.onemember.mdm.scoring;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Gender;
import com.onemember.mdm.standardize.Birthday;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every comparison keeps: symmetric, a record agrees exactly with itself, a missing
 * value is no evidence, and odd input (emoji, full-width text already normalised, one-letter names)
 * never throws.
 */
class ComparisonContractTest {

  private static final MatchRecord EMPTY =
      new MatchRecord(
          "empty", null, null, null, null, null, null, null, null, null, null, null, null);

  private static final List<MatchRecord> SAMPLES =
      List.of(
          MatchRecords.of(
              aRecord()
                  .name("王伟")
                  .gender("男")
                  .birthday("1985-06-01")
                  .mobile("13812345678")
                  .build()),
          MatchRecords.of(
              aRecord().name("王玮").birthday("1985.6.1").mobile("138-1234-5678").build()),
          MatchRecords.of(aRecord().name("Wei Wang").email("wangwei88@qq.com").build()),
          MatchRecords.of(aRecord().name("WANG WEI").birthday("6月1日").build()),
          MatchRecords.of(aRecord().name("王先生").mobile("13812345678").build()),
          MatchRecords.of(aRecord().name("🌸花花").build()),
          MatchRecords.of(aRecord().name("Ｗａｎｇ").build()),
          new MatchRecord(
              "febrl",
              "michaela",
              "neumann",
              "michaela",
              "neumann",
              new Birthday(1915, 11, 11),
              Gender.FEMALE,
              "winston hills",
              "4223",
              "8 stanley street",
              Set.of(),
              Set.of(),
              "5304218"),
          EMPTY);

  @ParameterizedTest
  @EnumSource(Comparison.class)
  void isSymmetric(Comparison c) {
    for (MatchRecord a : SAMPLES) {
      for (MatchRecord b : SAMPLES) {
        assertThat(c.level(a, b)).as("%s %s / %s", c, a.id(), b.id()).isEqualTo(c.level(b, a));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Comparison.class)
  void aRecordAgreesExactlyWithItselfOrHasNothingToCompare(Comparison c) {
    for (MatchRecord a : SAMPLES) {
      assertThat(c.level(a, a)).isIn(0, Comparison.MISSING);
    }
  }

  @ParameterizedTest
  @EnumSource(Comparison.class)
  void missingValuesAreNoEvidence(Comparison c) {
    for (MatchRecord a : SAMPLES) {
      assertThat(c.level(a, EMPTY)).isEqualTo(Comparison.MISSING);
    }
  }

  @Test
  void homophonesAndRomanisedNamesAgreeBySoundNotSpelling() {
    MatchRecord wangwei = SAMPLES.get(0);
    MatchRecord typo = SAMPLES.get(1);
    MatchRecord romanised = SAMPLES.get(2);
    MatchRecord reversed = SAMPLES.get(3);
    assertThat(Comparison.GIVEN_NAME.levels().get(Comparison.GIVEN_NAME.level(wangwei, typo)))
        .isEqualTo("same pinyin");
    // 王伟 and "Wang Wei" agree as well as two scripts can: exact, not a homophone slip
    assertThat(Comparison.SURNAME.level(wangwei, romanised)).isZero();
    assertThat(Comparison.GIVEN_NAME.level(wangwei, romanised)).isZero();
    // a romanised name's order is unknown, so it is read the way that fits: exact both ways
    assertThat(Comparison.GIVEN_NAME.level(romanised, reversed)).isZero();
    assertThat(Comparison.SURNAME.level(romanised, reversed)).isZero();
  }

  @Test
  void aYearlessBirthdayAgreesOnMonthAndDay() {
    assertThat(Comparison.BIRTHDAY.level(SAMPLES.get(0), SAMPLES.get(3))).isEqualTo(1);
  }
}
