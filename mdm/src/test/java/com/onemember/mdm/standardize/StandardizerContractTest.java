package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every standardizer keeps: null and blank in, nothing (or "unknown") out, never an
 * exception; full-width input reads like half-width; emoji and other junk give a clear refusal, not
 * a crash; different spellings of one value (陳偉 / 陈伟, 123456789@foxmail.com / 123456789@qq.com)
 * give one result; and the name comparison is symmetric.
 */
class StandardizerContractTest {

  static Stream<Arguments> standardizers() {
    return Stream.of(
        Arguments.of(Named.of("mobile", (Function<String, Object>) MobileNumbers::standardize)),
        Arguments.of(Named.of("email", (Function<String, Object>) Emails::standardize)),
        Arguments.of(Named.of("gender", (Function<String, Object>) Genders::standardize)),
        Arguments.of(Named.of("birthday", (Function<String, Object>) Birthdays::standardize)),
        Arguments.of(Named.of("name", (Function<String, Object>) PersonNames::standardize)));
  }

  @ParameterizedTest
  @MethodSource("standardizers")
  void nullAndBlankGiveNoValueAndNoProblem(Function<String, Object> standardizer) {
    for (String blank : new String[] {null, "", "   ", "\u3000", "\t\n"}) {
      Object out = standardizer.apply(blank);
      assertThat(out == null || out instanceof Parsed.Ok<?>)
          .as("blank %s gives %s", blank, out)
          .isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("standardizers")
  void emojiAndControlCharactersNeverThrow(Function<String, Object> standardizer) {
    for (String junk :
        new String[] {
          "🌸花花", "😀", "\u0000\u0007", "=HYPERLINK(\"x\")", "𠀀𠀁", "陳🌸偉", "😀@qq.com", "\ud800陳"
        }) {
      standardizer.apply(junk);
    }
  }

  @ParameterizedTest
  @MethodSource("standardizers")
  void surroundingSpaceDoesNotChangeTheResult(Function<String, Object> standardizer) {
    for (String v :
        new String[] {
          "13812345678", "a@b.cn", "男", "1990-05-03", "张伟", "陳偉", "123456789@vip.qq.com"
        }) {
      assertThat(standardizer.apply("  " + v + "\u3000")).isEqualTo(standardizer.apply(v));
    }
  }

  @ParameterizedTest
  @MethodSource("standardizers")
  void fullWidthInputReadsLikeHalfWidth(Function<String, Object> standardizer) {
    String[][] pairs = {
      {"１３８１２３４５６７８", "13812345678"},
      {"ａｂｃ＠ｑｑ．ｃｏｍ", "abc@qq.com"},
      {"Ｍ", "M"},
      {"１９９０－０５－０３", "1990-05-03"},
      {"Ｗａｎｇ　Ｗｅｉ", "Wang Wei"},
      {"ＷＡＮＧ　Ｗｅｉ", "WANG Wei"},
      {"王　伟", "王 伟"},
      {"１２３４５６７８９＠ＱＱ．ｃｏｍ", "123456789@QQ.com"},
      {"ｗａｎｇ．ｗｅｉ＋ｓｈｏｐ＠ｇｍａｉｌ．ｃｏｍ", "wang.wei+shop@gmail.com"}
    };
    for (String[] p : pairs) {
      assertThat(standardizer.apply(p[0])).as(p[0]).isEqualTo(standardizer.apply(p[1]));
    }
  }

  /** Spellings of one value that the named standardizer must not tell apart. */
  static Stream<Arguments> sameValues() {
    Function<String, Object> name = PersonNames::standardize;
    Function<String, Object> email = Emails::standardize;
    return Stream.of(
        Arguments.of(Named.of("name", name), "陳偉", "陈伟"),
        Arguments.of(Named.of("name", name), "張麗華", "张丽华"),
        Arguments.of(Named.of("name", name), "歐陽娜娜", "欧阳娜娜"),
        Arguments.of(Named.of("name", name), "陳先生", "陈先生"),
        Arguments.of(Named.of("name", name), "王　伟", "王伟"),
        Arguments.of(Named.of("name", name), "ＷＡＮＧ　Ｗｅｉ", "WANG Wei"),
        Arguments.of(Named.of("email", email), "123456789@QQ.com", "123456789@qq.com"),
        Arguments.of(Named.of("email", email), "123456789@vip.qq.com", "123456789@qq.com"),
        Arguments.of(Named.of("email", email), "123456789@foxmail.com", "123456789@qq.com"),
        Arguments.of(Named.of("email", email), " Wang@163.COM ", "wang@163.com"));
  }

  @ParameterizedTest(name = "{0}: {1} = {2}")
  @MethodSource("sameValues")
  void spellingsOfOneValueGiveOneResult(Function<String, Object> standardizer, String a, String b) {
    Object result = standardizer.apply(a);
    assertThat(result).isInstanceOf(Parsed.Ok.class).isEqualTo(standardizer.apply(b));
  }

  @Test
  void distinctValuesStayDistinct() {
    assertThat(Emails.standardize("wangwei@foxmail.com"))
        .isNotEqualTo(Emails.standardize("wangwei@qq.com"));
    assertThat(Emails.standardize("wang.wei@gmail.com"))
        .isNotEqualTo(Emails.standardize("wangwei@gmail.com"));
    assertThat(PersonNames.standardize("陳偉")).isNotEqualTo(PersonNames.standardize("陈玮"));
  }

  @Test
  void nameComparisonIsSymmetric() {
    String[] names = {
      "陳偉", "陈伟", "王伟", "王　伟", "Wang Wei", "ＷＡＮＧ　Ｗｅｉ", "陳先生", "歐陽女士", "欧阳娜娜", "🌸花花", "𠀀𠀁", null
    };
    for (String x : names) {
      for (String y : names) {
        PersonName a = name(x);
        PersonName b = name(y);
        assertThat(PersonNames.compare(a, b))
            .as("%s ~ %s", x, y)
            .isEqualTo(PersonNames.compare(b, a));
      }
    }
  }

  private static PersonName name(String s) {
    Parsed<PersonName> p = PersonNames.standardize(s);
    return p instanceof Parsed.Ok<PersonName> ok ? ok.value() : null;
  }
}
