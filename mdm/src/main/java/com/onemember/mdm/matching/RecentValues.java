package com.onemember.mdm.matching;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The values last computed from immutable keys, at most a fixed number, least recently used out
 * first: for work that a hot key (a stored record in a common name's block) would otherwise cause
 * again and again. Thread-safe; a value may be computed twice by two threads at once, which is
 * harmless for pure functions.
 */
public final class RecentValues<K, V> {

  private final Map<K, V> values;
  private final Function<K, V> compute;

  public RecentValues(int kept, Function<K, V> compute) {
    this.compute = compute;
    this.values =
        java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > kept;
              }
            });
  }

  public V get(K key) {
    V known = values.get(key);
    if (known == null) {
      known = compute.apply(key);
      values.put(key, known);
    }
    return known;
  }
}
