package com.onemember.mdm.golden;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Gender;
import com.onemember.canonical.Lineage;
import com.onemember.canonical.LineageSource;
import com.onemember.canonical.Member;
import com.onemember.canonical.ServingStaff;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SurvivorshipTest {

  private static final Survivorship DEFAULTS = new Survivorship(SurvivorshipRules.defaults());

  /** The shipped trust ranking: POS over the mini-program over the web shop over store sheets. */
  private static final Survivorship SHIPPED =
      new Survivorship(
          new SurvivorshipRules(
              List.of(
                  new SurvivorshipRules.SourceTrust("pos-*", 90),
                  new SurvivorshipRules.SourceTrust("wechat-*", 70),
                  new SurvivorshipRules.SourceTrust("web-shop*", 60),
                  new SurvivorshipRules.SourceTrust("store-*", 40)),
              50,
              Map.of()));

  private final UUID id = UUID.randomUUID();
  private final Instant t = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void theNewestSourceValueWinsWhateverTheListOrder() {
    StandardizedRecord old =
        aRecord()
            .name("王伟")
            .birthday("1985-06-01")
            .updatedAt("2025-01-01T00:00:00Z")
            .mobile("13812345678")
            .build();
    StandardizedRecord recent =
        aRecord()
            .name("王玮")
            .updatedAt("2026-03-01T00:00:00Z")
            .mobile("13812345678")
            .email("ww@qq.com")
            .build();
    List<StandardizedRecord> records = new ArrayList<>(List.of(old, recent));
    Member a = DEFAULTS.survive(id, 1, t, t, records);
    Collections.reverse(records);
    Member b = DEFAULTS.survive(id, 1, t, t, records);

    assertThat(a).isEqualTo(b);
    assertThat(a.name()).isEqualTo("王玮");
    assertThat(a.birthday()).isEqualTo("1985-06-01");
    assertThat(a.identifiers()).hasSize(2);
  }

  @Test
  void aFullNameBeatsANewerTitleAndTheTitleStillGivesTheGender() {
    StandardizedRecord full =
        aRecord().name("李娜").updatedAt("2025-01-01T00:00:00Z").mobile("13812345678").build();
    StandardizedRecord title =
        aRecord().name("李女士").updatedAt("2026-01-01T00:00:00Z").mobile("13812345678").build();
    Member m = DEFAULTS.survive(id, 1, t, t, List.of(title, full));
    assertThat(m.name()).isEqualTo("李娜");
    assertThat(m.gender()).isEqualTo(Gender.FEMALE);
  }

  @Test
  void aDatedBirthdayBeatsAYearlessOne() {
    StandardizedRecord yearless =
        aRecord().name("冯梅").birthday("5月3日").updatedAt("2026-01-01T00:00:00Z").build();
    StandardizedRecord dated =
        aRecord().name("冯梅").birthday("1990-05-03").updatedAt("2025-01-01T00:00:00Z").build();
    assertThat(DEFAULTS.survive(id, 1, t, t, List.of(yearless, dated)).birthday())
        .isEqualTo("1990-05-03");
  }

  @Test
  void aChineseNameBeatsANewerRomanisedOne() {
    StandardizedRecord pos =
        aRecord().name("张伟").updatedAt("2025-01-01T00:00:00Z").mobile("13812345678").build();
    StandardizedRecord shop =
        aRecord().name("Wei Zhang").updatedAt("2026-01-01T00:00:00Z").mobile("13812345678").build();
    assertThat(DEFAULTS.survive(id, 1, t, t, List.of(shop, pos)).name()).isEqualTo("张伟");
  }

  @Test
  void conflictingSourcesAreSettledByTrustThenBySourceTimeAndTheLineageSaysSo() {
    StandardizedRecord pos =
        aRecord()
            .source("pos-store-12")
            .id("card-8810101")
            .name("陈静")
            .gender("女")
            .birthday("1988-02-14")
            .updatedAt("2024-05-01T08:00:00Z")
            .mobile("13912345678")
            .build();
    StandardizedRecord shopOld =
        aRecord()
            .source("web-shop")
            .id("u-1001")
            .name("陈晶")
            .birthday("1988-02-15")
            .updatedAt("2026-01-01T00:00:00Z")
            .mobile("13912345678")
            .build();
    StandardizedRecord shopNew =
        aRecord()
            .source("web-shop")
            .id("u-1002")
            .name("陈菁")
            .birthday("1988-02-15")
            .updatedAt("2026-06-01T00:00:00Z")
            .mobile("13912345678")
            .build();

    // the POS is trusted most, however old its record
    Member all = SHIPPED.survive(id, 1, t, t, List.of(shopNew, pos, shopOld));
    assertThat(all.name()).isEqualTo("陈静");
    Lineage name = lineage(all, "name");
    assertThat(name.rule()).isEqualTo("SOURCE_TRUST");
    assertThat(name.reason()).contains("pos-store-12 (90) over web-shop (60)");
    assertThat(name.sources().get(0).sourceRecordId()).isEqualTo("card-8810101");

    // between two records of one source, the one the source changed last, in any list order
    for (List<StandardizedRecord> order :
        List.of(List.of(shopOld, shopNew), List.of(shopNew, shopOld))) {
      Member shop = SHIPPED.survive(id, 1, t, t, order);
      assertThat(shop.name()).isEqualTo("陈菁");
      assertThat(lineage(shop, "name").rule()).isEqualTo("MOST_RECENT");
      assertThat(lineage(shop, "name").sources().get(0).sourceRecordId()).isEqualTo("u-1002");
      // both give the same birthday: no conflict, both named as its sources
      assertThat(lineage(shop, "birthday").rule()).isEqualTo("AGREED");
      assertThat(lineage(shop, "birthday").sources()).hasSize(2);
    }
  }

  @Test
  void theSourceTimeDecidesNotWhenTheHubReceivedTheRecord() {
    // the web shop's export arrived last but says the record was changed long ago
    StandardizedRecord lateExport =
        aRecord().source("web-shop").name("刘洋").updatedAt("2023-03-01T00:00:00Z").build();
    StandardizedRecord recentChange =
        aRecord().source("web-shop").name("刘阳").updatedAt("2025-09-01T00:00:00Z").build();
    assertThat(SHIPPED.survive(id, 1, t, t, List.of(recentChange, lateExport)).name())
        .isEqualTo("刘阳");
  }

  @Test
  void aSourceNoRuleNamesGetsTheDefaultTrust() {
    StandardizedRecord sheet =
        aRecord().source("store-hangzhou-01").name("周杰").updatedAt("2026-05-01T00:00:00Z").build();
    StandardizedRecord unknown =
        aRecord().source("crm-legacy").name("周洁").updatedAt("2020-01-01T00:00:00Z").build();
    Member m = SHIPPED.survive(id, 1, t, t, List.of(sheet, unknown));
    assertThat(m.name()).isEqualTo("周洁");
    assertThat(lineage(m, "name").reason()).contains("crm-legacy (50) over store-hangzhou-01 (40)");
  }

  @Test
  void mostFrequentSettlesABirthdayTheTrustedSourcesDisagreeOn() {
    StandardizedRecord a =
        aRecord()
            .source("web-shop")
            .id("a")
            .name("孙丽")
            .birthday("1990-05-03")
            .updatedAt("2026-01-01T00:00:00Z")
            .build();
    StandardizedRecord b =
        aRecord()
            .source("web-shop")
            .id("b")
            .name("孙丽")
            .birthday("1990-05-03")
            .updatedAt("2024-01-01T00:00:00Z")
            .build();
    StandardizedRecord c =
        aRecord()
            .source("web-shop")
            .id("c")
            .name("孙丽")
            .birthday("1990-03-05")
            .updatedAt("2026-09-01T00:00:00Z")
            .build();
    Member m = SHIPPED.survive(id, 1, t, t, List.of(c, b, a));
    assertThat(m.birthday()).isEqualTo("1990-05-03");
    Lineage birthday = lineage(m, "birthday");
    assertThat(birthday.rule()).isEqualTo("MOST_FREQUENT");
    assertThat(birthday.sources())
        .extracting(LineageSource::sourceRecordId)
        .containsExactly("a", "b");
  }

  @Test
  void identifiersAreAUnionEachNamingEveryRecordThatHasIt() {
    StandardizedRecord pos =
        aRecord()
            .source("pos-store-12")
            .id("p1")
            .name("黄磊")
            .mobile("13812345678")
            .card("pos-store-12", "8800123")
            .build();
    StandardizedRecord mini =
        aRecord()
            .source("wechat-mini")
            .id("w1")
            .name("黄磊")
            .mobile("13812345678")
            .unionid("oUnion_8kq2x")
            .build();
    Member m = SHIPPED.survive(id, 1, t, t, List.of(mini, pos));
    assertThat(m.identifiers()).hasSize(3);
    Lineage mobile =
        m.lineage().stream()
            .filter(l -> l.attribute().equals("identifiers") && l.value().startsWith("MOBILE"))
            .findFirst()
            .orElseThrow();
    assertThat(mobile.rule()).isEqualTo("UNION");
    assertThat(mobile.sources())
        .extracting(LineageSource::sourceRecordId)
        .containsExactly("p1", "w1");
    assertThat(m.lineage()).filteredOn(l -> l.attribute().equals("identifiers")).hasSize(3);
  }

  @Test
  void twoRecordsServedByTwoStaffGiveBothOrderedBySystemThenStaffEachWithItsLineage() {
    // the WeCom contact list says 张伟 serves her; the POS, without naming a system, its cashier
    StandardizedRecord wecom =
        aRecord()
            .source("wecom-contacts-it")
            .id("wmX3kP")
            .name("陈静")
            .mobile("13912345678")
            .servedBy("wecom-contacts-it", "zhangwei")
            .build();
    StandardizedRecord pos =
        aRecord()
            .source("pos-store-12")
            .id("card-8810101")
            .name("陈静")
            .mobile("13912345678")
            .servedBy(null, "wangfang")
            .build();

    Member m = SHIPPED.survive(id, 1, t, t, List.of(wecom, pos));

    assertThat(m.servedBy())
        .containsExactly(
            ServingStaff.of("pos-store-12", "wangfang"),
            ServingStaff.of("wecom-contacts-it", "zhangwei"));
    List<Lineage> served =
        m.lineage().stream().filter(l -> l.attribute().equals("servedBy")).toList();
    assertThat(served)
        .extracting(Lineage::value)
        .containsExactly("wangfang (pos-store-12)", "zhangwei (wecom-contacts-it)");
    assertThat(served).allSatisfy(l -> assertThat(l.rule()).isEqualTo("UNION"));
    assertThat(served.get(1).sources())
        .extracting(LineageSource::sourceRecordId)
        .containsExactly("wmX3kP");
  }

  @Test
  void aStaffMemberTwoRecordsNameIsListedOnceWithThePreferredRecordsDates() {
    Instant since = Instant.parse("2025-03-01T02:00:00Z");
    Instant departed = Instant.parse("2026-10-31T10:00:00Z");
    // the POS is trusted over the mini-program, so its word that 张伟 has left stands
    StandardizedRecord pos =
        aRecord()
            .source("pos-store-12")
            .id("card-8810101")
            .name("陈静")
            .updatedAt("2024-05-01T08:00:00Z")
            .servedBy(new ServingStaff("wecom-contacts-it", "zhangwei", since, departed))
            .build();
    StandardizedRecord mini =
        aRecord()
            .source("wechat-mini")
            .id("oUnion_8kq2x")
            .name("陈静")
            .updatedAt("2026-06-01T00:00:00Z")
            .servedBy(new ServingStaff("wecom-contacts-it", "zhangwei", since, null))
            .build();

    Member m = SHIPPED.survive(id, 1, t, t, List.of(mini, pos));

    assertThat(m.servedBy())
        .containsExactly(new ServingStaff("wecom-contacts-it", "zhangwei", since, departed));
    Lineage zhangwei = lineage(m, "servedBy");
    assertThat(zhangwei.value()).isEqualTo("zhangwei (wecom-contacts-it)");
    assertThat(zhangwei.reason()).contains("2 source records have it");
    assertThat(zhangwei.sources())
        .extracting(LineageSource::sourceRecordId)
        .containsExactly("card-8810101", "oUnion_8kq2x");

    // between records of equally trusted sources, the one the source changed last
    StandardizedRecord older =
        aRecord()
            .source("web-shop")
            .id("u-1")
            .name("陈静")
            .updatedAt("2025-01-01T00:00:00Z")
            .servedBy(new ServingStaff("wecom-contacts-it", "zhangwei", since, null))
            .build();
    StandardizedRecord newer =
        aRecord()
            .source("web-shop")
            .id("u-2")
            .name("陈静")
            .updatedAt("2026-11-01T00:00:00Z")
            .servedBy(new ServingStaff("wecom-contacts-it", "zhangwei", since, departed))
            .build();
    assertThat(SHIPPED.survive(id, 1, t, t, List.of(newer, older)).servedBy())
        .singleElement()
        .extracting(ServingStaff::departedAt)
        .isEqualTo(departed);
  }

  @Test
  void theServingStaffDoNotDependOnTheOrderTheRecordsAreListedIn() {
    StandardizedRecord a =
        aRecord()
            .source("wecom-contacts-it")
            .id("wm-a")
            .name("黄磊")
            .updatedAt("2026-01-01T00:00:00Z")
            .servedBy("wecom-contacts-it", "zhangwei")
            .servedBy("wecom-contacts-it", "lina")
            .build();
    StandardizedRecord b =
        aRecord()
            .source("wecom-contacts-sh")
            .id("wm-b")
            .name("黄磊")
            .updatedAt("2026-02-01T00:00:00Z")
            .servedBy("wecom-contacts-sh", "zhangwei")
            .servedBy(
                new ServingStaff(
                    "wecom-contacts-it", "lina", Instant.parse("2026-02-01T00:00:00Z"), null))
            .build();
    StandardizedRecord c =
        aRecord()
            .source("pos-store-12")
            .id("card-1")
            .name("黄磊")
            .updatedAt("2025-06-01T00:00:00Z")
            .servedBy(null, "chenmin")
            .build();

    Member first = SHIPPED.survive(id, 1, t, t, List.of(a, b, c));
    for (List<StandardizedRecord> order :
        List.of(List.of(c, b, a), List.of(b, a, c), List.of(c, a, b), List.of(a, c, b))) {
      assertThat(SHIPPED.survive(id, 1, t, t, order)).isEqualTo(first);
    }
    assertThat(first.servedBy())
        .extracting(ServingStaff::source, ServingStaff::staffId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("pos-store-12", "chenmin"),
            org.assertj.core.groups.Tuple.tuple("wecom-contacts-it", "lina"),
            org.assertj.core.groups.Tuple.tuple("wecom-contacts-it", "zhangwei"),
            org.assertj.core.groups.Tuple.tuple("wecom-contacts-sh", "zhangwei"));
    // lina is named by two equally trusted records: the newer one's date stands
    assertThat(first.servedBy().get(1).since()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
  }

  @Test
  void aMemberNoRecordSaysAnyoneServesHasNoServingStaffAndNoLineageForThem() {
    Member m =
        DEFAULTS.survive(id, 1, t, t, List.of(aRecord().name("王伟").mobile("13812345678").build()));
    assertThat(m.servedBy()).isEmpty();
    assertThat(m.lineage()).noneMatch(l -> l.attribute().equals("servedBy"));
  }

  @Test
  void settingsNameTheirMistakes() {
    var badRule =
        new com.onemember.mdm.ingest.SurvivorshipSettings(
            List.of(), 50, Map.of("name", List.of("MOST_TRUSTED")));
    org.assertj.core.api.Assertions.assertThatThrownBy(badRule::rules)
        .hasMessageContaining("unknown rule 'MOST_TRUSTED' for name");
    var badAttribute =
        new com.onemember.mdm.ingest.SurvivorshipSettings(
            List.of(), 50, Map.of("nickname", List.of("MOST_RECENT")));
    org.assertj.core.api.Assertions.assertThatThrownBy(badAttribute::rules)
        .hasMessageContaining("unknown attribute 'nickname'");
    var ok =
        new com.onemember.mdm.ingest.SurvivorshipSettings(
            List.of(new SurvivorshipRules.SourceTrust("pos-*", 90)),
            30,
            Map.of("name", List.of("most-recent")));
    assertThat(ok.rules().chain(GoldenAttribute.NAME))
        .containsExactly(SurvivorshipRule.MOST_RECENT);
    assertThat(ok.rules().trustOf("pos-store-12")).isEqualTo(90);
    assertThat(ok.rules().trustOf("web-shop")).isEqualTo(30);
  }

  private static Lineage lineage(Member m, String attribute) {
    return m.lineage().stream()
        .filter(l -> l.attribute().equals(attribute))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no lineage for " + attribute + ": " + m.lineage()));
  }
}
