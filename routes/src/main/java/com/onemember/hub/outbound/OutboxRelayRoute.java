package com.onemember.hub.outbound;

import com.onemember.hub.camel.ErrorHandling;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Relays the outbox every {@code onemember.outbound.relay-period}: positions what committed and
 * publishes it. A broker that is down makes a round fail; the next one sends the same events again.
 */
@Component
class OutboxRelayRoute extends RouteBuilder {

  private final TopicRelay relay;
  private final OutboundSettings settings;

  OutboxRelayRoute(TopicRelay relay, OutboundSettings settings) {
    this.relay = relay;
    this.settings = settings;
  }

  @Override
  public void configure() {
    from("timer:outbox-relay?delay=2000&period=" + settings.relayPeriod().toMillis())
        .routeId("outbox-relay")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(
            exchange -> {
              // a backlog (after a broker outage) goes out in full batches, not one per period
              while (relay.relay() == TopicRelay.BATCH) {
                Thread.onSpinWait();
              }
            });
  }
}
