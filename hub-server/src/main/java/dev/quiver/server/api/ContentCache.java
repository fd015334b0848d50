package dev.quiver.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A small least-recently-used cache for content-addressed values (a commit's entry at a path, a
 * blob's bytes): their keys name immutable content, so entries never go stale and need no
 * invalidation. Bounded by a total weight; thread-safe.
 */
final class ContentCache<K, V> {
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private final LinkedHashMap<K, V> map = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;

    ContentCache(long maxWeight, ToLongFunction<V> weigher) {
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    synchronized Optional<V> get(K key) {
        return Optional.ofNullable(map.get(key));
    }

    synchronized void put(K key, V value) {
        long w = weigher.applyAsLong(value);
        if (w > maxWeight) {
            return;
        }
        V old = map.put(key, value);
        weight += w - (old == null ? 0 : weigher.applyAsLong(old));
        var it = map.entrySet().iterator();
        while (weight > maxWeight && it.hasNext()) {
            Map.Entry<K, V> eldest = it.next();
            weight -= weigher.applyAsLong(eldest.getValue());
            it.remove();
        }
    }
}
