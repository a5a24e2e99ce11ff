package com.onemember.hub.audit;

import com.onemember.mdm.audit.MergeLog;
import org.apache.camel.LoggingLevel;
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
        .onException(Exception.class)
        .handled(true)
        .log(LoggingLevel.WARN, "Sealing the merge log failed, will retry: ${exception.message}")
        .end()
        .process(exchange -> mergeLog.seal());
  }
}
