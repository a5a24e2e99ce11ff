package com.onemember.mdm.ingest;

import com.onemember.mdm.golden.Survivorship;
import com.onemember.mdm.golden.SurvivorshipRules;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's one {@link Survivorship}, built from {@code onemember.survivorship.*}, with the trust
 * sources declare for themselves ({@link DeclaredSourceTrust}) counting first.
 */
@Configuration(proxyBeanMethods = false)
class SurvivorshipConfiguration {

  @Bean
  Survivorship survivorship(
      SurvivorshipSettings settings, ObjectProvider<DeclaredSourceTrust> declared) {
    SurvivorshipRules configured = settings.rules();
    List<SurvivorshipRules.SourceTrust> trusts = new ArrayList<>();
    declared.orderedStream().forEach(d -> trusts.addAll(d.trusts()));
    if (trusts.isEmpty()) {
      return new Survivorship(configured);
    }
    trusts.addAll(settings.sourceTrust());
    return new Survivorship(
        new SurvivorshipSettings(trusts, settings.defaultTrust(), settings.attributes()).rules());
  }
}
