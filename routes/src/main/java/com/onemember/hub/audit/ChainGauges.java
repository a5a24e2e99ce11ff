package com.onemember.hub.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * The merge log's hash chain as metrics: {@code onemember_merge_log_chain_ok} (1 when the last
 * check on this hub passed, 0 when it failed, NaN before the first; the checkpoint timer checks
 * what was added every {@code onemember.merge-log.checkpoint-period}) and {@code
 * onemember_merge_log_verify_failures_total}, which the "chain verify failed" alert watches.
 */
@Component
class ChainGauges implements MeterBinder {

  private final MergeLogCheckpoints checkpoints;

  ChainGauges(MergeLogCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(
            "onemember.merge.log.chain.ok",
            checkpoints,
            c -> c.lastVerified() == null ? Double.NaN : c.lastVerified() ? 1 : 0)
        .description("1 when the merge log's last chain check passed, 0 when it failed")
        .register(registry);
    FunctionCounter.builder(
            "onemember.merge.log.verify.failures",
            checkpoints,
            MergeLogCheckpoints::failedVerifications)
        .description("Checks of the merge log's hash chain that failed")
        .register(registry);
  }
}
