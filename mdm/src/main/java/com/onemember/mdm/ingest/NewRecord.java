package com.onemember.mdm.ingest;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.RecordJson;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A source record as it arrived, standardised and ready to be written: new to the hub, or new
 * content of a record it holds ({@link IncomingRecord} makes it).
 *
 * @param record as the source sent it
 * @param clean its standardised form
 * @param raw the record as stored ({@link RecordJson#write})
 * @param hash the SHA-256 of {@code raw}: an identical re-delivery changes nothing
 * @param keys its match keys
 * @param importId the import whose row brought it, or null
 * @param warnings the cells the standardiser left out, each with why
 */
public record NewRecord(
    SourceRecord record,
    StandardizedRecord clean,
    String raw,
    String hash,
    List<String> keys,
    UUID importId,
    List<String> warnings) {

  /** {@code source:sourceRecordId}, as the merge log and causes name a record. */
  public String name() {
    return record.source() + ":" + record.sourceRecordId();
  }

  /** The advisory locks an ingest of this record takes ({@link KeyLocks}): its keys and its own. */
  public List<String> lockNames() {
    List<String> names = new ArrayList<>(keys);
    names.add(KeyLocks.recordKey(record));
    return names;
  }

  /** Why a member's version changed when this record started it. */
  public String startedCause() {
    return name() + " started a new member / 新建会员";
  }

  /** Why a member's version changed when this record joined it as {@code decision} says. */
  public String joinedCause(MemberDecision decision) {
    return name()
        + (decision.absorbed().isEmpty()
            ? " joined / 源记录并入"
            : " joined and linked " + decision.absorbed() + " / 源记录并入并合并会员");
  }

  /** What ingesting this record did, when {@code decision} put it in {@code member}. */
  public IngestOutcome outcome(UUID member, MemberDecision decision) {
    return new IngestOutcome(
        decision.merges() ? IngestOutcome.Kind.MERGED : IngestOutcome.Kind.CREATED,
        member,
        null,
        List.of(decision.reason()),
        warnings);
  }

  /**
   * The merge-log entry of {@code decision} about this record, which ended in {@code member}: the
   * resulting member first, then the members merged into it; the decision is its evidence.
   */
  public MergeLog.NewEntry logEntry(UUID member, MemberDecision decision) {
    Set<UUID> concerned = new LinkedHashSet<>();
    concerned.add(member);
    if (decision.merges()) {
      concerned.add(decision.memberId());
      concerned.addAll(decision.absorbed());
    }
    return new MergeLog.NewEntry(
        decision.merges() ? MergeAction.MERGE : MergeAction.NEW_MEMBER,
        List.copyOf(concerned),
        List.of(name()),
        RecordDecisions.MATCHER,
        RecordJson.write(decision));
  }
}
