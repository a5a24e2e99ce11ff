package com.onemember.hub.connectors;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.Transport;
import com.onemember.hub.camel.ErrorHandling;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One Camel route per enabled connector, made from its transport's route template; the route id is
 * the connector id. {@code jdbc-polling}: a timer at the instance's schedule (one run at a time
 * within a hub; {@link JdbcSnapshotSync} keeps other hubs out) starts a sync.
 */
@Component
class ConnectorRoutes extends RouteBuilder {

  static final String JDBC_POLLING = "jdbc-polling";

  private final ConnectorRegistry registry;
  private final JdbcSnapshotSync jdbcSync;

  ConnectorRoutes(ConnectorRegistry registry, JdbcSnapshotSync jdbcSync) {
    this.registry = registry;
    this.jdbcSync = jdbcSync;
  }

  @Override
  public void configure() {
    routeTemplate(JDBC_POLLING)
        .templateParameter("connectorId")
        .templateParameter("periodMillis")
        .from("timer:connector-{{connectorId}}?period={{periodMillis}}&delay=2000")
        .routeConfigurationId(ErrorHandling.ID)
        .process(exchange -> jdbcSync.run(exchange.getFromRouteId()));

    for (ConnectorInstance instance : registry.instances()) {
      if (!instance.enabled()) {
        continue;
      }
      if (registry.kind(instance).transport() == Transport.JDBC_POLLING) {
        templatedRoute(JDBC_POLLING)
            .routeId(instance.id())
            .parameter("connectorId", instance.id())
            .parameter("periodMillis", Long.toString(instance.schedule().toMillis()));
      }
    }
  }
}
