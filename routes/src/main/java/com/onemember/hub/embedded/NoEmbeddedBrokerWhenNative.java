package com.onemember.hub.embedded;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A hub pointed at an external broker ({@code spring.artemis.mode=native}) starts no Artemis server
 * of its own. Spring Boot starts the embedded server whenever its classes are present, whatever the
 * mode; every hub of a cluster then ran an idle broker with a journal of its own, at the cost of
 * memory, a thread pool and start-up time. An operator who sets {@code
 * spring.artemis.embedded.enabled} decides (this is the lowest property source).
 */
public class NoEmbeddedBrokerWhenNative implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if ("native".equalsIgnoreCase(environment.getProperty("spring.artemis.mode", ""))
        && environment.getProperty("spring.artemis.embedded.enabled") == null) {
      environment
          .getPropertySources()
          .addLast(
              new MapPropertySource(
                  "onemember-external-broker", Map.of("spring.artemis.embedded.enabled", "false")));
    }
  }
}
