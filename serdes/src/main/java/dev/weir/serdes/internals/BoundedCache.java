package dev.weir.serdes.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A thread-safe least-recently-used map with a fixed capacity, for the registry client's schema caches. */
public final class BoundedCache<K, V> {
    private final Map<K, V> entries;

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    /**
     * The cached value, or the loader's, cached. The loader runs outside the lock (it does HTTP), so two threads
     * may both load a missing key; both get equal values, which is harmless for immutable registry facts.
     */
    public V getOrLoad(K key, Function<? super K, ? extends V> loader) {
        Optional<V> cached = get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        V loaded = loader.apply(key);
        put(key, loaded);
        return loaded;
    }

    public synchronized int size() {
        return entries.size();
    }
}
