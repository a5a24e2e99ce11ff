package com.onemember.mdm.standardize;

import static com.onemember.mdm.standardize.PersonNames.Agreement.COMPATIBLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Gender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonNamesTest {

  @Test
  void aTitleLeavesTheSurnameAndAGenderHint() {
    PersonName mr = name("王先生");
    assertThat(mr.titleOnly()).isTrue();
    assertThat(mr.surname()).isEqualTo("王");
    assertThat(mr.genderHint()).isEqualTo(Gender.MALE);
    assertThat(name("欧阳女士").surname()).isEqualTo("欧阳");
    assertThat(name("李小姐").genderHint()).isEqualTo(Gender.FEMALE);
  }

  @ParameterizedTest
  @CsvSource({
    "王伟, 王伟, SAME",
    "王伟, 王玮, SAME",
    "王伟, Wang Wei, SAME",
    "王伟, WEI WANG, SAME",
    "王伟, wangwei, SAME",
    "王伟, 王先生, COMPATIBLE",
    "Wang Wei, 王先生, COMPATIBLE",
    "王伟, 李先生, DIFFERENT",
    "陈建国, 刘芳, DIFFERENT",
    "王伟, 王芳, DIFFERENT",
    "张伟, Zhang Wei, SAME"
  })
  void comparesLikeAClerkWould(String a, String b, PersonNames.Agreement expected) {
    assertThat(PersonNames.compare(name(a), name(b))).isEqualTo(expected);
    assertThat(PersonNames.compare(name(b), name(a))).as("symmetric").isEqualTo(expected);
  }

  @Test
  void aMissingNameContradictsNothing() {
    assertThat(PersonNames.compare(null, name("王伟"))).isEqualTo(COMPATIBLE);
  }

  @Test
  void anOverlongNameIsRefusedWithItsLength() {
    assertThat(PersonNames.standardize("吴".repeat(2000)))
        .isInstanceOfSatisfying(
            Parsed.Refused.class,
            r -> assertThat(r.problem().message()).contains("2000").contains("50"));
  }

  @Test
  void fullWidthRomanisedNamesAreNormalised() {
    assertThat(name("Ｗａｎｇ　Ｗｅｉ").display()).isEqualTo("Wang Wei");
  }

  private static PersonName name(String s) {
    return ((Parsed.Ok<PersonName>) PersonNames.standardize(s)).value();
  }
}
