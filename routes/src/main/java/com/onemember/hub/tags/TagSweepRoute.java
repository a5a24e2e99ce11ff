package com.onemember.hub.tags;

import com.onemember.hub.camel.ErrorHandling;
import com.onemember.hub.locks.LockSession;
import com.onemember.mdm.ingest.TagSettings;
import com.onemember.mdm.ingest.TagSweep;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every {@code onemember.tags.sweep-period}, re-evaluates the tag rules of every member, so that a
 * customer becomes 沉睡客户 on the ninety-first quiet day and 生日月 on the first of the month without any
 * source sending anything. With several hubs on one database the members are swept about once a
 * period, not once per hub: a sweep holds an advisory lock ({@code tag-sweep}) on a session of its
 * own while it runs, and a hub whose timer fires while another sweeps, or less than half a period
 * after another swept ({@code tag_sweep_run}), leaves the round to it. (Two sweeps at once would
 * only repeat work, since each change locks its member and is written only when the tags differ.)
 */
@Component
class TagSweepRoute extends RouteBuilder {

  private final TagSweep sweep;
  private final TagSettings settings;
  private final Clock clock;
  private final DataSource database;
  private final JdbcTemplate jdbc;

  TagSweepRoute(
      TagSweep sweep, TagSettings settings, Clock clock, DataSource database, JdbcTemplate jdbc) {
    this.sweep = sweep;
    this.settings = settings;
    this.clock = clock;
    this.database = database;
    this.jdbc = jdbc;
  }

  /**
   * Sweeps unless another hub is sweeping or swept less than half a period ago; returns the members
   * whose tags changed, or -1 when it left the round to another hub.
   */
  int sweepAlone() throws SQLException {
    LockSession lock = new LockSession(database);
    try {
      if (!lock.tryLock("tag-sweep")) {
        return -1;
      }
      Instant now = clock.instant();
      List<Timestamp> last =
          jdbc.queryForList("select swept_at from tag_sweep_run", Timestamp.class);
      if (!last.isEmpty()
          && last.get(0).toInstant().plus(settings.sweepPeriod().dividedBy(2)).isAfter(now)) {
        return -1;
      }
      int changed = sweep.sweep(now);
      jdbc.update(
          "insert into tag_sweep_run (one, swept_at) values (true, ?)"
              + " on conflict (one) do update set swept_at = excluded.swept_at",
          Timestamp.from(now));
      return changed;
    } finally {
      lock.close(); // the session ends, and the lock with it, however the sweep ended
    }
  }

  @Override
  public void configure() {
    long period = settings.sweepPeriod().toMillis();
    // the first sweep soon after start, so that hubs restarted daily still sweep
    long delay = Math.min(period, settings.sweepDelay().toMillis());
    from("timer:tag-sweep?delay=" + delay + "&period=" + period)
        .routeId("tag-sweep")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(exchange -> exchange.getMessage().setBody(sweepAlone()))
        .choice()
        .when(body().isEqualTo(-1))
        .log(LoggingLevel.DEBUG, "Tag sweep: another hub is sweeping")
        .otherwise()
        .log(LoggingLevel.INFO, "Tag sweep: ${body} members' tags changed");
  }
}
