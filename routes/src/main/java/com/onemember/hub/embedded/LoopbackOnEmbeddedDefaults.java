package com.onemember.hub.embedded;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * On the embedded defaults (no {@code spring.datasource.url}) the hub listens on 127.0.0.1 only: a
 * trial on a laptop or a shop's PC should not offer its API and its generated admin token's reach
 * to the whole network. Any {@code server.address} the operator sets wins (this is the lowest
 * property source); a hub on an external database listens where Spring Boot's default says, as a
 * server behind a load balancer must. The start-up line says which, and how to change it.
 */
public class LoopbackOnEmbeddedDefaults implements EnvironmentPostProcessor {

  static final String LOOPBACK = "127.0.0.1";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    String url = environment.getProperty("spring.datasource.url");
    if ((url == null || url.isBlank()) && environment.getProperty("server.address") == null) {
      environment
          .getPropertySources()
          .addLast(
              new MapPropertySource(
                  "onemember-embedded-defaults", Map.of("server.address", LOOPBACK)));
    }
  }
}
