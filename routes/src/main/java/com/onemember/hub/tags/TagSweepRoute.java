package com.onemember.hub.tags;

import com.onemember.hub.camel.ErrorHandling;
import com.onemember.mdm.ingest.TagSettings;
import com.onemember.mdm.ingest.TagSweep;
import java.time.Clock;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Every {@code onemember.tags.sweep-period}, re-evaluates the tag rules of every member, so that a
 * customer becomes 沉睡客户 on the ninety-first quiet day and 生日月 on the first of the month without any
 * source sending anything. Two hubs sweeping at once only repeat work: each change locks its member
 * and is written only when the tags differ.
 */
@Component
class TagSweepRoute extends RouteBuilder {

  private final TagSweep sweep;
  private final TagSettings settings;
  private final Clock clock;

  TagSweepRoute(TagSweep sweep, TagSettings settings, Clock clock) {
    this.sweep = sweep;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void configure() {
    long period = settings.sweepPeriod().toMillis();
    // the first sweep soon after start, so that hubs restarted daily still sweep
    long delay = Math.min(period, settings.sweepDelay().toMillis());
    from("timer:tag-sweep?delay=" + delay + "&period=" + period)
        .routeId("tag-sweep")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(exchange -> exchange.getMessage().setBody(sweep.sweep(clock.instant())))
        .log(LoggingLevel.INFO, "Tag sweep: ${body} members' tags changed");
  }
}
