package dev.weir.inspector.internals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} items added, oldest first: what the inspector keeps of a stream. Not thread-safe. */
public final class BoundedWindow<T> {

    private final int capacity;
    private final ArrayDeque<T> items;

    public BoundedWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Adds {@code item}, dropping the oldest when full. */
    public void add(T item) {
        if (items.size() == capacity) {
            items.removeFirst();
        }
        items.addLast(item);
    }

    public int size() {
        return items.size();
    }

    public int capacity() {
        return capacity;
    }

    /** The newest item, or null. */
    public T last() {
        return items.peekLast();
    }

    /** A copy, oldest first. */
    public List<T> items() {
        return new ArrayList<>(items);
    }

    public void clear() {
        items.clear();
    }
}
