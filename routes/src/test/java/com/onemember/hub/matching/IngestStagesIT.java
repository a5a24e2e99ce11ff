package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.hub.support.HubIT;
import com.onemember.mdm.ingest.CandidateSet;
import com.onemember.mdm.ingest.ChangeSetWriter;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.MemberSeparations;
import com.onemember.mdm.ingest.RecordDecisions;
import com.onemember.mdm.ingest.SourceRecordIngest;
import com.onemember.mdm.ingest.StoredCandidates;
import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.standardize.RecordStandardizer;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * committed ({@link StoredCandidates}) and writing what a decision changes ({@link
 * ChangeSetWriter}); the decision between them is {@code RecordDecisionsTest}'s.
 */
class IngestStagesIT extends HubIT {

  @Autowired SourceRecordIngest ingest;
  @Autowired StoredCandidates candidates;
  @Autowired RecordDecisions decisions;
  @Autowired ChangeSetWriter writer;
  @Autowired MemberSeparations separations;
  @Autowired MemberRepository members;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void theCandidatesAreTheMembersUnderTheRecordsKeysWithTheirRecordsAndSeparations() {
    UUID guo = ingest.ingest(till("GS-1", "郭静", "13907320011", "1991-02-14")).memberId();
    UUID guoAgain =
        ingest.ingest(card("GS-2", "郭静", "13907320011", "1991-02-14", "郭静的另一张卡")).memberId();
    assertThat(guoAgain).isEqualTo(guo);
    // her father, on the family's phone: another member under the same phone key
    SourceRecord father = card("GS-3", "郭建国", "13907320011", "1962-07-30", null);
    UUID other = ingest.ingest(father).memberId();
    assertThat(other).isNotEqualTo(guo);
    separations.separate(guo, other, "父女两人 / father and daughter", "steward:林芳", Instant.now());

    CandidateSet found =
        candidates.find(
            SourceRecordIngest.keysOf(clean(till("GS-4", "郭静", "13907320011", "1991-02-14"))));

    assertThat(found.members()).extracting(CandidateMember::id).contains(guo, other);
    CandidateMember held =
        found.members().stream().filter(m -> m.id().equals(guo)).findFirst().orElseThrow();
    // both of 郭静's cards, read back as matching reads them, with their row ids
    assertThat(held.records()).hasSize(2);
    assertThat(found.recordIds().get(guo)).hasSize(2);
    assertThat(found.separated(guo, other)).isTrue();
    assertThat(found.skipped()).isEmpty();

    // nothing changed since: the set still stands under the lock; a record joining changes that
    assertThat(stillAsRead(found, guo)).isTrue();
    ingest.ingest(card("GS-5", "郭静", "13907320011", "1991-02-14", "又一张卡"));
    assertThat(stillAsRead(found, guo)).isFalse();
  }

  /** Whether {@code found} still stands for {@code member}, asked under its lock. */
  private boolean stillAsRead(CandidateSet found, UUID member) {
    return new TransactionTemplate(transactions)
        .execute(
            s ->
                found.unchanged(
                    members.lockAll(List.of(member)),
                    candidates.recordIdsByMember(List.of(member))));
  }

  @Test
  void aDecisionIsWrittenAsRecordMemberVersionAndMergeLogEntry() {
    SourceRecord first = till("GW-1", "覃海燕", "13907330021", "1988-09-09");
    IngestOutcome created = new TransactionTemplate(transactions).execute(s -> writeDecided(first));
    assertThat(created.kind()).isEqualTo(IngestOutcome.Kind.CREATED);
    assertThat(
            jdbc.queryForObject(
                "select member_id from source_record where source = ? and source_record_id = ?",
                UUID.class,
                first.source(),
                "GW-1"))
        .isEqualTo(created.memberId());
    assertThat(entry("GW-1"))
        .containsEntry("action", "NEW_MEMBER")
        .containsEntry("actor", "matcher");

    SourceRecord same = card("GW-2", "覃海燕", "139-0733-0021", "1988.9.9", null);
    IngestOutcome merged = new TransactionTemplate(transactions).execute(s -> writeDecided(same));
    assertThat(merged.kind()).isEqualTo(IngestOutcome.Kind.MERGED);
    assertThat(merged.memberId()).isEqualTo(created.memberId());
    assertThat(
            jdbc.queryForObject(
                "select version from member where id = ?", Long.class, created.memberId()))
        .isEqualTo(2);
    assertThat(entry("GW-2")).containsEntry("action", "MERGE");
    // the merge log keeps the decision as its evidence, the one place it is stored
    assertThat((String) entry("GW-2").get("evidence"))
        .contains("\"memberId\":\"" + created.memberId());
  }

  /** The three stages by hand, as the ingest runs them, without its locks and re-decision. */
  private IngestOutcome writeDecided(SourceRecord record) {
    Instant now = Instant.now();
    StandardizedRecord clean = clean(record);
    MatchRecord features = MatchRecords.of(clean);
    List<String> keys = SourceRecordIngest.keysOf(clean);
    CandidateSet found = candidates.find(keys);
    MemberDecision decision = decisions.decide(features, found);
    String raw = RecordJson.write(record);
    return writer.write(
        new ChangeSetWriter.NewRecord(
            record, clean, raw, RecordJson.sha256(raw), keys, null, List.of()),
        decision,
        decision.merges() ? members.lockAll(List.of(decision.memberId())) : List.of(),
        now);
  }

  private Map<String, Object> entry(String recordId) {
    return jdbc.queryForMap(
        "select action, actor, evidence from merge_log where source_records @> array[?::text]",
        "pos-store-89:" + recordId);
  }

  private static StandardizedRecord clean(SourceRecord record) {
    return ((RecordStandardizer.Accepted)
            new RecordStandardizer().standardize(record, Instant.now()))
        .record();
  }

  private static SourceRecord till(String id, String name, String mobile, String birthday) {
    return card(id, name, mobile, birthday, null);
  }

  private static SourceRecord card(
      String id, String name, String mobile, String birthday, String note) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("会员卡号", id);
    raw.put("姓名", name);
    raw.put("手机号", mobile);
    raw.put("生日", birthday);
    if (note != null) {
      raw.put("备注", note);
    }
    return new SourceRecord(
        "pos-store-89",
        id,
        Instant.now(),
        name,
        null,
        "女",
        birthday,
        List.of(Identifier.of(IdentifierType.MOBILE, mobile)),
        List.of(),
        List.of(),
        List.of(),
        null,
        raw);
  }
}
