package com.onemember.mdm.ingest.bulk;

import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.ingest.MatchReviews;
import com.onemember.mdm.ingest.NewRecord;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.scoring.MatchRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a segment's decisions change, gathered in decision order for {@link SegmentWriter}: the new
 * records, the merges, the pairs left to a steward, one merge-log entry per record, and the order
 * in which members were first touched or merged away (the order of their events). Pure data.
 */
final class SegmentChanges {

  /** A new record with its row id and the time it was decided. */
  record NewRow(long pk, NewRecord incoming, MatchRecord features, Instant at) {}

  /** {@code absorbed} merged into {@code survivor}, moving the rows {@code moved}. */
  record Merge(
      UUID survivor, UUID absorbed, List<Long> moved, Instant at, String cause, String origin) {}

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
  final List<MatchReviews.Pending> reviews = new ArrayList<>();
  final List<MergeLog.NewEntry> entries = new ArrayList<>();
  final List<Slot> slots = new ArrayList<>();
  final Map<UUID, Touch> touched = new LinkedHashMap<>();

  /** The members merged away in the segment, each with its merge. */
  final Map<UUID, Merge> mergedAway = new java.util.HashMap<>();

  /** The member each new row started or joined, as decided (before later merges). */
  final Map<Long, UUID> memberAtDecision = new java.util.HashMap<>();

  /**
   * The member {@code id} ends the segment in: itself, or the member it was merged into, followed
   * to the survivor that is still live.
   */
  UUID finalMember(UUID id) {
    UUID at = id;
    for (Merge m = mergedAway.get(at); m != null; m = mergedAway.get(at)) {
      at = m.survivor();
    }
    return at;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Row {@code row} started member {@code member}. */
  void created(NewRow row, UUID member, MemberDecision decision) {
    rows.add(row);
    touch(member, true, row, row.incoming().startedCause());
    decided(row, member, decision);
  }

  /** Row {@code row} joined {@code survivor}, after {@code merged} were merged into it. */
  void joined(NewRow row, UUID survivor, List<Merge> merged, MemberDecision decision) {
    rows.add(row);
    for (Merge m : merged) {
      merges.add(m);
      mergedAway.put(m.absorbed(), m);
      slots.add(new MergedSlot(m));
    }
    touch(survivor, false, row, row.incoming().joinedCause(decision));
    decided(row, survivor, decision);
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

  /** The reviews and the merge-log entry of a decision, one per record. */
  private void decided(NewRow row, UUID member, MemberDecision decision) {
    reviews.addAll(MatchReviews.pending(row.pk(), member, decision, row.at()));
    entries.add(row.incoming().logEntry(member, decision));
  }
}
