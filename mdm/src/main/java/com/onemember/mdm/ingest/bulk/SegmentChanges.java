package com.onemember.mdm.ingest.bulk;

import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.ingest.ChangeSetWriter;
import com.onemember.mdm.ingest.SourceRecordIngest;
import com.onemember.mdm.matching.Assessment;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.store.RecordJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a segment's decisions change, gathered in decision order for {@link SegmentWriter}: the new
 * records, the merges, the pairs left to a steward, one merge-log entry per record, and the order
 * in which members were first touched or merged away (the order of their events). Pure data.
 */
final class SegmentChanges {

  /** A new record with its row id and the time it was decided. */
  record NewRow(long pk, ChangeSetWriter.NewRecord incoming, MatchRecord features, Instant at) {}

  /** {@code absorbed} merged into {@code survivor}, moving the rows {@code moved}. */
  record Merge(
      UUID survivor, UUID absorbed, List<Long> moved, Instant at, String cause, String origin) {}

  /** A pair the decision about row {@code pk} left to a steward. */
  record Review(long pk, UUID recordMember, Assessment assessment, String model, Instant at) {}

  /** What happened to one member in the segment, for its version and event. */
  static final class Touch {
    final boolean created;
    final List<String> causes = new ArrayList<>();
    Instant lastAt;
    String origin;

    Touch(boolean created) {
      this.created = created;
    }
  }

  /** An event to write, in order: a member's version, or a member merged away. */
  sealed interface Slot permits VersionSlot, MergedSlot {}

  record VersionSlot(UUID member) implements Slot {}

  record MergedSlot(Merge merge) implements Slot {}

  final List<NewRow> rows = new ArrayList<>();
  final List<Merge> merges = new ArrayList<>();
  final List<Review> reviews = new ArrayList<>();
  final List<MergeLog.NewEntry> entries = new ArrayList<>();
  final List<Slot> slots = new ArrayList<>();
  final Map<UUID, Touch> touched = new LinkedHashMap<>();

  /** The member each new row started or joined, as decided (before later merges). */
  final Map<Long, UUID> memberAtDecision = new java.util.HashMap<>();

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Row {@code row} started member {@code member}. */
  void created(NewRow row, UUID member, MemberDecision decision) {
    rows.add(row);
    touch(member, true, row, row.incoming().name() + " started a new member / 新建会员");
    decided(row, member, decision);
  }

  /** Row {@code row} joined {@code survivor}, after {@code merged} were merged into it. */
  void joined(NewRow row, UUID survivor, List<Merge> merged, MemberDecision decision) {
    rows.add(row);
    for (Merge m : merged) {
      merges.add(m);
      slots.add(new MergedSlot(m));
    }
    touch(survivor, false, row, cause(row, decision));
    decided(row, survivor, decision);
  }

  /** The cause the incremental path gives a member's change by this row. */
  static String cause(NewRow row, MemberDecision decision) {
    return row.incoming().name()
        + (decision.absorbed().isEmpty()
            ? " joined / 源记录并入"
            : " joined and linked " + decision.absorbed() + " / 源记录并入并合并会员");
  }

  private void touch(UUID member, boolean created, NewRow row, String cause) {
    memberAtDecision.put(row.pk(), member);
    Touch t = touched.get(member);
    if (t == null) {
      t = new Touch(created);
      touched.put(member, t);
      slots.add(new VersionSlot(member));
    }
    t.causes.add(cause);
    t.lastAt = row.at();
    t.origin = row.incoming().record().source();
  }

  /** The reviews and the merge-log entry of a decision, as the incremental path writes them. */
  private void decided(NewRow row, UUID member, MemberDecision decision) {
    for (Assessment a : decision.reviews()) {
      if (!a.memberId().equals(member)) {
        reviews.add(new Review(row.pk(), member, a, decision.model(), row.at()));
      }
    }
    Set<UUID> concerned = new LinkedHashSet<>();
    concerned.add(member);
    if (decision.merges()) {
      concerned.add(decision.memberId());
      concerned.addAll(decision.absorbed());
    }
    entries.add(
        new MergeLog.NewEntry(
            decision.merges() ? MergeAction.MERGE : MergeAction.NEW_MEMBER,
            List.copyOf(concerned),
            List.of(row.incoming().name()),
            SourceRecordIngest.MATCHER,
            RecordJson.write(decision)));
  }
}
