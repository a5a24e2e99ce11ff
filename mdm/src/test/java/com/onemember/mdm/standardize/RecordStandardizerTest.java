package com.onemember.mdm.standardize;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.ServingStaff;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A customer is never dropped for one unreadable cell: the value is a warning naming the field and
 * the reason, it is left out of the clean record, and the person is kept. Only a record in which
 * nothing identifies a person is refused. Each bad input tried is named in its test.
 */
class RecordStandardizerTest {

  private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
  private final RecordStandardizer standardizer = new RecordStandardizer();

  private RecordStandardizer.Accepted accepted(com.onemember.mdm.matching.Records r) {
    RecordStandardizer.Outcome out = standardizer.standardize(r.raw(), NOW);
    assertThat(out).isInstanceOf(RecordStandardizer.Accepted.class);
    return (RecordStandardizer.Accepted) out;
  }

  private static String messages(RecordStandardizer.Accepted a) {
    return String.join("; ", a.warnings().stream().map(Problem::message).toList());
  }

  @Test
  void anUnallocatedMobileBesideAMemberCardIsAWarningAndTheRowIsKept() {
    RecordStandardizer.Accepted a =
        accepted(aRecord().name("陈建国").mobile("16412345678").card("pos-store-12", "8810101"));

    assertThat(a.record().identifiers())
        .containsExactly(new Identifier(IdentifierType.MEMBER_CARD, "8810101", "pos-store-12"));
    assertThat(a.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.field()).isEqualTo("mobile"));
    assertThat(messages(a)).contains("16412345678");
  }

  @Test
  void anImpossibleBirthdayIsAWarningAndLeftOut() {
    RecordStandardizer.Accepted a =
        accepted(aRecord().name("林晓燕").mobile("13916882345").birthday("1990-02-30"));

    assertThat(a.record().birthday()).isNull();
    assertThat(messages(a)).contains("1990-02-30");
  }

  @Test
  void anUnknownGenderCodeIsAWarningAndLeftOut() {
    RecordStandardizer.Accepted a =
        accepted(aRecord().name("赵磊").mobile("13916882346").gender("9"));

    assertThat(a.record().gender()).isEqualTo(com.onemember.canonical.Gender.UNKNOWN);
    assertThat(a.warnings()).isNotEmpty();
  }

  @Test
  void aBrokenEmailIsAWarningAndTheNameStillIdentifiesThePerson() {
    RecordStandardizer.Accepted a = accepted(aRecord().name("王芳").email("wang@@qq"));

    assertThat(a.record().identifiers()).isEmpty();
    assertThat(a.record().name().display()).isEqualTo("王芳");
    assertThat(messages(a)).contains("wang@@qq");
  }

  @Test
  void severalUnreadableValuesGiveOneWarningEach() {
    RecordStandardizer.Accepted a =
        accepted(
            aRecord()
                .name("周杰")
                .mobile("12345")
                .birthday("2099-01-01")
                .email("zhoujie.qq.com")
                .card("pos-store-03", "7700123"));

    assertThat(a.warnings()).hasSize(3);
  }

  @Test
  void aMaskedNumberAloneStillIdentifiesSomeone() {
    RecordStandardizer.Accepted a = accepted(aRecord().mobile("+86176****9543"));

    assertThat(a.record().maskedMobiles()).containsExactly("176****9543");
  }

  @Test
  void aRowInWhichNothingIdentifiesAPersonIsRefusedSayingWhyAndListingTheBadValues() {
    RecordStandardizer.Outcome out =
        standardizer.standardize(aRecord().mobile("12345").gender("男").raw(), NOW);

    assertThat(out)
        .isInstanceOfSatisfying(
            RecordStandardizer.Refused.class,
            r ->
                assertThat(r.message())
                    .contains("Nothing in the row identifies a person")
                    .contains("12345"));
  }

  @Test
  void aRowWithNothingAtAllIsRefusedAsBefore() {
    RecordStandardizer.Outcome out = standardizer.standardize(aRecord().gender("女").raw(), NOW);

    assertThat(out)
        .isInstanceOfSatisfying(
            RecordStandardizer.Refused.class,
            r -> assertThat(r.message()).contains("no name and no phone"));
  }

  @Test
  void theServingStaffPassThroughTrimmedWithTheirSourceAndWithoutEmptyOrRepeatedEntries() {
    Instant since = Instant.parse("2025-03-01T02:00:00Z");
    Instant departed = Instant.parse("2026-10-31T10:00:00Z");
    RecordStandardizer.Accepted a =
        accepted(
            aRecord()
                .source("wecom-contacts-it")
                .name("陈静")
                .unionid("oUnion_8kq2x")
                .servedBy(new ServingStaff("wecom-contacts-it", " zhangwei\t", since, departed))
                .servedBy(null, "lina")
                .servedBy("wecom-contacts-it", "   ")
                .servedBy("wecom-contacts-it", null)
                .servedBy("wecom-contacts-it", "zhangwei")
                .servedBy("pos-store-12", "zhangwei"));

    assertThat(a.record().servedBy())
        .containsExactly(
            new ServingStaff("wecom-contacts-it", "zhangwei", since, departed),
            ServingStaff.of("wecom-contacts-it", "lina"),
            ServingStaff.of("pos-store-12", "zhangwei"));
    // staff are no value of the customer's: nothing to warn about
    assertThat(a.warnings()).isEmpty();
  }

  @Test
  void aRecordThatNamesNoStaffHasNone() {
    assertThat(accepted(aRecord().name("王芳").mobile("13916882347")).record().servedBy()).isEmpty();
  }

  @Test
  void servingStaffAloneDoNotIdentifyAPerson() {
    RecordStandardizer.Outcome out =
        standardizer.standardize(
            aRecord().source("wecom-contacts-it").servedBy(null, "zhangwei").raw(), NOW);

    assertThat(out).isInstanceOf(RecordStandardizer.Refused.class);
  }
}
