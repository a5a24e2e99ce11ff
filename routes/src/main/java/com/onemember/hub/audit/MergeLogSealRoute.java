package com.onemember.hub.audit;

import com.onemember.hub.camel.ErrorHandling;
import com.onemember.mdm.audit.MergeLog;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Seals the merge log twice a second: ingests write entries unsealed so that they need not commit
 * one after another, and this chains what they committed. Reads of the log seal first as well, so
 * an auditor never sees an entry without its hash for long, and never a gap.
 *
 * <p>And once a {@code onemember.merge-log.checkpoint-period} (a minute by default) it signs the
 * chain's head into the checkpoint file, if the head moved.
 */
@Component
class MergeLogSealRoute extends RouteBuilder {

  private static final Logger log = LoggerFactory.getLogger(MergeLogSealRoute.class);

  private final MergeLog mergeLog;
  private final MergeLogCheckpoints checkpoints;
  private final MergeLogSettings settings;

  MergeLogSealRoute(MergeLog mergeLog, MergeLogCheckpoints checkpoints, MergeLogSettings settings) {
    this.mergeLog = mergeLog;
    this.checkpoints = checkpoints;
    this.settings = settings;
  }

  @Override
  public void configure() {
    from("timer:merge-log-seal?period=500&delay=2000")
        .routeId("merge-log-seal")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(exchange -> mergeLog.seal());

    long period = settings.checkpointPeriod().toMillis();
    from("timer:merge-log-checkpoint?period=" + period + "&delay=" + period)
        .routeId("merge-log-checkpoint")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(
            exchange -> {
              try {
                checkpoints.write(false);
              } catch (MergeLogCheckpoints.ChainBroken broken) {
                // an alert, not a retry: the chain stays unanchored until someone looks
                log.error(broken.getMessage());
              }
            });
  }
}
