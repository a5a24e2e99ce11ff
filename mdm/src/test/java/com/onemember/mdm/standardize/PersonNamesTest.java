package com.onemember.mdm.standardize;

import static com.onemember.mdm.standardize.PersonNames.Agreement.COMPATIBLE;
import static com.onemember.mdm.standardize.PersonNames.Agreement.SAME;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Gender;
import java.util.ArrayList;
import java.util.List;
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

  @ParameterizedTest(name = "{0} is read {1}")
  @CsvSource({
    "曾, zeng",
    "单, shan",
    "仇, qiu",
    "区, ou",
    "解, xie",
    "查, zha",
    "朴, piao",
    "覃, qin",
    "尉迟, yuchi",
    "尉, wei",
    "万俟, moqi",
    "长孙, zhangsun",
    "单于, chanyu",
    "澹台, tantai",
    "令狐, linghu",
    "欧阳, ouyang",
    "司马, sima",
    "诸葛, zhuge",
    "乐, yue",
    "翟, zhai",
    "柏, bai",
    "那, na",
    "繁, po",
    "闾丘, lvqiu",
    "單, shan",
    "歐陽, ouyang",
    "王, wang",
    "张, zhang"
  })
  void aSurnameIsReadAsASurname(String surname, String pinyin) {
    assertThat(PersonNames.surnamePinyin(surname)).isEqualTo(pinyin);
  }

  @Test
  void zengWeiIsZengNotCeng() {
    PersonName zeng = name("曾伟");
    assertThat(zeng.surname()).isEqualTo("曾");
    assertThat(PersonNames.surnamePinyin(zeng.surname())).isEqualTo("zeng");
    assertThat(zeng.pinyinKey()).isEqualTo("wei zeng");
    assertThat(name("曾先生").pinyinKey()).isEqualTo("zeng");
  }

  @Test
  void aSurnameCharacterInTheGivenNameKeepsItsEverydayReading() {
    String everyday = PersonNames.pinyin("曾");
    assertThat(everyday).as("pinyin4j's first reading").isNotEqualTo("zeng");
    assertThat(name("王曾").pinyinKey()).isEqualTo(String.join(" ", sorted(everyday, "wang")));
    assertThat(name("曾曾").pinyinKey()).isEqualTo(String.join(" ", sorted(everyday, "zeng")));
    assertThat(PersonNames.pinyin("单田芳"))
        .as("plain pinyin is not a surname reading")
        .startsWith("dan");
  }

  @ParameterizedTest(name = "{0}: surname {1}, romanised {2}")
  @CsvSource({
    "曾伟, 曾, Zeng Wei",
    "单田芳, 单, Shan Tianfang",
    "仇英, 仇, Qiu Ying",
    "区志强, 区, Ou Zhiqiang",
    "解缙, 解, Xie Jin",
    "查良镛, 查, Zha Liangyong",
    "朴树, 朴, Piao Shu",
    "覃静, 覃, Qin Jing",
    "尉迟恭, 尉迟, Yuchi Gong",
    "尉缭, 尉, Wei Liao",
    "万俟明, 万俟, Moqi Ming",
    "长孙无忌, 长孙, Zhangsun Wuji",
    "澹台明, 澹台, Tantai Ming",
    "令狐冲, 令狐, Linghu Chong",
    "司马光, 司马, Sima Guang",
    "诸葛亮, 诸葛, Zhuge Liang",
    "乐嘉, 乐, Yue Jia",
    "翟天临, 翟, Zhai Tianlin",
    "柏杨, 柏, Bai Yang",
    "單田芳, 单, Shan Tianfang",
    "单于洋, 单, Shan Yuyang"
  })
  void aPolyphonicOrCompoundSurnameMeetsItsRomanisedForm(
      String chinese, String surname, String romanised) {
    assertThat(name(chinese).surname()).isEqualTo(surname);
    assertThat(PersonNames.compare(name(chinese), name(romanised))).isEqualTo(SAME);
    assertThat(PersonNames.compare(name(romanised), name(chinese))).isEqualTo(SAME);
  }

  @ParameterizedTest
  @CsvSource({
    "Zeng Wei, 曾伟, SAME",
    "ZENG WEI, 曾伟, SAME",
    "zengwei, 曾伟, SAME",
    "曾伟, 曾先生, COMPATIBLE",
    "Zeng Wei, 曾先生, COMPATIBLE",
    "Ouyang Nana, 欧阳娜娜, SAME",
    "Ouyang Nana, 欧阳女士, COMPATIBLE",
    "Zhang Lihua, 张丽华, SAME",
    "Lihua Zhang, 张丽华, SAME",
    "ZHANGLIHUA, 张丽华, SAME",
    "Zhang Lihua, 张丽, DIFFERENT",
    "Yuchi Gong, 尉迟女士, COMPATIBLE",
    "尉迟恭, 尉先生, DIFFERENT",
    "Shan Tianfang, 单先生, COMPATIBLE",
    "曾伟, 王伟, DIFFERENT"
  })
  void surnamesAreComparedByTheirSurnameReading(
      String a, String b, PersonNames.Agreement expected) {
    assertThat(PersonNames.compare(name(a), name(b))).isEqualTo(expected);
    assertThat(PersonNames.compare(name(b), name(a))).as("symmetric").isEqualTo(expected);
  }

  private static List<String> sorted(String... syllables) {
    List<String> list = new ArrayList<>(List.of(syllables));
    list.sort(null);
    return list;
  }

  private static PersonName name(String s) {
    return ((Parsed.Ok<PersonName>) PersonNames.standardize(s)).value();
  }
}
