package com.onemember.hub.camel;

import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import org.apache.camel.component.http.HttpComponent;
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

  /** The {@code http:} component, see {@link #outboundHttp()}. */
  @Bean
  HttpComponent http() {
    return outboundHttp();
  }

  /** The {@code https:} component, the same as {@code http:}. */
  @Bean
  HttpComponent https() {
    return outboundHttp();
  }

  /**
   * Camel's http component as the hub calls other systems with it: without the HTTP client's own
   * retries (by default it sends a request again once, a second later, on a 503 or 429 answer or an
   * I/O error), because the routes' redelivery is the one retry policy, with the back-off and
   * attempt count each system is configured with, and an attempt must be one request.
   */
  public static HttpComponent outboundHttp() {
    HttpComponent http = new HttpComponent();
    http.setAutomaticRetriesDisabled(true);
    return http;
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
