package com.onemember.mdm.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.canonical.SourceRecord;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.MemberCards;
import com.onemember.mdm.ingest.CandidateSet;
import com.onemember.mdm.ingest.IncomingRecord;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.MemberSeparations;
import com.onemember.mdm.ingest.RecordDecisions;
import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.matchmodels.MatchEngine;
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
 * The stages of ingest against the real database, each on its own: reading a record's candidates as
 * committed ({@link SegmentReader} and {@link SegmentIndex}) and writing what a decision changes
 * ({@link SegmentWriter}), which refuses to write over a member changed since it was read; the
 * decision between them is {@code RecordDecisionsTest}'s. One record alone ({@link
 * SourceRecordIngest}) runs the three in order.
 */
class IngestStagesIT extends HubIT {

  @Autowired SourceRecordIngest ingest;
  @Autowired SegmentReader reader;
  @Autowired SegmentWriter writer;
  @Autowired RecordDecisions decisions;
  @Autowired MatchEngine engine;
  @Autowired MemberSeparations separations;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void theCandidatesAreTheMembersUnderTheRecordsKeysWithTheirRecordsAndSeparations() {
    UUID guo = ingest.ingest(till("GS-1", "郭静", "13907320011", "1991-02-14")).memberId();
    UUID guoAgain =
        ingest.ingest(card("GS-2", "郭静", "13907320011", "1991-02-14", "郭静的另一张卡")).memberId();
    assertThat(guoAgain).isEqualTo(guo);
    // her father, on the family's phone: another member under the same phone key
    UUID father = ingest.ingest(card("GS-3", "郭建国", "13907320011", "1962-07-30", null)).memberId();
    assertThat(father).isNotEqualTo(guo);
    separations.separate(guo, father, "父女两人 / father and daughter", "steward:林芳", Instant.now());

    List<String> keys = prepared(till("GS-4", "郭静", "13907320011", "1991-02-14")).incoming().keys();
    CandidateSet found = reader.read(keys, engine.settings(), false).candidates(keys);

    assertThat(found.members()).extracting(CandidateMember::id).contains(guo, father);
    CandidateMember held =
        found.members().stream().filter(m -> m.id().equals(guo)).findFirst().orElseThrow();
    // both of 郭静's cards, read back as matching reads them
    assertThat(held.records()).hasSize(2);
    assertThat(found.separated(guo, father)).isTrue();
    assertThat(found.skipped()).isEmpty();
    assertThat(found.followed()).containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void aDecisionIsWrittenAsRecordMemberVersionAndMergeLogEntry() {
    IngestOutcome created = ingest.ingest(till("GW-1", "覃海燕", "13907330021", "1988-09-09"));
    assertThat(created.kind()).isEqualTo(IngestOutcome.Kind.CREATED);
    assertThat(memberOf("GW-1")).isEqualTo(created.memberId());
    assertThat(entry("GW-1"))
        .containsEntry("action", "NEW_MEMBER")
        .containsEntry("actor", "matcher");

    IngestOutcome merged = ingest.ingest(card("GW-2", "覃海燕", "139-0733-0021", "1988.9.9", null));
    assertThat(merged.kind()).isEqualTo(IngestOutcome.Kind.MERGED);
    assertThat(merged.memberId()).isEqualTo(created.memberId());
    assertThat(version(created.memberId())).isEqualTo(2);
    assertThat(entry("GW-2")).containsEntry("action", "MERGE");
    // the merge log keeps the decision as its evidence, the one place it is stored
    assertThat((String) entry("GW-2").get("evidence"))
        .contains("\"memberId\":\"" + created.memberId());
  }

  @Test
  void theWriterRefusesADecisionOnAMemberChangedSinceItWasReadAndWritesNothing() {
    UUID tan = ingest.ingest(till("GC-1", "谭晓梅", "13907340031", "1993-03-21")).memberId();
    IncomingRecord again = prepared(card("GC-2", "谭晓梅", "13907340031", "1993-03-21", null));
    List<String> keys = again.incoming().keys();

    // read and decided: the second card joins 谭晓梅
    SegmentIndex index = reader.read(keys, engine.settings(), false);
    MemberDecision decision = decisions.decide(again.features(), index.candidates(keys));
    assertThat(decision.merges()).isTrue();
    assertThat(decision.memberId()).isEqualTo(tan);

    // meanwhile another till brings her third card and commits: her member is at version 2 now
    ingest.ingest(card("GC-3", "谭晓梅", "13907340031", "1993-03-21", "第三张卡"));

    long pk =
        jdbc.queryForObject(
            "select nextval(pg_get_serial_sequence('source_record', 'id'))", Long.class);
    SegmentChanges changes = new SegmentChanges();
    SegmentChanges.NewRow row =
        new SegmentChanges.NewRow(pk, again.incoming(), again.features(), Instant.now());
    index.join(index.member(tan), pk, again.features(), keys);
    changes.joined(row, tan, List.of(), decision);

    assertThatThrownBy(
            () ->
                new TransactionTemplate(transactions)
                    .executeWithoutResult(s -> writer.write(changes, index, null)))
        .isInstanceOf(BulkLoad.MemberChangedMeanwhile.class);
    assertThat(memberOf("GC-2")).isNull();
    assertThat(version(tan)).isEqualTo(2);
  }

  private static IncomingRecord prepared(SourceRecord record) {
    return IncomingRecord.of(record, null, Instant.now());
  }

  private UUID memberOf(String recordId) {
    return jdbc
        .queryForList(
            "select member_id from source_record where source = 'pos-store-89' and"
                + " source_record_id = ?",
            UUID.class,
            recordId)
        .stream()
        .findFirst()
        .orElse(null);
  }

  private long version(UUID member) {
    return jdbc.queryForObject("select version from member where id = ?", Long.class, member);
  }

  private Map<String, Object> entry(String recordId) {
    return jdbc.queryForMap(
        "select action, actor, evidence from merge_log where source_records @> array[?::text]",
        "pos-store-89:" + recordId);
  }

  private static SourceRecord till(String id, String name, String mobile, String birthday) {
    return card(id, name, mobile, birthday, null);
  }

  private static SourceRecord card(
      String id, String name, String mobile, String birthday, String note) {
    return MemberCards.card("pos-store-89", id, name, "女", mobile, birthday, note);
  }
}
