package com.onemember.hub.connectors;

import com.onemember.api.model.ConnectorState;
import com.onemember.connectors.frame.ConnectorInstance;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What each declared connector is doing now, decided in one place for its view in the API, its
 * metrics and the overview: disabled in its file, paused by a person, failing (its last run failed
 * after its last success) or running.
 */
@Component
public class ConnectorStates {

  /**
   * A connector with what the hub keeps of it ({@code null} before its first run) and its state.
   */
  public record Current(
      ConnectorInstance instance, ConnectorStore.State kept, ConnectorState state) {}

  private final ConnectorRegistry registry;
  private final ConnectorStore store;

  ConnectorStates(ConnectorRegistry registry, ConnectorStore store) {
    this.registry = registry;
    this.store = store;
  }

  /** Every declared connector as it is now. */
  public List<Current> all() {
    return registry.instances().stream()
        .map(
            i -> {
              ConnectorStore.State kept = store.state(i.id()).orElse(null);
              return new Current(i, kept, of(i, kept));
            })
        .toList();
  }

  /** How many declared connectors are in {@code state}. */
  public long count(ConnectorState state) {
    return all().stream().filter(c -> c.state() == state).count();
  }

  /** The state of {@code instance}, given what the hub keeps of it. */
  static ConnectorState of(ConnectorInstance instance, ConnectorStore.State kept) {
    boolean failing =
        kept != null
            && kept.lastFailureAt() != null
            && (kept.lastSuccessAt() == null || kept.lastFailureAt().isAfter(kept.lastSuccessAt()));
    if (!instance.enabled()) {
      return ConnectorState.DISABLED;
    } else if (kept != null && kept.paused()) {
      return ConnectorState.PAUSED;
    } else if (failing) {
      return ConnectorState.FAILING;
    }
    return ConnectorState.RUNNING;
  }
}
