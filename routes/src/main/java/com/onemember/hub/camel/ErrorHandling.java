package com.onemember.hub.camel;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.springframework.stereotype.Component;

/**
 * The one error-handling policy of the hub's queue routes: up to five redeliveries with exponential
 * back-off (transient database or broker trouble), then the dead-letter queue {@code DLQ.<queue>}
 * with the original message. {@link #ID}: the ingest's, after {@code direct:ingest-failed} has told
 * the import row why; {@link #HOOKS_ID}: pushes from {@code /hooks/<connector-id>}.
 */
@Component
public class ErrorHandling extends RouteConfigurationBuilder {

  /** Id routes refer to with {@code .routeConfigurationId(...)}. */
  public static final String ID = "hub-error-handling";

  /** The same policy for {@code onemember.hooks}, ending in {@code DLQ.onemember.hooks}. */
  public static final String HOOKS_ID = "hub-error-handling-hooks";

  @Override
  public void configuration() {
    routeConfiguration(ID).errorHandler(policy(deadLetterChannel("direct:ingest-failed")));
    routeConfiguration(HOOKS_ID)
        .errorHandler(policy(deadLetterChannel("jms:queue:DLQ.onemember.hooks")));
  }

  private static DefaultErrorHandlerDefinition policy(DefaultErrorHandlerDefinition deadLetters) {
    return deadLetters
        .useOriginalMessage()
        .maximumRedeliveries(5)
        .redeliveryDelay(200)
        .useExponentialBackOff()
        .backOffMultiplier(2)
        .maximumRedeliveryDelay(5_000)
        .retryAttemptedLogLevel(LoggingLevel.WARN);
  }
}
