package com.onemember.mdm.store;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Empties what the hub wrote about members before an erasure: their versions, the events about them
 * and the dead letters of those events, which may hold the erased values. Shared by the erasure of
 * a whole member and of one system's record, so both leave the same stub behind.
 */
public final class ErasedHistory {

  /** What an emptied version or golden record holds. */
  public static final String STUB = "{\"erased\":true}";

  private ErasedHistory() {}

  /** Empties the versions, events and dead letters of {@code memberIds}. */
  public static void forget(JdbcTemplate jdbc, UUID[] memberIds) {
    jdbc.update(
        "update member_version set golden = ?::jsonb where member_id = any(?)", STUB, memberIds);
    jdbc.update(
        "update golden_event set payload = (payload - 'member' - 'cause') || ?::jsonb"
            + " where member_id = any(?)",
        STUB,
        memberIds);
    jdbc.update(
        "update dead_letter set payload = (payload - 'member' - 'cause') || ?::jsonb"
            + " where member_id = any(?)",
        STUB,
        memberIds);
  }
}
