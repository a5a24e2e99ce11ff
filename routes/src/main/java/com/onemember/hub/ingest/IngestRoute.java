package com.onemember.hub.ingest;

import com.onemember.hub.camel.ErrorHandling;
import com.onemember.hub.imports.ImportRowIngest;
import com.onemember.hub.imports.InboundHeaders;
import com.onemember.hub.metrics.HubMeters;
import com.onemember.mdm.trace.Correlation;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** {@code onemember.inbound} → MDM ingest. */
@Component
public class IngestRoute extends RouteBuilder {

  private final ImportRowIngest ingest;
  private final HubMeters meters;

  public IngestRoute(ImportRowIngest ingest, HubMeters meters) {
    this.ingest = ingest;
    this.meters = meters;
  }

  @Override
  public void configure() {
    from("jms:queue:onemember.inbound?transacted=true"
            + "&concurrentConsumers={{onemember.ingest.consumers}}")
        .routeId("ingest-source-records")
        .routeConfigurationId(ErrorHandling.ID)
        // what this message belongs to, in every log line of its handling and on its golden events
        .process(
            e ->
                Correlation.set(e.getMessage().getHeader(InboundHeaders.CORRELATION, String.class)))
        .choice()
        .when(header(InboundHeaders.IMPORT_TO_ROW).isNotNull())
        .bean(ingest, "handleChunk")
        .when(header(InboundHeaders.WITHDRAW).isNotNull())
        .bean(ingest, "withdraw")
        .when(header(InboundHeaders.ERASE).isNotNull())
        .bean(ingest, "erase")
        .otherwise()
        .bean(ingest, "handle")
        .end()
        // committed: how long it waited from the queue (JMSTimestamp: when it was sent)
        .process(
            e -> {
              Long sent = e.getMessage().getHeader("JMSTimestamp", Long.class);
              if (sent != null && sent > 0) {
                meters.ingestLatency(
                    java.time.Duration.ofMillis(System.currentTimeMillis() - sent));
              }
              Correlation.set(null); // the consumer's own lines between messages name no work
            });

    from("direct:ingest-failed")
        .routeId("ingest-failed")
        .process(
            e -> {
              Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
              String error =
                  "处理失败，已转入死信队列 / Processing failed and the record was moved to"
                      + " DLQ.onemember.inbound: "
                      + (cause == null ? "unknown error" : cause.getClass().getSimpleName());
              var m = e.getMessage();
              String importId = m.getHeader(InboundHeaders.IMPORT_ID, String.class);
              if (m.getHeader(InboundHeaders.IMPORT_TO_ROW) != null) {
                ingest.failChunk(
                    importId,
                    m.getHeader(InboundHeaders.IMPORT_FROM_ROW, Integer.class),
                    m.getHeader(InboundHeaders.IMPORT_TO_ROW, Integer.class),
                    error);
              } else if (importId != null) {
                ingest.fail(importId, m.getHeader(InboundHeaders.IMPORT_ROW, Integer.class), error);
              } else if (m.getHeader(InboundHeaders.WITHDRAW) == null
                  && m.getHeader(InboundHeaders.ERASE) == null) {
                ingest.failRecord(
                    m.getHeader(InboundHeaders.CONNECTOR, String.class),
                    m.getBody(String.class),
                    error);
              }
            })
        .to("jms:queue:DLQ.onemember.inbound");
  }
}
