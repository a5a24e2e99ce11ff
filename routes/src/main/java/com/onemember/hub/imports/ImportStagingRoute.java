package com.onemember.hub.imports;

import com.onemember.hub.camel.ErrorHandling;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Reads accepted uploads one file at a time ({@link ImportStaging}): one consumer on an in-memory
 * queue keeps the memory and database load of a busy morning the same as of one file. Whatever goes
 * wrong with a file is written to its import job by the staging itself; the route only logs what
 * escapes that.
 */
@Component
class ImportStagingRoute extends RouteBuilder {

  static final String QUEUE = "seda:import-staging";

  private final ImportStaging staging;

  ImportStagingRoute(ImportStaging staging) {
    this.staging = staging;
  }

  @Override
  public void configure() {
    from(QUEUE + "?concurrentConsumers=1")
        .routeId("import-staging")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(exchange -> staging.stage(exchange.getMessage().getBody(ImportStaging.Job.class)));
  }
}
