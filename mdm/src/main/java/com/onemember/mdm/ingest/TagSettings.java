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
 */
@ConfigurationProperties("onemember.tags")
public record TagSettings(List<TagRule> rules, @DefaultValue("6h") Duration sweepPeriod) {

  public TagSettings {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
