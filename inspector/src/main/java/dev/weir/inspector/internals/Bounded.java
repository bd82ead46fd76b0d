package dev.weir.inspector.internals;

import java.util.LinkedHashMap;
import java.util.Map;

/** Insertion-ordered maps that forget their oldest entry beyond a size. */
final class Bounded {

    private Bounded() {
    }

    /** A map of at most {@code max} entries; putting one more drops the eldest. Not thread-safe. */
    static <K, V> Map<K, V> map(int max) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
