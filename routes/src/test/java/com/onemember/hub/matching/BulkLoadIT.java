package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.SourceRecord;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.MemberCards;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.MemberSeparations;
import com.onemember.mdm.ingest.bulk.BulkLoad;
import com.onemember.mdm.ingest.bulk.SourceRecordIngest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A bulk chunk into a hub that already holds members a steward worked on: a record joining a stored
 * member keeps the tag a person gave that member and gives it one new version and event, and a
 * steward's "different people" holds for the chunk as for a single record.
 */
class BulkLoadIT extends HubIT {

  private static final String SOURCE = "pos-store-bulk-it";

  @Autowired SourceRecordIngest single;
  @Autowired BulkLoad bulk;
  @Autowired MemberSeparations separations;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void aChunkJoiningAStoredMemberKeepsItsManualTagAndAStewardsSeparationHolds() {
    UUID jing = single.ingest(card("BL-1", "欧阳静", "13907440011", "1992-04-04")).memberId();
    // her father, on the family's phone: another person, and a steward said so
    UUID father = single.ingest(card("BL-2", "欧阳建国", "13907440011", "1960-01-01")).memberId();
    assertThat(father).isNotEqualTo(jing);
    separations.separate(jing, father, "父女两人 / father and daughter", "steward:林芳", Instant.now());
    jdbc.update(
        "insert into member_tag (member_id, name, note, added_by, added_at)"
            + " values (?, '金卡会员', '店长确认 / confirmed by the manager', 'steward:林芳', now())",
        jing);
    long versionBefore =
        jdbc.queryForObject("select version from member where id = ?", Long.class, jing);

    List<IngestOutcome> outcomes =
        new TransactionTemplate(transactions)
            .execute(
                s ->
                    bulk.load(
                        List.of(
                            card("BL-3", "欧阳静", "139-0744-0011", "1992.4.4"),
                            card("BL-4", "诸葛明", "13907440012", "1979-11-23")),
                        null));

    assertThat(outcomes)
        .extracting(IngestOutcome::kind)
        .containsExactly(IngestOutcome.Kind.MERGED, IngestOutcome.Kind.CREATED);
    assertThat(outcomes.get(0).memberId()).isEqualTo(jing);
    // the father stays apart and unchanged
    assertThat(
            jdbc.queryForObject(
                "select merged_into is null and version = 1 from member where id = ?",
                Boolean.class,
                father))
        .isTrue();
    // one new version of 欧阳静, its golden record with the tag a person gave and both records
    Map<String, Object> member =
        jdbc.queryForMap("select version, golden::text as golden from member where id = ?", jing);
    assertThat(((Number) member.get("version")).longValue()).isEqualTo(versionBefore + 1);
    assertThat((String) member.get("golden")).contains("金卡会员").contains("\"manual\"");
    assertThat(
            jdbc.queryForObject(
                "select cause from member_version where member_id = ? and version = ?",
                String.class,
                jing,
                versionBefore + 1))
        .contains(SOURCE + ":BL-3");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from golden_event where member_id = ? and version = ?"
                    + " and type = 'UPDATED'",
                Integer.class,
                jing,
                versionBefore + 1))
        .isEqualTo(1);
    assertThat(
            jdbc.queryForList(
                "select source_record_id from source_record where member_id = ? order by id",
                String.class,
                jing))
        .containsExactly("BL-1", "BL-3");
  }

  private static SourceRecord card(String id, String name, String mobile, String birthday) {
    return MemberCards.card(SOURCE, id, name, null, mobile, birthday, null);
  }
}
