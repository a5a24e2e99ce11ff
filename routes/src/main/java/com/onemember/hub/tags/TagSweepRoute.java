package com.onemember.hub.tags;

import com.onemember.hub.camel.ErrorHandling;
import com.onemember.mdm.ingest.TagSettings;
import com.onemember.mdm.ingest.TagSweep;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Every {@code onemember.tags.sweep-period}, re-evaluates the tag rules of every member, so that a
 * customer becomes 沉睡客户 on the ninety-first quiet day and 生日月 on the first of the month without any
 * source sending anything. With several hubs on one database one sweeps at a time: a sweep holds an
 * advisory lock ({@code tag-sweep}) on a connection of its own while it runs, and a hub whose timer
 * fires meanwhile leaves the round to it. (Two sweeps at once would only repeat work, since each
 * change locks its member and is written only when the tags differ, but every hub would walk every
 * member.)
 */
@Component
class TagSweepRoute extends RouteBuilder {

  private final TagSweep sweep;
  private final TagSettings settings;
  private final Clock clock;
  private final DataSource database;

  TagSweepRoute(TagSweep sweep, TagSettings settings, Clock clock, DataSource database) {
    this.sweep = sweep;
    this.settings = settings;
    this.clock = clock;
    this.database = database;
  }

  /** Sweeps unless another hub is sweeping; returns the members whose tags changed, or -1. */
  int sweepAlone() throws SQLException {
    try (Connection lock = database.getConnection()) {
      lock.setAutoCommit(true);
      try (Statement st = lock.createStatement();
          ResultSet rs = st.executeQuery("select pg_try_advisory_lock(hashtext('tag-sweep'))")) {
        if (!rs.next() || !rs.getBoolean(1)) {
          return -1;
        }
      }
      try {
        return sweep.sweep(clock.instant());
      } finally {
        try (Statement st = lock.createStatement()) {
          st.execute("select pg_advisory_unlock(hashtext('tag-sweep'))");
        }
      }
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
