package com.onemember.hub.privacy;

import com.onemember.hub.security.Caller;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The access log ({@code access_log}): who read or revealed which member's personal data. */
@Component
public class AccessLog {

  /** What happened to a member's personal data. */
  public enum Action {
    /** An answer carried it unmasked, to a role that sees it so. */
    READ,
    /** A steward or auditor asked for it unmasked, with a reason. */
    REVEAL
  }

  /** One entry. */
  public record Entry(
      long seq,
      java.time.Instant at,
      String actor,
      String role,
      UUID memberId,
      Action action,
      String operation,
      String reason) {}

  private final JdbcTemplate jdbc;
  private final Clock clock;

  AccessLog(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The caller of the request this thread answers, if a token authenticated it. */
  public static java.util.Optional<Caller> currentCaller() {
    var attributes =
        org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
    Object caller =
        attributes == null
            ? null
            : attributes.getAttribute(
                Caller.ATTRIBUTE,
                org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
    return java.util.Optional.ofNullable(caller instanceof Caller c ? c : null);
  }

  /**
   * Records that the current caller got the personal data of {@code members} by {@code operation}.
   */
  public void read(Collection<UUID> members, String operation) {
    currentCaller().ifPresent(c -> record(c, members, Action.READ, operation, null));
  }

  /** Records that {@code caller} got the personal data of {@code members}. */
  public void record(
      Caller caller, Collection<UUID> members, Action action, String operation, String reason) {
    if (members.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.batchUpdate(
        "insert into access_log (at, actor, role, member_id, action, operation, reason)"
            + " values (?, ?, ?, ?, ?, ?, ?)",
        members.stream()
            .distinct()
            .map(
                m ->
                    new Object[] {
                      now, caller.name(), caller.role().wire(), m, action.name(), operation, reason
                    })
            .toList());
  }

  /** Entries after {@code after}, oldest first, for one member or actor when given. */
  public List<Entry> list(UUID member, String actor, long after, int limit) {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder("seq > ?");
    args.add(after);
    if (member != null) {
      where.append(" and member_id = ?");
      args.add(member);
    }
    if (actor != null && !actor.isBlank()) {
      where.append(" and actor = ?");
      args.add(actor.strip());
    }
    args.add(limit);
    return jdbc.query(
        "select * from access_log where " + where + " order by seq limit ?",
        (rs, i) ->
            new Entry(
                rs.getLong("seq"),
                rs.getTimestamp("at").toInstant(),
                rs.getString("actor"),
                rs.getString("role"),
                rs.getObject("member_id", UUID.class),
                Action.valueOf(rs.getString("action")),
                rs.getString("operation"),
                rs.getString("reason")),
        args.toArray());
  }
}
