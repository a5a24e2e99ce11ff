package com.onemember.mdm.ingest;

import com.onemember.mdm.golden.Survivorship;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The hub's one {@link Survivorship}, built from {@code onemember.survivorship.*}. */
@Configuration(proxyBeanMethods = false)
class SurvivorshipConfiguration {

  @Bean
  Survivorship survivorship(SurvivorshipSettings settings) {
    return new Survivorship(settings.rules());
  }
}
