package com.onemember.hub.security;

import java.util.Locale;

/**
 * What a token may do. Each operation of the contract lists the roles that may call it ({@code
 * x-roles}); {@link #ADMIN} may call every one.
 */
public enum Role {
  /** Everything, tokens included. */
  ADMIN,
  /** Connectors, imports, webhooks and dead letters: the people who run the integrations. */
  IT,
  /** Reviews, merges, unmerges and tags: the data stewards. */
  STEWARD,
  /** Read-only: the merge log, history, verification and exports. */
  AUDITOR,
  /**
   * One consuming or source system: the change feed, and its own connector's and records'
   * operations, named by the token's system.
   */
  SYSTEM;

  /** The name on the wire ({@code steward}). */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role of a wire name; {@code null} for none. */
  public static Role of(String wire) {
    for (Role r : values()) {
      if (r.wire().equals(wire)) {
        return r;
      }
    }
    return null;
  }
}
