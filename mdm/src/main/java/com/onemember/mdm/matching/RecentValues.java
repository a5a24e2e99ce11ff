package com.onemember.mdm.matching;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values kept for immutable keys, at most a fixed number, least recently used out first: for work
 * that a hot key (a stored record in a common name's block) would otherwise cause again and again.
 * Thread-safe; two threads may compute and put the same value at once, which is harmless for pure
 * functions. Keys should hash cheaply: the map's lock is held while they do.
 */
public final class RecentValues<K, V> {

  private final Map<K, V> values;

  public RecentValues(int kept) {
    this.values =
        java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > kept;
              }
            });
  }

  /** The value kept for the key, or {@code null}; nothing is computed. */
  public V peek(K key) {
    return values.get(key);
  }

  /** Keeps a value computed elsewhere (in bulk, say). */
  public void put(K key, V value) {
    values.put(key, value);
  }
}
