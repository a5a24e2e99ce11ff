package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BirthdaysTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1990-05-03",
        "1990/5/3",
        "19900503",
        "1990.5.3",
        "1990年5月3日",
        "1990-05-03 00:00:00",
        "5/3/1990"
      })
  void everyLayoutGivesOneDate(String written) {
    assertThat(Birthdays.standardize(written)).isEqualTo(Parsed.ok(new Birthday(1990, 5, 3)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5月3日", "05-03", "5.3"})
  void aYearlessBirthdayKeepsMonthAndDay(String written) {
    assertThat(Birthdays.standardize(written)).isEqualTo(Parsed.ok(new Birthday(null, 5, 3)));
  }

  @Test
  void yearlessAgreesWithAFullDateOfTheSameDay() {
    assertThat(new Birthday(null, 5, 3).agreesWith(new Birthday(1990, 5, 3))).isTrue();
    assertThat(new Birthday(1991, 5, 3).agreesWith(new Birthday(1990, 5, 3))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1990-02-30", "2月30日", "3000-01-01", "1850-01-01", "生日", "13/13/1990"})
  void impossibleDatesAreRefused(String bad) {
    assertThat(Birthdays.standardize(bad)).isInstanceOf(Parsed.Refused.class);
  }

  @Test
  void isoFormRoundTrips() {
    assertThat(Birthday.parseIso("--05-03")).isEqualTo(new Birthday(null, 5, 3));
    assertThat(Birthday.parseIso(new Birthday(1990, 5, 3).toString()))
        .isEqualTo(new Birthday(1990, 5, 3));
  }
}
