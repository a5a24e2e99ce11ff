package com.onemember.mdm.ingest;

import com.onemember.mdm.tags.TagRule;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code onemember.tags.*}, shipped in {@code config/mdm/tags.yaml}.
 *
 * @param rules the tag rules, evaluated whenever a golden record is survived
 * @param sweepPeriod how often every member is re-evaluated for the rules that depend on the date
 *     alone (沉睡客户, 生日月)
 * @param sweepDelay how long after start the first sweep runs, so that hubs restarted more often
 *     than {@code sweepPeriod} still sweep
 */
@ConfigurationProperties("onemember.tags")
public record TagSettings(
    List<TagRule> rules,
    @DefaultValue("6h") Duration sweepPeriod,
    @DefaultValue("10m") Duration sweepDelay) {

  public TagSettings {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
