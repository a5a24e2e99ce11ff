package com.onemember.mdm.trace;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * The correlation id of the work the current thread is doing, kept in SLF4J's MDC under {@link
 * #KEY}, so that structured (JSON) log lines carry it as a field of their own. Ids name their
 * origin: {@code import-<id>} for an upload (the import's id, which its report and the API use),
 * {@code run-<id>} for a connector run (a poll, or the pushes of one request a system sent to its
 * hook), as the connector's run list shows it. Ids hold no personal data.
 */
public final class Correlation {

  /** The MDC key (and JSON log field). */
  public static final String KEY = "correlationId";

  /** The most ids one value joins (records loaded together), so that a value stays short. */
  static final int MOST_JOINED = 8;

  private Correlation() {}

  /** The current thread's correlation id, or null. */
  public static String current() {
    return MDC.get(KEY);
  }

  /** An import's correlation id. */
  public static String ofImport(UUID importId) {
    return "import-" + importId;
  }

  /** A connector run's correlation id. */
  public static String ofRun(Object runId) {
    return "run-" + runId;
  }

  /**
   * Makes {@code id} the current thread's correlation id (none when null) until the returned scope
   * is closed, which puts back what was there before.
   */
  public static Scope open(String id) {
    String before = MDC.get(KEY);
    set(id);
    return () -> set(before);
  }

  /** Makes {@code id} the current thread's correlation id, or removes it when null. */
  public static void set(String id) {
    if (id == null || id.isBlank()) {
      MDC.remove(KEY);
    } else {
      MDC.put(KEY, id);
    }
  }

  /**
   * The ids of work loaded together in one transaction (records from several messages), distinct,
   * comma-separated; the first {@link #MOST_JOINED} and a count of the rest.
   */
  public static String joined(Collection<String> ids) {
    Set<String> distinct = new LinkedHashSet<>();
    for (String id : ids) {
      if (id != null && !id.isBlank()) {
        distinct.add(id);
      }
    }
    if (distinct.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (String id : distinct) {
      if (n == MOST_JOINED) {
        out.append(",+").append(distinct.size() - MOST_JOINED);
        break;
      }
      if (n++ > 0) {
        out.append(',');
      }
      out.append(id);
    }
    return out.toString();
  }

  /** A correlation id in effect until closed. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
