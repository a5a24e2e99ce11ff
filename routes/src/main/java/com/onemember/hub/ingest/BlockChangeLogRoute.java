package com.onemember.hub.ingest;

import com.onemember.hub.camel.ErrorHandling;
import com.onemember.mdm.ingest.bulk.BlockChangeLog;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Every ten minutes, deletes the entries of the block change log that are more than a day old
 * ({@link BlockChangeLog#prune}), on a timer of its own rather than inside an ingest. Two hubs
 * pruning at once skip each other's rows.
 */
@Component
class BlockChangeLogRoute extends RouteBuilder {

  private final BlockChangeLog log;

  BlockChangeLogRoute(BlockChangeLog log) {
    this.log = log;
  }

  @Override
  public void configure() {
    from("timer:block-change-log-prune?delay=60000&period=600000")
        .routeId("block-change-log-prune")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(exchange -> exchange.getMessage().setBody(log.prune()))
        .filter(simple("${body} > 0"))
        .log(LoggingLevel.INFO, "Block change log: ${body} entries older than a day deleted");
  }
}
