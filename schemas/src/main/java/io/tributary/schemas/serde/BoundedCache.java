package io.tributary.schemas.serde;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A lock-free-on-hit map with a size bound. When full, an arbitrary entry makes room: the entries
 * are schema ids and schemas, few and cheap to fetch again, so no LRU bookkeeping on the hot path.
 */
final class BoundedCache<K, V> {

  private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
  private final int capacity;

  BoundedCache(int capacity) {
    this.capacity = capacity;
  }

  V get(K key) {
    return entries.get(key);
  }

  /** The cached value, else {@code load}'s result (cached unless it is {@code null}). */
  V getOrLoad(K key, Function<? super K, ? extends V> load) {
    V value = entries.get(key);
    if (value != null) {
      return value;
    }
    value = load.apply(key);
    if (value != null) {
      put(key, value);
    }
    return value;
  }

  void put(K key, V value) {
    if (entries.size() >= capacity && !entries.containsKey(key)) {
      Iterator<K> it = entries.keySet().iterator();
      if (it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    entries.put(key, value);
  }

  int size() {
    return entries.size();
  }
}
