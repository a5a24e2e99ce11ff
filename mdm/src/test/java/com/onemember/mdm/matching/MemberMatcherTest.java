package com.onemember.mdm.matching;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.mdm.scoring.Comparison;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchModelText;
import com.onemember.mdm.scoring.MatchRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The member-level decisions with the model the hub ships, on the cases stores actually have. */
class MemberMatcherTest {

  static final MatchModel SHIPPED = shippedModel();

  private final MemberMatcher matcher =
      new MemberMatcher(SHIPPED, MatchThresholds.defaults(), "shipped");

  /**
   * The shipped model with a phone in common worth about 23 bits, as a model whose u for a shared
   * phone is counted over all pairs rather than sampled weighs it: strong enough that a surname, a
   * title's gender and a household's phone reach the merge threshold alone, so that only the
   * household rules keep such records apart.
   */
  private final MemberMatcher strongPhone =
      new MemberMatcher(
          SHIPPED.withOverrides(
              java.util.Map.of(Comparison.MOBILE, java.util.Map.of(0, new double[] {0.76, 1e-7}))),
          MatchThresholds.defaults(),
          "shipped, strong phone");

  @Test
  void everyDecisionNamesTheModelVersionThatMadeIt() {
    CandidateMember wangwei =
        member(aRecord().name("王伟").mobile("13812345678").birthday("1985-06-01").features());

    assertThat(decide(aRecord().name("王玮").mobile("13812345678").features(), wangwei).model())
        .isEqualTo("shipped");
    assertThat(
            matcher.decide(aRecord().name("张敏").features(), List.of(), Set.of(), List.of()).model())
        .isEqualTo("shipped");
  }

  @Test
  void aHomophoneWithTheSamePhoneAndBirthdayJoins() {
    CandidateMember wangwei =
        member(aRecord().name("王伟").mobile("13812345678").birthday("1985-06-01").features());
    MemberDecision d =
        decide(
            aRecord().name("王玮").mobile("138-1234-5678").birthday("1985.6.1").features(), wangwei);
    assertThat(d.memberId()).isEqualTo(wangwei.id());
    Assessment a = d.assessments().get(0);
    assertThat(a.probability()).isGreaterThanOrEqualTo(0.95);
    assertThat(a.breakdown())
        .anySatisfy(e -> assertThat(e.level()).isEqualTo("same pinyin"))
        .anySatisfy(e -> assertThat(e.level()).isEqualTo("a number in common"));
    assertThat(d.reason()).contains("score").contains("merge 0.95");
  }

  @Test
  void aCommonNamesBlockExplainsTheMatchAndOnlyTheNearestOfTheOthers() {
    // 王伟 at the till, and nine other 王伟 with other phones and birthdays in the same block
    List<CandidateMember> block = new java.util.ArrayList<>();
    block.add(member(aRecord().name("王伟").mobile("13812345678").birthday("1985-06-01").features()));
    for (int i = 0; i < 9; i++) {
      block.add(
          member(
              aRecord()
                  .name("王伟")
                  .mobile("1390731" + (1000 + i))
                  .birthday("19" + (70 + i) + "-0" + (1 + i) + "-1" + i)
                  .features()));
    }
    MemberDecision d =
        matcher.decide(
            aRecord().name("王伟").mobile("13812345678").birthday("1985-06-01").features(),
            block,
            Set.of(),
            List.of());

    assertThat(d.memberId()).isEqualTo(block.get(0).id());
    assertThat(d.assessments()).hasSize(10);
    assertThat(d.assessments().get(0).breakdown()).isNotEmpty();
    List<Assessment> others = d.assessments().subList(1, 10);
    assertThat(others).allMatch(a -> a.verdict() == Assessment.Verdict.BELOW_REVIEW);
    // every candidate keeps why it was let go; the breakdown only for the three nearest
    assertThat(others).allMatch(a -> a.bestRecord() != null && a.probability() < 0.5);
    assertThat(others.subList(0, MemberMatcher.EXPLAINED_BELOW_REVIEW))
        .allMatch(a -> !a.breakdown().isEmpty());
    assertThat(others.subList(MemberMatcher.EXPLAINED_BELOW_REVIEW, 9))
        .allMatch(a -> a.breakdown().isEmpty());
  }

  @Test
  void aHouseholdSharingAPhoneIsNotMerged() {
    CandidateMember husband =
        member(aRecord().name("陈建国").gender("男").mobile("13916882345").features());
    MemberDecision d =
        decide(aRecord().name("刘芳").gender("女").mobile("13916882345").features(), husband);
    assertThat(d.merges()).isFalse();
    assertThat(d.assessments().get(0).probability()).isLessThan(0.5);
  }

  @Test
  void aTitleOnlyRecordWithAPhoneTwoPeopleOfAHouseholdShareJoinsNeitherAndGoesToAStewardForBoth() {
    CandidateMember mother =
        member(
            aRecord()
                .name("李月")
                .gender("女")
                .birthday("1977-07-01")
                .mobile("13595508679")
                .features());
    CandidateMember daughter =
        member(
            aRecord()
                .name("李春荣")
                .gender("女")
                .birthday("2002-11-13")
                .mobile("13595508679")
                .features());
    MatchRecord missLi = aRecord().name("李女士").mobile("13595508679").features();
    assertThat(strongPhone.decide(missLi, List.of(mother), Set.of(), List.of()).merges())
        .as("with either of them alone it would merge")
        .isTrue();

    MemberDecision d = strongPhone.decide(missLi, List.of(mother, daughter), Set.of(), List.of());

    assertThat(d.merges()).isFalse();
    assertThat(d.reason()).contains("household");
    assertThat(d.reviews())
        .extracting(Assessment::memberId)
        .containsExactlyInAnyOrder(mother.id(), daughter.id());
  }

  @Test
  void aMemberWithAnotherGivenNameInCharactersIsNotJoinedThroughASharedPhone() {
    CandidateMember household =
        member(
            aRecord().name("朱俊杰").mobile("15236473674").features(),
            aRecord().name("朱女士").mobile("15236473674").features());
    MatchRecord zhuLingting = aRecord().name("朱玲婷").gender("女").mobile("15236473674").features();
    assertThat(strongPhone.model().score(zhuLingting, household.records().get(1)).probability())
        .as("朱女士 and the phone alone would let her join")
        .isGreaterThanOrEqualTo(0.95);

    MemberDecision d = strongPhone.decide(zhuLingting, List.of(household), Set.of(), List.of());

    assertThat(d.merges()).isFalse();
  }

  @Test
  void aSonSharingHisFathersPhoneAndAddressIsNotMerged() {
    CandidateMember father =
        member(
            aRecord()
                .name("王林文")
                .gender("男")
                .birthday("1962-03-08")
                .mobile("18095293984")
                .features());
    MemberDecision d =
        decide(aRecord().name("王伟").gender("男").mobile("18095293984").features(), father);
    assertThat(d.merges()).isFalse();
  }

  @Test
  void differentGendersBlockATitleOnlyPhoneMatch() {
    CandidateMember mr = member(aRecord().name("王先生").mobile("13916882345").features());
    assertThat(decide(aRecord().name("王女士").mobile("13916882345").features(), mr).merges())
        .isFalse();
  }

  @Test
  void differentFullBirthdaysBlockAPhoneOnlyMatch() {
    CandidateMember a = member(aRecord().mobile("13916882345").birthday("1990-01-01").features());
    assertThat(
            decide(aRecord().mobile("13916882345").birthday("2012-07-07").features(), a).merges())
        .isFalse();
  }

  @Test
  void differentUnionidsNeverMergeEvenWithTheSameNameAndPhone() {
    CandidateMember a =
        member(
            aRecord()
                .name("张伟")
                .mobile("13812345678")
                .birthday("1990-02-03")
                .unionid("oUnion_AAAAAAAA")
                .features());
    MemberDecision d =
        decide(
            aRecord()
                .name("张伟")
                .mobile("13812345678")
                .birthday("1990-02-03")
                .unionid("oUnion_BBBBBBBB")
                .features(),
            a);
    assertThat(d.merges()).isFalse();
    assertThat(d.assessments().get(0).verdict()).isEqualTo(Assessment.Verdict.RULED_DIFFERENT);
    assertThat(d.assessments().get(0).rule()).contains("unionid");
    assertThat(d.reviews()).isEmpty();
  }

  @Test
  void aMobileWeChatVerifiedJoinsTheRecordWithThatNumberUnlessTheNamesDisagree() {
    // a store's record, named, and a mini-program's, nameless with the phone WeChat confirmed: the
    // phone alone scores about 0.7, a review; verified, it is the person's
    CandidateMember store =
        member(aRecord().name("宋雨琦").mobile("13816620951").birthday("1999-08-19").features());
    MemberDecision typed =
        decide(aRecord().mobile("13816620951").unionid("oUnion_SONG_A").features(), store);
    assertThat(typed.merges()).isFalse();
    MemberDecision verified =
        decide(aRecord().verifiedMobile("13816620951").unionid("oUnion_SONG_A").features(), store);
    assertThat(verified.merges()).isTrue();
    assertThat(verified.assessments().get(0).rule()).contains("verified");

    // the number typed at the till for someone else of the family: the score decides
    CandidateMember father = member(aRecord().name("宋建国").mobile("13816620951").features());
    MemberDecision family =
        decide(aRecord().name("宋雨琦").verifiedMobile("13816620951").features(), father);
    assertThat(family.assessments().get(0).rule()).isNull();
    assertThat(family.merges()).isFalse();
  }

  @Test
  void differentVerifiedIdNumbersNeverMerge() {
    CandidateMember a =
        member(
            aRecord()
                .name("李娜")
                .mobile("13812345678")
                .birthday("1990-02-03")
                .nationalId("11010519491231002X")
                .features());
    MemberDecision d =
        decide(
            aRecord()
                .name("李娜")
                .mobile("13812345678")
                .birthday("1990-02-03")
                .nationalId("440524188001010014")
                .features(),
            a);
    assertThat(d.merges()).isFalse();
    assertThat(d.assessments().get(0).rule()).contains("ID numbers");
  }

  @Test
  void aStewardsDifferentPeopleWinsOverAPerfectScore() {
    CandidateMember a =
        member(aRecord().name("李娜").mobile("13812345678").birthday("1990-02-03").features());
    MemberDecision d =
        matcher.decide(
            aRecord().name("李娜").mobile("13812345678").birthday("1990-02-03").features(),
            List.of(a),
            Set.of(a.id()),
            List.of());
    assertThat(d.merges()).isFalse();
    assertThat(d.assessments().get(0).rule()).contains("steward");
  }

  @Test
  void aRecordLinkingTwoMembersWithNothingAgainstEachOtherMergesThemIntoOne() {
    CandidateMember byPhone =
        member(aRecord().name("赵敏").mobile("13802020001").birthday("1988-08-08").features());
    CandidateMember byEmail =
        member(aRecord().name("赵敏").email("zhaomin@126.com").birthday("1988-08-08").features());
    MemberDecision d =
        matcher.decide(
            aRecord()
                .name("赵敏")
                .mobile("13802020001")
                .email("zhaomin@126.com")
                .birthday("1988-08-08")
                .features(),
            List.of(byEmail, byPhone),
            Set.of(),
            List.of());
    assertThat(d.merges()).isTrue();
    assertThat(d.absorbed()).hasSize(1);
    assertThat(List.of(d.memberId(), d.absorbed().get(0)))
        .containsExactlyInAnyOrder(byPhone.id(), byEmail.id());
    assertThat(d.assessments())
        .extracting(Assessment::verdict)
        .containsExactlyInAnyOrder(Assessment.Verdict.MERGED, Assessment.Verdict.BRIDGED);
    assertThat(d.reviews()).isEmpty();
  }

  @Test
  void membersAStewardSeparatedAreNeverBridged() {
    CandidateMember byPhone =
        member(aRecord().name("赵敏").mobile("13802020001").birthday("1988-08-08").features());
    CandidateMember byEmail =
        member(aRecord().name("赵敏").email("zhaomin@126.com").birthday("1988-08-08").features());
    MemberDecision d =
        matcher.decide(
            aRecord()
                .name("赵敏")
                .mobile("13802020001")
                .email("zhaomin@126.com")
                .birthday("1988-08-08")
                .features(),
            List.of(byEmail, byPhone),
            Set.of(),
            List.of(),
            (a, b) -> Set.of(a, b).equals(Set.of(byPhone.id(), byEmail.id())));
    assertThat(d.merges()).isTrue();
    assertThat(d.absorbed()).isEmpty();
    assertThat(d.reviews())
        .singleElement()
        .satisfies(r -> assertThat(r.verdict()).isEqualTo(Assessment.Verdict.ALSO_FITS));
  }

  @Test
  void aRecordFittingTwoMembersThatSpeakAgainstEachOtherJoinsOneAndTheOtherGoesToReview() {
    CandidateMember older =
        new CandidateMember(
            UUID.randomUUID(),
            Instant.parse("2026-01-01T00:00:00Z"),
            List.of(
                aRecord().name("赵敏").mobile("13802020001").unionid("oUnion_ZHAO_A").features()));
    CandidateMember newer =
        new CandidateMember(
            UUID.randomUUID(),
            Instant.parse("2026-02-01T00:00:00Z"),
            List.of(
                aRecord().name("赵敏").email("zhaomin@126.com").unionid("oUnion_ZHAO_B").features()));
    MemberDecision d =
        matcher.decide(
            aRecord().name("赵敏").mobile("13802020001").email("zhaomin@126.com").features(),
            List.of(newer, older),
            Set.of(),
            List.of());
    assertThat(d.merges()).isTrue();
    assertThat(d.absorbed()).isEmpty();
    assertThat(d.reviews())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.verdict()).isEqualTo(Assessment.Verdict.ALSO_FITS);
              assertThat(r.memberId()).isNotEqualTo(d.memberId());
            });
  }

  @Test
  void aRecordThatContradictsTheMemberAsAWholeDoesNotJoinThroughOneRecord() {
    // the member holds a phone-only record and a full record of 王林文; the incoming 王伟 fits the
    // phone-only record well but contradicts the full one
    CandidateMember member =
        member(
            aRecord().name("王先生").mobile("18095293984").features(),
            aRecord()
                .name("王林文")
                .gender("男")
                .birthday("1962-03-08")
                .mobile("18095293984")
                .features());
    MemberDecision d =
        decide(
            aRecord()
                .name("王伟")
                .gender("男")
                .birthday("1990-10-01")
                .mobile("18095293984")
                .features(),
            member);
    assertThat(d.merges()).isFalse();
  }

  @Test
  void aMaskedPhoneIsPartialEvidenceNeverAFullMatch() {
    CandidateMember jiangfang =
        member(aRecord().name("蒋芳").gender("女").mobile("13916882345").features());
    MemberDecision d = decide(aRecord().name("蒋女士").mobile("139****2345").features(), jiangfang);
    assertThat(d.merges()).isFalse();
    Assessment a = d.assessments().get(0);
    assertThat(a.breakdown())
        .anySatisfy(e -> assertThat(e.level()).isEqualTo("masked number agrees"));
    MemberDecision full = decide(aRecord().name("蒋女士").mobile("13916882345").features(), jiangfang);
    assertThat(full.assessments().get(0).weight()).isGreaterThan(a.weight());
  }

  @Test
  void aMemberCardIsStrongEnoughOnItsOwn() {
    CandidateMember card = member(aRecord().name("王伟").card("pos-store-12", "8800101").features());
    MemberDecision d =
        decide(aRecord().name("Wang W.").card("pos-store-12", "8800101").features(), card);
    assertThat(d.memberId()).isEqualTo(card.id());
    assertThat(d.reason()).contains("MEMBER_CARD").contains("8800101");
  }

  @Test
  void withoutCandidatesTheRecordIsNewAndSaysWhy() {
    MemberDecision d =
        matcher.decide(
            aRecord().name("孙丽").mobile("13803030001").features(),
            List.of(),
            Set.of(),
            List.of("name:sun|li (1200 records)"));
    assertThat(d.merges()).isFalse();
    assertThat(d.reason()).contains("no stored member");
    assertThat(d.skippedKeys()).containsExactly("name:sun|li (1200 records)");
  }

  private MemberDecision decide(MatchRecord incoming, CandidateMember candidate) {
    return matcher.decide(incoming, List.of(candidate), Set.of(), List.of());
  }

  private static CandidateMember member(MatchRecord... records) {
    return new CandidateMember(UUID.randomUUID(), Instant.now(), List.of(records));
  }

  private static MatchModel shippedModel() {
    try (InputStream in = MemberMatcherTest.class.getResourceAsStream("/mdm/match-model.tsv")) {
      return MatchModelText.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
