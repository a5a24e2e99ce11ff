package com.onemember.hub.imports;

import com.onemember.hub.camel.ErrorHandling;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Looks every {@link ImportHandover#PERIOD} for imports left unfinished by a hub that died, and
 * finishes them here ({@link ImportService#adoptOrphans}).
 */
@Component
class ImportHandoverRoute extends RouteBuilder {

  private final ImportService imports;

  ImportHandoverRoute(ImportService imports) {
    this.imports = imports;
  }

  @Override
  public void configure() {
    from("timer:import-handover?delay=5000&period=" + ImportHandover.PERIOD.toMillis())
        .routeId("import-handover")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(exchange -> imports.adoptOrphans());
  }
}
