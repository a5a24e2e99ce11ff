package com.onemember.mdm.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * "These two members are different people" ({@code member_separation}), as a steward's decision or
 * an unmerge stored it. A pair is kept once, smaller id first (PostgreSQL's uuid order, hence
 * least/greatest in SQL); a separation made before one side was merged away holds for its survivor.
 */
@Component
public class MemberSeparations {

  private final JdbcTemplate jdbc;

  public MemberSeparations(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores that {@code a} and {@code b} are different people; an existing separation stays. */
  public void separate(UUID a, UUID b, String reason, String actor, Instant now) {
    jdbc.update(
        """
        insert into member_separation (member_a, member_b, reason, actor, created_at)
        values (least(?::uuid, ?::uuid), greatest(?::uuid, ?::uuid), ?, ?, ?)
        on conflict do nothing""",
        a,
        b,
        a,
        b,
        reason,
        actor,
        Timestamp.from(now));
  }

  /** Lifts a separation, when a steward decides the two are one person after all. */
  public void lift(UUID a, UUID b) {
    jdbc.update(
        "delete from member_separation where member_a = least(?::uuid, ?::uuid)"
            + " and member_b = greatest(?::uuid, ?::uuid)",
        a,
        b,
        a,
        b);
  }

  /** Whether the two (live) members were declared different people. */
  public boolean separated(UUID a, UUID b) {
    return among(List.of(a, b)).contains(pair(a, b));
  }

  /**
   * The separated pairs among {@code members} (live ids), each as {@link #pair}: a separation made
   * before one side was merged into another member holds for the survivor.
   */
  public Set<List<UUID>> among(List<UUID> members) {
    if (members.size() < 2) {
      return Set.of();
    }
    UUID[] ids = members.toArray(UUID[]::new);
    Set<List<UUID>> out = new HashSet<>();
    jdbc.query(
        """
        select coalesce(a.merged_into, a.id), coalesce(b.merged_into, b.id)
          from member_separation s
          join member a on a.id = s.member_a
          join member b on b.id = s.member_b
         where coalesce(a.merged_into, a.id) = any(?) and coalesce(b.merged_into, b.id) = any(?)""",
        rs -> {
          out.add(pair(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
        },
        ids,
        ids);
    return out;
  }

  /** A pair in one order whichever way it is given, for look-ups in {@link #among}. */
  public static List<UUID> pair(UUID a, UUID b) {
    return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
  }
}
