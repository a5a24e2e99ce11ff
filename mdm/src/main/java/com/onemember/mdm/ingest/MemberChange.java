package com.onemember.mdm.ingest;

import com.onemember.mdm.outbox.GoldenChange;
import java.util.UUID;

/**
 * Why a member changes, as its history, the outbox and a rollback need to know it.
 *
 * @param type the kind of change consumers are told of
 * @param cause in words, for the member's history (e.g. "pos-store-12:card:8810101 joined")
 * @param importId the import whose row caused it; {@code null} when no import did
 * @param originSource the source system whose record caused it; {@code null} for a person's action,
 *     so that no consuming system takes it for its own echo
 */
public record MemberChange(GoldenChange type, String cause, UUID importId, String originSource) {

  /** A change a person made (a steward, an operator): no import, no source system. */
  public static MemberChange byPerson(GoldenChange type, String cause) {
    return new MemberChange(type, cause, null, null);
  }

  /** The same change, of another type (the absorbed side of a merge, say). */
  public MemberChange as(GoldenChange other) {
    return new MemberChange(other, cause, importId, originSource);
  }
}
