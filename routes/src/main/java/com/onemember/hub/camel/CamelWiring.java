package com.onemember.hub.camel;

import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans the routes need that Camel's starters do not provide here. */
@Configuration(proxyBeanMethods = false)
public class CamelWiring {

  /**
   * The {@code jms:} component on Spring Boot's Artemis connection factory. Consumers are
   * transacted (a local JMS transaction per message), so a message is acknowledged only after its
   * database transaction committed; a crash in between redelivers it, and ingest is idempotent.
   */
  @Bean
  JmsComponent jms(ConnectionFactory connectionFactory) {
    JmsComponent jms = JmsComponent.jmsComponent(connectionFactory);
    jms.getConfiguration().setDeliveryPersistent(true);
    return jms;
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
