package com.onemember.hub.outbound;

import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One route per consuming system: its own shared durable subscription on {@code
 * onemember.golden.changed} (several hubs share the work, nothing is lost while the system or the
 * hub is down), the event posted to its webhook, retried with exponential backoff, and after the
 * last attempt stored as a dead letter. A connector's own writeback plugs in the same way: a route
 * from its subscription.
 */
@Component
class WebhookRoutes extends RouteBuilder {

  private static final String ATTEMPTS = "onememberWebhookAttempts";

  private final OutboundSettings settings;
  private final WebhookSender sender;
  private final DeadLetters deadLetters;

  WebhookRoutes(OutboundSettings settings, WebhookSender sender, DeadLetters deadLetters) {
    this.settings = settings;
    this.sender = sender;
    this.deadLetters = deadLetters;
  }

  /** The JMS endpoint of one consuming system's durable subscription. */
  static String subscription(String consumer) {
    return "jms:topic:"
        + TopicRelay.ADDRESS
        + "?subscriptionDurable=true&subscriptionShared=true"
        + "&subscriptionName=onemember-webhook-"
        + consumer
        + "&transacted=true";
  }

  @Override
  public void configure() {
    for (OutboundSettings.Webhook webhook : settings.webhooks()) {
      from(subscription(webhook.name()))
          .routeId("webhook-" + webhook.name())
          .onException(Exception.class)
          .maximumRedeliveries(webhook.maxAttempts() - 1)
          .redeliveryDelay(webhook.initialBackoff().toMillis())
          .useExponentialBackOff()
          .backOffMultiplier(2)
          .maximumRedeliveryDelay(webhook.maxBackoff().toMillis())
          .retryAttemptedLogLevel(LoggingLevel.DEBUG)
          .handled(true)
          .process(exchange -> deadLetter(webhook, exchange))
          .log(
              LoggingLevel.WARN,
              "Webhook "
                  + webhook.name()
                  + " refused event ${header.eventId} after "
                  + webhook.maxAttempts()
                  + " attempts; stored as a dead letter: ${exception.message}")
          .end()
          .process(
              exchange -> {
                // counted here: each redelivery runs this step again
                exchange.setProperty(
                    ATTEMPTS, exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1);
                String body = sender.body(webhook, exchange.getMessage().getBody(String.class));
                sender.post(
                    webhook, exchange.getMessage().getHeader("eventId", String.class), body);
              });
    }
  }

  private void deadLetter(OutboundSettings.Webhook webhook, Exchange exchange) {
    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    String json = exchange.getMessage().getBody(String.class);
    Integer redeliveries =
        exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
    deadLetters.store(
        webhook.name(),
        UUID.fromString(exchange.getMessage().getHeader("eventId", String.class)),
        UUID.fromString(exchange.getMessage().getHeader("memberId", String.class)),
        exchange.getMessage().getHeader("position", Long.class),
        sender.body(webhook, json),
        exchange.getProperty(ATTEMPTS, 1, Integer.class),
        cause == null ? "unknown error" : cause.getMessage());
  }
}
