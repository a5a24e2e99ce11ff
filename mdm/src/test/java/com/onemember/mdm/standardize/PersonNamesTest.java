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
    "张伟, Zhang Wei, SAME",
    "陳偉, 陈伟, SAME",
    "陳偉, Chen Wei, SAME",
    "張麗華, 张丽华, SAME",
    "歐陽娜娜, 欧阳娜娜, SAME",
    "陳偉, 陈先生, COMPATIBLE",
    "張先生, 张伟, COMPATIBLE",
    "陳偉, 张伟, DIFFERENT",
    "王　伟, 王伟, SAME"
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

  @ParameterizedTest
  @CsvSource({
    "陳偉, 陈伟, 陈, chen wei",
    "張麗華, 张丽华, 张, hua li zhang",
    "歐陽修, 欧阳修, 欧阳, ou xiu yang",
    "沈從文, 沈从文, 沈, cong shen wen",
    "蕭亞軒, 萧亚轩, 萧, xiao xuan ya",
    "陈伟, 陈伟, 陈, chen wei"
  })
  void traditionalCharactersAreStoredSimplified(
      String input, String display, String surname, String pinyinKey) {
    PersonName n = name(input);
    assertThat(n.display()).isEqualTo(display);
    assertThat(n.surname()).isEqualTo(surname);
    assertThat(n.pinyinKey()).isEqualTo(pinyinKey);
    assertThat(n.titleOnly()).isFalse();
  }

  @Test
  void traditionalTitlesAreReadLikeSimplifiedOnes() {
    assertThat(name("歐陽女士")).isEqualTo(name("欧阳女士"));
    assertThat(name("陳先生").surname()).isEqualTo("陈");
    PersonName teacher = name("王老師");
    assertThat(teacher.display()).isEqualTo("王老师");
    assertThat(teacher.titleOnly()).isTrue();
    assertThat(teacher.surname()).isEqualTo("王");
  }

  @Test
  void spacesBetweenChineseCharactersAreDropped() {
    assertThat(name("王　伟")).isEqualTo(name("王伟"));
    assertThat(name("王 伟").display()).isEqualTo("王伟");
    assertThat(name("欧阳　娜娜").surname()).isEqualTo("欧阳");
    assertThat(name("王　先生").titleOnly()).isTrue();
    assertThat(name("王 David").display()).as("not a Chinese name").isEqualTo("王 David");
  }

  @Test
  void fullWidthCapitalsAndIdeographicSpaceReadLikeHalfWidth() {
    assertThat(name("ＷＡＮＧ　Ｗｅｉ")).isEqualTo(name("WANG Wei"));
    assertThat(name("ＷＡＮＧ　Ｗｅｉ").display()).isEqualTo("WANG Wei");
  }

  @Test
  void aSurnameOutsideTheBasicPlaneIsOneWholeCharacter() {
    PersonName n = name("𠀀𠀁");
    assertThat(n.surname()).isEqualTo("𠀀");
    assertThat(PersonNames.pinyin("𠀀王")).isEqualTo("𠀀wang");
  }

  private static PersonName name(String s) {
    return ((Parsed.Ok<PersonName>) PersonNames.standardize(s)).value();
  }
}
