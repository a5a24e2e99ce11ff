package com.onemember.hub.connectors;

import java.lang.management.ManagementFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This hub instance's name in the connector runs it records ({@code onemember.hub-name}; by default
 * its host name and process id), so that with several hubs an operator sees which one ran what, and
 * when another took over.
 */
@Component
class HubName {

  private final String value;

  HubName(@Value("${onemember.hub-name:}") String configured) {
    this.value = configured.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : configured;
  }

  String value() {
    return value;
  }
}
