package com.onemember.mdm.matching;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.mdm.standardize.StandardizedRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdentityMatcherTest {

  private final IdentityMatcher matcher = new IdentityMatcher();

  @Test
  void aSharedMobileWithAgreeingDetailsJoins() {
    CandidateMember wangwei =
        member(aRecord().name("王伟").mobile("13812345678").birthday("1985-06-01").build());
    MatchDecision d =
        matcher.decide(
            aRecord().name("王玮").mobile("138-1234-5678").birthday("1985.6.1").build(),
            List.of(wangwei));
    assertThat(d).isInstanceOf(MatchDecision.Join.class);
    assertThat(((MatchDecision.Join) d).memberId()).isEqualTo(wangwei.id());
    assertThat(d.evidence()).anyMatch(e -> e.contains("MOBILE 13812345678"));
  }

  @Test
  void aHouseholdSharingAPhoneIsNotMerged() {
    CandidateMember husband =
        member(aRecord().name("陈建国").gender("男").mobile("13916882345").build());
    MatchDecision d =
        matcher.decide(
            aRecord().name("刘芳").gender("女").mobile("13916882345").build(), List.of(husband));
    assertThat(d).isInstanceOf(MatchDecision.NewMember.class);
    assertThat(d.evidence()).anyMatch(e -> e.contains("names differ"));
  }

  @Test
  void differentGendersAloneBlockAPhoneOnlyMatch() {
    CandidateMember mr = member(aRecord().name("王先生").mobile("13916882345").build());
    MatchDecision d =
        matcher.decide(aRecord().name("王女士").mobile("13916882345").build(), List.of(mr));
    assertThat(d).isInstanceOf(MatchDecision.NewMember.class);
  }

  @Test
  void differentFullBirthdaysBlockAPhoneOnlyMatch() {
    CandidateMember a = member(aRecord().mobile("13916882345").birthday("1990-01-01").build());
    MatchDecision d =
        matcher.decide(aRecord().mobile("13916882345").birthday("2012-07-07").build(), List.of(a));
    assertThat(d).isInstanceOf(MatchDecision.NewMember.class);
  }

  @Test
  void differentUnionidsNeverMergeEvenWithTheSameNameAndPhone() {
    CandidateMember a =
        member(aRecord().name("张伟").mobile("13812345678").unionid("oUnion_AAAAAAAA").build());
    MatchDecision d =
        matcher.decide(
            aRecord().name("张伟").mobile("13812345678").unionid("oUnion_BBBBBBBB").build(),
            List.of(a));
    assertThat(d).isInstanceOf(MatchDecision.NewMember.class);
    assertThat(d.evidence()).anyMatch(e -> e.contains("unionids differ"));
  }

  @Test
  void aRecordLinkingTwoMembersMergesThemIntoTheOlder() {
    CandidateMember older =
        new CandidateMember(
            UUID.randomUUID(),
            Instant.parse("2026-01-01T00:00:00Z"),
            List.of(aRecord().name("赵敏").mobile("13802020001").build()));
    CandidateMember newer =
        new CandidateMember(
            UUID.randomUUID(),
            Instant.parse("2026-02-01T00:00:00Z"),
            List.of(aRecord().name("赵敏").email("zhaomin@126.com").build()));
    MatchDecision d =
        matcher.decide(
            aRecord().name("赵敏").mobile("13802020001").email("zhaomin@126.com").build(),
            List.of(newer, older));
    assertThat(d).isInstanceOf(MatchDecision.Join.class);
    MatchDecision.Join join = (MatchDecision.Join) d;
    assertThat(join.memberId()).isEqualTo(older.id());
    assertThat(join.absorbed()).containsExactly(newer.id());
  }

  @Test
  void aNamelessRecordDoesNotBridgeTwoDifferentPeople() {
    CandidateMember wang = member(aRecord().name("王伟").mobile("13802020011").build());
    CandidateMember liu = member(aRecord().name("刘芳").email("liufang@126.com").build());
    MatchDecision d =
        matcher.decide(
            aRecord().mobile("13802020011").email("liufang@126.com").build(), List.of(wang, liu));
    assertThat(d).isInstanceOf(MatchDecision.Join.class);
    assertThat(((MatchDecision.Join) d).absorbed()).isEmpty();
  }

  @Test
  void aMemberCardIsStrongEnoughOnItsOwn() {
    CandidateMember card = member(aRecord().name("王伟").card("pos-store-12", "8800101").build());
    MatchDecision d =
        matcher.decide(
            aRecord().name("Wang W.").card("pos-store-12", "8800101").build(), List.of(card));
    assertThat(d).isInstanceOf(MatchDecision.Join.class);
  }

  @Test
  void withoutCandidatesTheRecordIsNew() {
    assertThat(matcher.decide(aRecord().name("孙丽").mobile("13803030001").build(), List.of()))
        .isInstanceOf(MatchDecision.NewMember.class);
  }

  private static CandidateMember member(StandardizedRecord... records) {
    return new CandidateMember(UUID.randomUUID(), Instant.now(), List.of(records));
  }
}
