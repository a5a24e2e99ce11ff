package com.onemember.hub.camel;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.springframework.stereotype.Component;

/**
 * The error handling of the hub's routes, in two policies. Queue routes: up to five redeliveries
 * with exponential back-off (transient database or broker trouble), then the dead-letter queue
 * {@code DLQ.<queue>} with the original message; {@link #ID} is the ingest's, after {@code
 * direct:ingest-failed} has told the import row why, {@link #HOOKS_ID} the pushes' from {@code
 * /hooks/<connector-id>}. Periodic routes ({@link #PERIODIC_ID}: a timer in front of work that
 * reads its own state, such as sealing the merge log or polling a connector) and in-memory work
 * that records its own outcome (reading an upload): the failure is logged and handled, and the next
 * tick is the retry, as there is no message to keep. Consuming systems' routes keep their own
 * redelivery, as each system's file sets its attempts and back-off.
 */
@Component
public class ErrorHandling extends RouteConfigurationBuilder {

  /** Id routes refer to with {@code .routeConfigurationId(...)}. */
  public static final String ID = "hub-error-handling";

  /** The same policy for {@code onemember.hooks}, ending in {@code DLQ.onemember.hooks}. */
  public static final String HOOKS_ID = "hub-error-handling-hooks";

  /** For timer routes (log, handle, the next tick tries again) and in-memory work queues. */
  public static final String PERIODIC_ID = "hub-periodic-work";

  @Override
  public void configuration() {
    routeConfiguration(ID).errorHandler(policy(deadLetterChannel("direct:ingest-failed")));
    routeConfiguration(HOOKS_ID)
        .errorHandler(policy(deadLetterChannel("jms:queue:DLQ.onemember.hooks")));
    routeConfiguration(PERIODIC_ID)
        .onException(Exception.class)
        .handled(true)
        .log(
            LoggingLevel.WARN,
            "${routeId} failed (a periodic route runs again at its next tick): ${exception.message}");
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
