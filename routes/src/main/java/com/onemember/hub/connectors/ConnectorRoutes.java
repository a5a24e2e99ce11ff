package com.onemember.hub.connectors;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.Transport;
import com.onemember.hub.camel.ErrorHandling;
import java.util.Iterator;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import org.springframework.stereotype.Component;

/**
 * The routes of the polling connectors, made from route templates. Each enabled polling connector
 * gets two: {@code <id>}, a timer at the instance's schedule (the route id is the connector id),
 * and {@code <id>-sync}, the sync itself at {@code direct:connector-sync-<id>}, which a person's
 * {@code POST .../run} also calls. The sync's template is its transport's:
 *
 * <ul>
 *   <li>{@code jdbc-polling}: Camel's {@code sql} component runs the kind's select over the
 *       instance's database ({@link ConnectorDataSource}), the rows streamed ({@code StreamList})
 *       into the run;
 *   <li>{@code http-paged}: the kind's own client reads the system's pages (Pospal's requests are
 *       signed and its quota answers waited out, which is the protocol, not the transport).
 * </ul>
 *
 * Both begin only where {@link SnapshotSync#begin} allows (not paused, not backing off, this hub
 * leads the connector or a person asked, no other hub syncing it now), and end the run however the
 * read went: complete, or failed with its kind. The timers run under the periodic error policy.
 */
@Component
class ConnectorRoutes extends RouteBuilder {

  /** The sync template of each polling transport. */
  static final Map<Transport, String> TEMPLATES =
      Map.of(Transport.JDBC_POLLING, "jdbc-polling", Transport.HTTP_PAGES, "http-paged");

  /** Header of a run a person asked for: it does not wait out a backoff or ask for the lead. */
  static final String BY_PERSON = "OneMemberRunByPerson";

  private static final String RUN = "OneMemberSyncRun";
  private static final String CONNECTOR = "OneMemberConnector";

  private final ConnectorRegistry registry;
  private final SnapshotSync sync;

  ConnectorRoutes(ConnectorRegistry registry, SnapshotSync sync) {
    this.registry = registry;
    this.sync = sync;
  }

  /** Where a connector's sync is started, by its timer or by a person. */
  static String syncEndpoint(String connectorId) {
    return "direct:connector-sync-" + connectorId;
  }

  /**
   * Starts a sync of connector {@code id} now, without waiting for it: asked for by a person (it
   * does not wait out a backoff or ask for the lead) or, as the schedule's tick would, by a push.
   */
  static void startSync(ProducerTemplate routes, String id, boolean byPerson, String why) {
    routes
        .asyncRequestBodyAndHeader(syncEndpoint(id), null, BY_PERSON, byPerson)
        .whenComplete(
            (result, e) -> {
              if (e != null) {
                org.slf4j.LoggerFactory.getLogger(ConnectorRoutes.class)
                    .warn("{} of {} failed", why, id, e);
              }
            });
  }

  @Override
  public void configure() {
    routeTemplate("connector-schedule")
        .templateParameter("connectorId")
        .templateParameter("periodMillis")
        .from("timer:connector-{{connectorId}}?period={{periodMillis}}&delay=2000")
        // a sync records its own failures and backs off; the next tick is the retry
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .setHeader(BY_PERSON, constant(false))
        .to("direct:connector-sync-{{connectorId}}");

    routeTemplate("jdbc-polling")
        .templateParameter("connectorId")
        .templateParameter("dataSource")
        .from("direct:connector-sync-{{connectorId}}")
        .setProperty(CONNECTOR, constant("{{connectorId}}"))
        .filter(this::begin)
        .doTry()
        .process(
            exchange ->
                exchange.getMessage().setHeader(SqlConstants.SQL_QUERY, sync.select(run(exchange))))
        // the query comes from the header; the one in the URI is never run
        .to("sql:select 1?dataSource=#{{dataSource}}&outputType=StreamList")
        // the rows go into the run in one step: an exchange per row (split) cost more than the
        // read itself, and a poll every second of a 200,000-row table spent two cores on it
        .process(this::readRows)
        .process(exchange -> sync.complete(run(exchange)))
        .endDoTry()
        .doCatch(Exception.class)
        .process(this::failed)
        .doFinally()
        .process(exchange -> sync.end(run(exchange)))
        .end();

    routeTemplate("http-paged")
        .templateParameter("connectorId")
        .from("direct:connector-sync-{{connectorId}}")
        .setProperty(CONNECTOR, constant("{{connectorId}}"))
        .filter(this::begin)
        .doTry()
        .process(exchange -> sync.readAll(run(exchange)))
        .process(exchange -> sync.complete(run(exchange)))
        .doCatch(Exception.class)
        .process(this::failed)
        .doFinally()
        .process(exchange -> sync.end(run(exchange)))
        .end();

    for (ConnectorInstance instance : registry.instances()) {
      String template = TEMPLATES.get(registry.kind(instance).transport());
      if (!instance.enabled() || template == null) {
        continue;
      }
      String id = instance.id();
      templatedRoute("connector-schedule")
          .routeId(id)
          .parameter("connectorId", id)
          .parameter("periodMillis", Long.toString(instance.schedule().toMillis()));
      var syncRoute = templatedRoute(template).routeId(id + "-sync").parameter("connectorId", id);
      if (template.equals("jdbc-polling")) {
        String dataSource = "connector-" + id + "-database";
        getCamelContext().getRegistry().bind(dataSource, new ConnectorDataSource(instance));
        syncRoute.parameter("dataSource", dataSource);
      }
    }
  }

  /** Starts the run, or lets the exchange end here when it is not this hub's to run now. */
  private boolean begin(Exchange exchange) {
    String id = exchange.getProperty(CONNECTOR, String.class);
    boolean byPerson = exchange.getMessage().getHeader(BY_PERSON, false, Boolean.class);
    SnapshotSync.Run run = sync.begin(id, byPerson);
    exchange.setProperty(RUN, run);
    return run != null;
  }

  /** Feeds the streamed rows of the {@code sql} endpoint into the run, then closes the stream. */
  @SuppressWarnings("unchecked") // the sql endpoint streams rows as maps of column to value
  private void readRows(Exchange exchange) throws Exception {
    SnapshotSync.Run run = run(exchange);
    Iterator<?> rows = exchange.getMessage().getBody(Iterator.class);
    try {
      while (rows.hasNext()) {
        sync.jdbcRow(run, (Map<String, ?>) rows.next());
      }
    } finally {
      if (rows instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  private void failed(Exchange exchange) {
    sync.failed(run(exchange), exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
  }

  private static SnapshotSync.Run run(Exchange exchange) {
    return exchange.getProperty(RUN, SnapshotSync.Run.class);
  }
}
