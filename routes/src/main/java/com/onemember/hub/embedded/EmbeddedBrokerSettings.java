package com.onemember.hub.embedded;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.artemis.autoconfigure.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Address settings of the embedded Artemis broker. An external broker is configured by its own
 * broker.xml; these are the equivalents for the embedded defaults: a message the hub cannot process
 * after ten deliveries is moved to {@code DLQ.onemember.inbound}, never dropped.
 */
@Configuration(proxyBeanMethods = false)
public class EmbeddedBrokerSettings {

  static final String INBOUND = "onemember.inbound";
  static final String INBOUND_DEAD_LETTERS = "DLQ.onemember.inbound";

  @Bean
  ArtemisConfigurationCustomizer onememberAddressSettings() {
    return configuration -> {
      configuration.addAddressSetting(
          INBOUND,
          new AddressSettings()
              .setDeadLetterAddress(SimpleString.of(INBOUND_DEAD_LETTERS))
              .setMaxDeliveryAttempts(10)
              .setRedeliveryDelay(1_000)
              .setRedeliveryMultiplier(2)
              .setMaxRedeliveryDelay(60_000));
      configuration.addAddressSetting(
          INBOUND_DEAD_LETTERS, new AddressSettings().setMaxDeliveryAttempts(-1));
    };
  }
}
