package com.onemember.hub.connectors;

import com.onemember.api.model.ConnectorState;
import com.onemember.connectors.frame.ConnectorInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Each declared connector's state and lag as gauges: {@code onemember_connector_state} is 1 for the
 * state it is in and 0 for the others (an alert asks for {@code state="FAILING"} == 1), and {@code
 * onemember_connector_lag_seconds} is the time since its last successful sync (absent before the
 * first). The state is the one its view in the API shows ({@link ConnectorStates}); {@link
 * #refresh} reads it, on the metrics timer.
 */
@Component
public class ConnectorGauges implements MeterBinder {

  private final ConnectorStates connectors;
  private final Clock clock;
  private MultiGauge states;
  private MultiGauge lags;

  ConnectorGauges(ConnectorStates connectors, Clock clock) {
    this.connectors = connectors;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    states =
        MultiGauge.builder("onemember.connector.state")
            .description("1 for the state the connector is in (RUNNING, PAUSED, FAILING, DISABLED)")
            .register(meters);
    lags =
        MultiGauge.builder("onemember.connector.lag")
            .description("Time since the connector's last successful sync")
            .baseUnit("seconds")
            .register(meters);
    refresh();
  }

  /** Reads every connector's state anew. */
  public void refresh() {
    if (states == null) {
      return;
    }
    List<MultiGauge.Row<?>> stateRows = new ArrayList<>();
    List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
    for (ConnectorStates.Current c : connectors.all()) {
      ConnectorInstance instance = c.instance();
      for (ConnectorState s : ConnectorState.values()) {
        stateRows.add(
            MultiGauge.Row.of(
                Tags.of("connector", instance.id(), "kind", instance.kind(), "state", s.getValue()),
                s == c.state() ? 1 : 0));
      }
      // NaN before the first successful sync: unknown, which no threshold alert fires on
      ConnectorStore.State kept = c.kept();
      lagRows.add(
          MultiGauge.Row.of(
              Tags.of("connector", instance.id()),
              kept == null || kept.lastSuccessAt() == null
                  ? Double.NaN
                  : Duration.between(kept.lastSuccessAt(), clock.instant()).toMillis() / 1000.0));
    }
    states.register(stateRows, true);
    lags.register(lagRows, true);
  }
}
