package com.onemember.hub.metrics;

import com.onemember.hub.camel.ErrorHandling;
import com.onemember.hub.connectors.ConnectorGauges;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Reads the gauges' figures every ten seconds ({@link BacklogGauges#refresh}, {@link
 * ConnectorGauges#refresh}, {@link InboundQueueGauge#refresh}).
 */
@Component
class MetricsRoute extends RouteBuilder {

  private final BacklogGauges gauges;
  private final ConnectorGauges connectors;
  private final InboundQueueGauge inbound;

  MetricsRoute(BacklogGauges gauges, ConnectorGauges connectors, InboundQueueGauge inbound) {
    this.gauges = gauges;
    this.connectors = connectors;
    this.inbound = inbound;
  }

  @Override
  public void configure() {
    from("timer:metrics-backlog?delay=5000&period=" + BacklogGauges.PERIOD.toMillis())
        .routeId("metrics-backlog")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(
            exchange -> {
              gauges.refresh();
              connectors.refresh();
              inbound.refresh();
            });
  }
}
