package com.onemember.hub.connectors;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.Transport;
import com.onemember.hub.camel.ErrorHandling;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One Camel route per enabled connector, made from its transport's route template; the route id is
 * the connector id. {@code jdbc-polling} and {@code http-paged}: a timer at the instance's schedule
 * (one run at a time within a hub; {@link SnapshotSync} keeps other hubs out) starts a sync.
 */
@Component
class ConnectorRoutes extends RouteBuilder {

  /** The route template of each polling transport. */
  static final Map<Transport, String> TEMPLATES =
      Map.of(Transport.JDBC_POLLING, "jdbc-polling", Transport.HTTP_PAGES, "http-paged");

  private final ConnectorRegistry registry;
  private final ConnectorPolling polling;

  ConnectorRoutes(ConnectorRegistry registry, ConnectorPolling polling) {
    this.registry = registry;
    this.polling = polling;
  }

  @Override
  public void configure() {
    for (String template : TEMPLATES.values()) {
      routeTemplate(template)
          .templateParameter("connectorId")
          .templateParameter("periodMillis")
          .from("timer:connector-{{connectorId}}?period={{periodMillis}}&delay=2000")
          // a sync records its own failures and backs off; the next tick is the retry
          .routeConfigurationId(ErrorHandling.PERIODIC_ID)
          .process(exchange -> polling.poll(exchange.getFromRouteId()));
    }
    for (ConnectorInstance instance : registry.instances()) {
      String template = TEMPLATES.get(registry.kind(instance).transport());
      if (!instance.enabled() || template == null) {
        continue;
      }
      templatedRoute(template)
          .routeId(instance.id())
          .parameter("connectorId", instance.id())
          .parameter("periodMillis", Long.toString(instance.schedule().toMillis()));
    }
  }
}
