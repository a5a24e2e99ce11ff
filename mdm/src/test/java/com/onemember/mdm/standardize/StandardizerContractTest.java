package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every standardizer keeps: null and blank in, nothing (or "unknown") out, never an
 * exception; full-width input reads like half-width; emoji and other junk give a clear refusal, not
 * a crash.
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
    for (String junk : new String[] {"🌸花花", "😀", "\u0000\u0007", "=HYPERLINK(\"x\")", "𠀀𠀁"}) {
      standardizer.apply(junk);
    }
  }

  @ParameterizedTest
  @MethodSource("standardizers")
  void surroundingSpaceDoesNotChangeTheResult(Function<String, Object> standardizer) {
    for (String v : new String[] {"13812345678", "a@b.cn", "男", "1990-05-03", "张伟"}) {
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
      {"Ｗａｎｇ　Ｗｅｉ", "Wang Wei"}
    };
    for (String[] p : pairs) {
      assertThat(standardizer.apply(p[0])).as(p[0]).isEqualTo(standardizer.apply(p[1]));
    }
  }
}
