package com.onemember.mdm.outbox;

/** What happened to a golden record; the {@code type} of a golden event. */
public enum GoldenChange {
  /** A source record matched no member and started this one. */
  CREATED,
  /** The golden record changed: a record joined or changed, a steward merged another member in. */
  UPDATED,
  /** This member was merged into another ({@code survivorId}); its id now resolves to that one. */
  MERGED,
  /** Source records were split off into a member of their own, or a merge was undone. */
  UNMERGED,
  /** The member's tags changed. */
  TAGS_CHANGED,
  /** The import that created this member was rolled back; the member no longer stands. */
  WITHDRAWN,
  /**
   * The member's personal data was erased on request: consumers erase theirs too. Carries the
   * source records concerned, no personal data; earlier events of the member lose theirs.
   */
  ERASED;

  /**
   * Whether an event of this type is written together with its member's new version ({@code
   * MemberMerges}), so that its golden record is that version's and is kept once, in {@code
   * member_version}, not copied into the event. A merged-away or withdrawn member's event names a
   * version written earlier, and keeps its copy.
   */
  public boolean storedAsVersion() {
    return this != MERGED && this != WITHDRAWN;
  }
}
