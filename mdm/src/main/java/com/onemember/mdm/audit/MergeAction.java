package com.onemember.mdm.audit;

/** What a merge-log entry records. */
public enum MergeAction {
  /** A source record matched no member and started a new one. */
  NEW_MEMBER,
  /**
   * A source record joined a member (and, when it bridged them, merged further members into it).
   */
  MERGE,
  /** Source records were split off a member into another (later: unmerge). */
  UNMERGE,
  /** A data steward decided a review pair. */
  REVIEW_DECISION,
  /** A person merged two members by hand. */
  MANUAL_MERGE,
  /**
   * An import was rolled back: one entry per member it touched, restored as it was before the
   * import or withdrawn when the import had created it.
   */
  ROLLBACK,
  /**
   * A source system deleted a customer: its source record was withdrawn from the member (and the
   * member with it when it was the last).
   */
  RECORD_WITHDRAWN,
  /** A member's personal data was erased on request (the entry keeps ids and the reason only). */
  ERASURE,
  /**
   * One source system's record of a person was erased at that system's request (a shop's
   * customers/redact): withdrawn from its member, with what the hub kept of it; the member's
   * earlier versions and events lose their content. The entry keeps ids and the request only.
   */
  RECORD_ERASED,
  /**
   * A person activated a match model (or the hub's first start the shipped one): no member changes,
   * the model decides the records that arrive from then on. The evidence names the version, the one
   * before, the reason and the dry run's figures.
   */
  MODEL_ACTIVATED,
  /**
   * A person asked a source system to hand a customer of a staff member who left to another staff
   * member (WeCom's 离职继承): the member is unchanged until the system's next read shows the new staff
   * member. The evidence names both staff members, the reason and the system's answer.
   */
  STAFF_HANDOVER
}
