package com.onemember.mdm.store;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Gender;
import com.onemember.canonical.Member;
import com.onemember.canonical.ServingStaff;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Stored JSON outlives the code that wrote it: records and golden records written before the
 * serving staff were kept read as serving no one, and a record that names no staff writes exactly
 * as before, so its content hash (which makes ingest idempotent) does not change.
 */
class RecordJsonTest {

  private static final ServingStaff ZHANGWEI =
      new ServingStaff(
          "wecom-contacts-it",
          "zhangwei",
          Instant.parse("2025-03-01T02:00:00Z"),
          Instant.parse("2026-10-31T10:00:00Z"));

  @Test
  void aSourceRecordStoredBeforeServingStaffReadsAsServedByNoOne() {
    SourceRecord old =
        RecordJson.sourceRecord(
            """
            {"source":"pos-store-12","sourceRecordId":"card-8810101","sourceUpdatedAt":null,
             "name":"陈静","nickname":null,"gender":"女","birthday":null,
             "identifiers":[{"type":"MOBILE","value":"13912345678","scope":null}],
             "addresses":[],"consents":[],"tags":[],"raw":{"手机":"13912345678"}}""");

    assertThat(old.servedBy()).isEmpty();
    assertThat(old.name()).isEqualTo("陈静");
  }

  @Test
  void aSourceRecordNamingNoStaffWritesAsBeforeSoItsHashStays() {
    String json = RecordJson.write(aRecord().name("陈静").mobile("13912345678").raw());

    assertThat(json).doesNotContain("servedBy");
  }

  @Test
  void servingStaffRoundTripWhereTheLookupByStaffFindsThem() {
    SourceRecord record = aRecord().source("wecom-contacts-it").name("陈静").servedBy(ZHANGWEI).raw();
    String json = RecordJson.write(record);

    assertThat(RecordJson.sourceRecord(json)).isEqualTo(record);
    // MembersController finds it with raw -> 'servedBy' @> '[{"staffId": …}]'
    assertThat(json)
        .contains(
            "\"servedBy\":[{\"source\":\"wecom-contacts-it\",\"staffId\":\"zhangwei\","
                + "\"since\":\"2025-03-01T02:00:00Z\",\"departedAt\":\"2026-10-31T10:00:00Z\"}]");
  }

  @Test
  void aStaffMemberWhoHasNotLeftHasNoDepartureInTheJson() {
    String json = RecordJson.write(ServingStaff.of("wecom-contacts-it", "lina"));

    assertThat(json).isEqualTo("{\"source\":\"wecom-contacts-it\",\"staffId\":\"lina\"}");
    // an entry naming no system is the record's own source's; the listing by staff asks for it so
    assertThat(RecordJson.write(ServingStaff.of(null, "lina")))
        .isEqualTo("{\"source\":null,\"staffId\":\"lina\"}");
  }

  @Test
  void aGoldenRecordStoredBeforeServingStaffReadsAsServedByNoOneAndWritesTheSame() {
    Member old =
        new Member(
            UUID.fromString("0b6f3c52-6f1e-4c53-9d55-0d5d3a1c2b7e"),
            3,
            "陈静",
            Gender.FEMALE,
            "1988-02-14",
            null,
            null,
            null,
            null,
            null,
            null,
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-02-01T00:00:00Z"));
    String json = RecordJson.write(old);

    assertThat(json).doesNotContain("servedBy");
    assertThat(RecordJson.member(json)).isEqualTo(old);
    Member served =
        new Member(
            old.id(),
            4,
            old.name(),
            old.gender(),
            old.birthday(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            null,
            List.of(),
            old.createdAt(),
            old.updatedAt(),
            List.of(ZHANGWEI));
    assertThat(RecordJson.member(RecordJson.write(served)).servedBy()).containsExactly(ZHANGWEI);
  }

  @Test
  void aCleanFormStoredBeforeServingStaffReadsAsServedByNoOne() {
    StandardizedRecord clean = aRecord().name("陈静").mobile("13912345678").build();
    String stored = RecordJson.write(clean).replace(",\"servedBy\":[]", "");

    assertThat(stored).doesNotContain("servedBy");
    assertThat(RecordJson.clean(stored)).isEqualTo(clean);
  }
}
