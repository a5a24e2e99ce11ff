package com.onemember.mdm.standardize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailsTest {

  @ParameterizedTest
  @CsvSource({
    "'  Wang.Wei@Example.COM ', wang.wei@example.com",
    "ｗａｎｇ＠１６３．ｃｏｍ, wang@163.com",
    "'wang @ 163.com', wang@163.com",
    "张伟@163.com, 张伟@163.com"
  })
  void caseSpaceAndFullWidthAreRemoved(String input, String expected) {
    assertThat(email(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "123456789@QQ.com, 123456789@qq.com",
    "123456789@vip.qq.com, 123456789@qq.com",
    "123456789@foxmail.com, 123456789@qq.com",
    "123456789@FOXMAIL.COM, 123456789@qq.com",
    "１２３４５６７８９＠ｖｉｐ．ｑｑ．ｃｏｍ, 123456789@qq.com",
    "10001@foxmail.com, 10001@qq.com",
    "12345678901@vip.qq.com, 12345678901@qq.com"
  })
  void theAddressesOfOneQqNumberBecomeOne(String input, String expected) {
    assertThat(email(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "wangwei@foxmail.com",
        "wangwei@vip.qq.com",
        "1234@foxmail.com",
        "123456789012@vip.qq.com",
        "12345678+shop@foxmail.com",
        "qq123456789@vip.qq.com",
        "123456789@163.com",
        "123456789@mail.qq.com.cn"
      })
  void otherAddressesAtQqDomainsStayAsTheyAre(String address) {
    assertThat(email(address)).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"wang.wei+shop@gmail.com", "w.a.n.g@gmail.com", "wangwei+tag@qq.com"})
  void dotsAndPlusTagsAreKept(String address) {
    assertThat(email(address)).isEqualTo(address);
  }

  @Test
  void blankIsNothing() {
    assertThat(Emails.standardize(null)).isNull();
    assertThat(Emails.standardize("")).isNull();
    assertThat(Emails.standardize(" \u3000 ")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "wangwei",
        "wang@163",
        "@qq.com",
        "a@b@qq.com",
        "😀@qq.com",
        "wang🌸@163.com",
        "🌸花花",
        "123456789@qq.com😀"
      })
  void anythingElseIsRefusedWithTheValueQuoted(String input) {
    assertThat(Emails.standardize(input))
        .isInstanceOfSatisfying(
            Parsed.Refused.class,
            r -> {
              assertThat(r.problem().field()).isEqualTo("email");
              assertThat(r.problem().message())
                  .contains("邮箱")
                  .contains("is not an e-mail address")
                  .contains("「" + Text.clean(input));
            });
  }

  private static String email(String s) {
    return ((Parsed.Ok<String>) Emails.standardize(s)).value();
  }
}
