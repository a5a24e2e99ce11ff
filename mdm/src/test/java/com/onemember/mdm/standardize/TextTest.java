package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextTest {

  @Test
  void blankIsNull() {
    assertThat(Text.clean(null)).isNull();
    assertThat(Text.clean("")).isNull();
    assertThat(Text.clean(" \u3000\t\n\u200b\ufeff")).isNull();
  }

  @Test
  void fullWidthBecomesHalfWidthAndSpaceIsCollapsed() {
    assertThat(Text.clean("ＷＡＮＧ　Ｗｅｉ")).isEqualTo("WANG Wei");
    assertThat(Text.clean("  王\u3000\u3000伟\u200b ")).isEqualTo("王 伟");
    assertThat(Text.clean("１３８＠ｑｑ．ｃｏｍ")).isEqualTo("138@qq.com");
  }

  @ParameterizedTest
  @CsvSource({
    "陳偉, 陈伟",
    "張麗華, 张丽华",
    "歐陽, 欧阳",
    "蕭, 萧",
    "鍾, 钟",
    "乾隆, 乾隆",
    "沈, 沈",
    "陳 David, 陈 David",
    "𠁞, 𠀾"
  })
  void traditionalCharactersBecomeSimplified(String traditional, String simplified) {
    assertThat(Text.simplified(traditional)).isEqualTo(simplified);
  }

  @Test
  void textWithoutTraditionalCharactersIsReturnedAsItIs() {
    for (String s : new String[] {"王伟", "Wang Wei", "", "🌸花花", "𠀀𠀁", "\u0000"}) {
      assertThat(Text.simplified(s)).isSameAs(s);
    }
  }

  @Test
  void emojiAroundTraditionalCharactersSurvive() {
    assertThat(Text.simplified("🌸陳偉😀")).isEqualTo("🌸陈伟😀");
  }
}
