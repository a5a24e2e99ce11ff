package com.onemember.hub.audit;

import com.onemember.hub.camel.ErrorHandling;
import com.onemember.mdm.audit.MergeLog;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Seals the merge log twice a second: ingests write entries unsealed so that they need not commit
 * one after another, and this chains what they committed. Reads of the log seal first as well, so
 * an auditor never sees an entry without its hash for long, and never a gap.
 */
@Component
class MergeLogSealRoute extends RouteBuilder {

  private final MergeLog mergeLog;

  MergeLogSealRoute(MergeLog mergeLog) {
    this.mergeLog = mergeLog;
  }

  @Override
  public void configure() {
    from("timer:merge-log-seal?period=500&delay=2000")
        .routeId("merge-log-seal")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(exchange -> mergeLog.seal());
  }
}
