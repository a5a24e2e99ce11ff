package com.onemember.hub.outbound;

import com.onemember.hub.metrics.HubMeters;
import com.onemember.mdm.trace.Correlation;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One route per consuming system: its own shared durable subscription on {@code
 * onemember.golden.changed} (several hubs share the work, nothing is lost while the system or the
 * hub is down), the event shaped for it and delivered, retried with exponential backoff, and after
 * the last attempt stored as a dead letter.
 */
@Component
class ConsumerRoutes extends RouteBuilder {

  private static final String ATTEMPTS = "onememberDeliveryAttempts";

  private final ConsumingSystems systems;
  private final DeadLetters deadLetters;
  private final HubMeters meters;

  ConsumerRoutes(ConsumingSystems systems, DeadLetters deadLetters, HubMeters meters) {
    this.systems = systems;
    this.deadLetters = deadLetters;
    this.meters = meters;
  }

  /** The JMS endpoint of one consuming system's durable subscription. */
  static String subscription(String consumer) {
    return "jms:topic:"
        + TopicRelay.ADDRESS
        + "?subscriptionDurable=true&subscriptionShared=true"
        + "&subscriptionName=onemember-consumer-"
        + consumer
        + "&transacted=true";
  }

  @Override
  public void configure() {
    for (ConsumingSystem system : systems.all()) {
      String selector = system.selector();
      from(subscription(system.name())
              + (selector == null ? "" : "&selector=RAW(" + selector + ")"))
          .routeId("consumer-" + system.name())
          .onException(Exception.class)
          .maximumRedeliveries(system.maxAttempts() - 1)
          .redeliveryDelay(system.initialBackoff().toMillis())
          .useExponentialBackOff()
          .backOffMultiplier(2)
          .maximumRedeliveryDelay(system.maxBackoff().toMillis())
          .retryAttemptedLogLevel(LoggingLevel.DEBUG)
          .handled(true)
          .process(
              exchange -> {
                meters.delivery(system.name(), HubMeters.Delivery.DEAD_LETTER);
                deadLetter(system, exchange);
              })
          .log(
              LoggingLevel.WARN,
              "Consuming system "
                  + system.name()
                  + " refused event ${header.eventId} after "
                  + system.maxAttempts()
                  + " attempts; stored as a dead letter: ${exception.message}")
          .end()
          // the work the event came from, in the lines about its delivery
          .process(
              exchange ->
                  Correlation.set(
                      exchange.getMessage().getHeader(TopicRelay.CORRELATION, String.class)))
          .process(
              exchange -> {
                // counted here: each redelivery runs this step again
                exchange.setProperty(
                    ATTEMPTS, exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1);
                String body =
                    EventShapes.forSystem(system, exchange.getMessage().getBody(String.class));
                try {
                  system.deliver(exchange.getMessage().getHeader("eventId", String.class), body);
                } catch (Exception e) {
                  meters.delivery(system.name(), HubMeters.Delivery.FAILED);
                  throw e;
                }
                meters.delivery(system.name(), HubMeters.Delivery.DELIVERED);
              });
    }
  }

  private void deadLetter(ConsumingSystem system, Exchange exchange) {
    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    String json = exchange.getMessage().getBody(String.class);
    deadLetters.store(
        system.name(),
        UUID.fromString(exchange.getMessage().getHeader("eventId", String.class)),
        UUID.fromString(exchange.getMessage().getHeader("memberId", String.class)),
        exchange.getMessage().getHeader("position", Long.class),
        EventShapes.forSystem(system, json),
        exchange.getProperty(ATTEMPTS, 1, Integer.class),
        cause == null ? "unknown error" : cause.getMessage());
  }
}
