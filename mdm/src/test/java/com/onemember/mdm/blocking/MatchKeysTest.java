package com.onemember.mdm.blocking;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One key scheme: identifiers by type, scoped source ids with their scope, no id number in clear.
 */
class MatchKeysTest {

  @Test
  void aNationalIdIsKeyedByADigestNeverByTheNumber() {
    List<String> keys =
        MatchKeys.of(aRecord().name("李娜").nationalId("11010519491231002X").features());

    assertThat(keys).noneMatch(k -> k.contains("11010519491231002X"));
    assertThat(keys).anyMatch(k -> k.matches("NATIONAL_ID:[0-9a-f]{32}"));
  }

  @Test
  void eachIdentifierHasOneKeyAndScopedOnesCarryTheirScope() {
    List<String> keys =
        MatchKeys.of(
            aRecord()
                .name("王伟")
                .mobile("13812345678")
                .email("wangwei@qq.com")
                .unionid("oUnion_W1")
                .card("pos-store-12", "8800123")
                .features());

    assertThat(keys)
        .contains(
            "MOBILE:13812345678",
            "masked:138****5678",
            "EMAIL:wangwei@qq.com",
            "WECHAT_UNIONID:oUnion_W1",
            "MEMBER_CARD:pos-store-12:8800123")
        .doesNotContain("mobile:13812345678", "email:wangwei@qq.com", "unionid:oUnion_W1");
    assertThat(keys).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aLandlineGivesNoKey() {
    assertThat(MatchKeys.of(aRecord().name("张敏").mobile("021-6234 5678").features()))
        .noneMatch(k -> k.contains("62345678"));
  }
}
