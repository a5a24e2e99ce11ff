package com.onemember.hub.outbound;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Every consuming system of this hub: the configured webhooks, any {@link ConsumingSystem} bean,
 * and the systems {@link ConsumingSystemSource}s contribute (connectors' writebacks).
 */
@Component
public class ConsumingSystems {

  private final List<ConsumingSystem> all;

  ConsumingSystems(
      OutboundSettings settings,
      List<ConsumingSystem> plugged,
      List<ConsumingSystemSource> sources,
      ProducerTemplate camel,
      Clock clock) {
    List<ConsumingSystem> systems = new ArrayList<>();
    settings.webhooks().forEach(w -> systems.add(new SignedWebhook(w, camel, clock)));
    systems.addAll(plugged);
    sources.forEach(source -> systems.addAll(source.consumingSystems()));
    if (systems.stream().map(ConsumingSystem::name).distinct().count() != systems.size()) {
      throw new IllegalStateException(
          "两个消费系统同名 / two consuming systems have the same name: "
              + systems.stream().map(ConsumingSystem::name).toList());
    }
    this.all = List.copyOf(systems);
  }

  /** The names of every consuming system, sorted (the metrics report each, letters or not). */
  public List<String> names() {
    return all.stream().map(ConsumingSystem::name).sorted().toList();
  }

  List<ConsumingSystem> all() {
    return all;
  }

  Optional<ConsumingSystem> named(String name) {
    return all.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
