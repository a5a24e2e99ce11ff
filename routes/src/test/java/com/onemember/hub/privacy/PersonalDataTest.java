package com.onemember.hub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a steward or auditor sees of personal data, field by field and in free text. */
class PersonalDataTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void identifiersBirthdaysAndAddressesAreMaskedByWhatTheyAreAndNamesStay() {
    JsonNode member =
        JSON.readTree(
            """
            {"name":"陆毅","birthday":"1976-12-07",
             "identifiers":[{"type":"MOBILE","value":"15290070001"},
                            {"type":"EMAIL","value":"luyi1976@163.com"},
                            {"type":"NATIONAL_ID","value":"11010519491231002X"},
                            {"type":"WECHAT_OPENID","value":"oX9aP1Ls3kQ7vT2mW8rE5yN4bH6c","scope":"wx5f2a09c3e1b7d846"}],
             "addresses":[{"province":"上海市","city":"上海市","district":"静安区","line":"南京西路1266号恒隆广场"}],
             "lineage":[{"attribute":"birthday","value":"1976-12-07"},
                        {"attribute":"addresses","value":"上海市 静安区 南京西路1266号"},
                        {"attribute":"identifiers","value":"MOBILE 15290070001"}],
             "sourceRecords":[{"raw":{"生日":"1976年12月7日","地址":"南京西路1266号","备注":"家里电话 021-62345678，手机15290070002，邮箱 a.b@qq.com"}}]}
            """);

    PersonalData.mask(member);
    String text = member.toString();

    assertThat(member.path("name").asString()).isEqualTo("陆毅");
    assertThat(member.path("birthday").asString()).isEqualTo("1976-**-**");
    assertThat(member.path("identifiers").get(0).path("value").asString()).isEqualTo("152****0001");
    assertThat(member.path("identifiers").get(1).path("value").asString())
        .isEqualTo("l***@163.com");
    assertThat(member.path("identifiers").get(2).path("value").asString())
        .isEqualTo("110***********002X");
    assertThat(member.path("identifiers").get(3).path("value").asString())
        .isEqualTo("oX9aP1Ls3kQ7vT2mW8rE5yN4bH6c");
    assertThat(member.path("addresses").get(0).path("district").asString()).isEqualTo("静安区");
    assertThat(member.path("addresses").get(0).path("line").asString())
        .startsWith("南京西路")
        .contains("*");
    assertThat(text)
        .doesNotContain("15290070001")
        .doesNotContain("15290070002")
        .doesNotContain("1266号")
        .doesNotContain("12月7日")
        .doesNotContain("a.b@qq.com")
        .contains("152****0002")
        .contains("021-****5678")
        .contains("a***@qq.com");
  }

  @Test
  void idsStayAsTheyAreEvenWhenTheirDigitsLookLikeAPhone() {
    JsonNode node =
        JSON.readTree(
            "{\"id\":\"8b332890-2e4d-491e-a21d-013812345678\",\"mergedIds\":"
                + "[\"8b332890-2e4d-491e-a21d-021623456789\"],\"sourceRecordId\":\"13812345678\"}");
    String before = node.toString();
    PersonalData.mask(node);
    assertThat(node.toString()).isEqualTo(before);
  }

  @Test
  void theHubsOwnTimesStayReadableButABirthdayInAnAtFieldIsStillMasked() {
    JsonNode node =
        JSON.readTree(
            "{\"createdAt\":\"2026-12-07T12:52:17.643124Z\",\"at\":\"2026-12-07T08:00:00+08:00\","
                + "\"lookedAt\":\"1990-05-17\",\"note\":\"生日 1990-05-17\"}");
    PersonalData.mask(node);
    assertThat(node.path("createdAt").asString()).isEqualTo("2026-12-07T12:52:17.643124Z");
    assertThat(node.path("at").asString()).isEqualTo("2026-12-07T08:00:00+08:00");
    assertThat(node.path("lookedAt").asString()).isEqualTo("1990-**-**");
    assertThat(node.path("note").asString()).doesNotContain("05-17");
  }

  @Test
  void freeTextKeepsWhatIsNoPersonalData() {
    assertThat(PersonalData.text("积分 1200，订单 20261206001234"))
        .isEqualTo("积分 1200，订单 20261206001234");
    assertThat(PersonalData.text("生日 1990.5.3 来店")).isEqualTo("生日 1990.**.** 来店");
  }
}
