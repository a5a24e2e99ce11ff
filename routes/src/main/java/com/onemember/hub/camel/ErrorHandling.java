package com.onemember.hub.camel;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The one error-handling policy of the hub's routes: up to five redeliveries with exponential
 * back-off (transient database or broker trouble), then the dead-letter queue {@code DLQ.<queue>}
 * with the original message, after {@code direct:ingest-failed} has told the import row why.
 */
@Component
public class ErrorHandling extends RouteConfigurationBuilder {

  /** Id routes refer to with {@code .routeConfigurationId(...)}. */
  public static final String ID = "hub-error-handling";

  @Override
  public void configuration() {
    routeConfiguration(ID)
        .errorHandler(
            deadLetterChannel("direct:ingest-failed")
                .useOriginalMessage()
                .maximumRedeliveries(5)
                .redeliveryDelay(200)
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(5_000)
                .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN));
  }
}
