package com.onemember.connectors.frame;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One connector as an instance file declares it: the single place a source is declared.
 *
 * @param file the YAML file it was read from
 * @param id the connector's id, its route id and the source name of its records
 * @param schedule how often a polling kind polls; {@code null} for a kind that does not poll
 * @param trust how far survivorship trusts its values (0–100, higher first); {@code null} leaves it
 *     to {@code onemember.survivorship}
 * @param owns source names (with {@code *}) whose changes this system made itself: golden events
 *     caused only by them are not written back to it (no echo)
 * @param parameters the kind's parameters, placeholders filled and defaults applied
 */
public record ConnectorInstance(
    Path file,
    String id,
    String kind,
    boolean enabled,
    Duration schedule,
    Integer trust,
    List<String> owns,
    Map<String, Object> parameters) {

  public ConnectorInstance {
    owns = List.copyOf(owns);
    parameters = Map.copyOf(parameters);
  }

  /** Without the parameters: they hold secrets, and this may end up in a log. */
  @Override
  public String toString() {
    return "ConnectorInstance[" + id + ", kind " + kind + ", " + file.getFileName() + "]";
  }

  /** A whole-number parameter; {@code otherwise} when absent (the schema checked its type). */
  public long number(String key, long otherwise) {
    Object v = parameters.get(key);
    return v == null ? otherwise : ((Number) v).longValue();
  }

  /** A parameter as text; {@code null} when absent. */
  public String text(String key) {
    Object v = parameters.get(key);
    return v == null ? null : v.toString();
  }
}
