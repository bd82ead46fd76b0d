package dev.weir.codec.text.internals;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recent messages of a stream, for exact repeats: each entry has an id (the count of entries
 * inserted before it), its text and its token count. Least recently used first out, bounded by
 * entries and by characters. Encoder and decoder hold the same entries in the same order because they
 * apply the same operations: {@link #insert} for every message that is not a repeat, {@link #touch}
 * for every repeat. A message longer than the character bound is not inserted (and takes no id).
 */
final class MessageCache {

    /** One cached message. */
    record Entry(long id, String text, int tokens) {
    }

    private final int maxEntries;
    private final int maxChars;
    /** By id, least recently used first. */
    private final LinkedHashMap<Long, Entry> byId = new LinkedHashMap<>();
    /** By text (the encoder's lookup). */
    private final HashMap<String, Entry> byText = new HashMap<>();
    private long nextId;
    private long chars;

    MessageCache(int maxEntries, int maxChars) {
        this.maxEntries = maxEntries;
        this.maxChars = maxChars;
    }

    /** The entry holding exactly {@code text}, without refreshing it; null when none. */
    Entry find(String text) {
        return byText.get(text);
    }

    /** The entry {@code id}, without refreshing it; null when none. */
    Entry get(long id) {
        return byId.get(id);
    }

    /** Marks entry {@code id} most recently used. */
    void touch(Entry entry) {
        byId.remove(entry.id());
        byId.put(entry.id(), entry);
    }

    /** Adds {@code text} as the most recent entry (when it fits) and evicts the least recent beyond the bounds. */
    void insert(String text, int tokens) {
        if (text.length() > maxChars) {
            return;
        }
        Entry entry = new Entry(nextId++, text, tokens);
        byId.put(entry.id(), entry);
        Entry previous = byText.put(text, entry);
        if (previous != null) {
            // Only possible on a decoder fed out of order; keep the maps consistent all the same.
            byId.remove(previous.id());
            chars -= previous.text().length();
        }
        chars += text.length();
        Iterator<Entry> eldest = byId.values().iterator();
        while (byId.size() > maxEntries || chars > maxChars) {
            Entry e = eldest.next();
            eldest.remove();
            byText.remove(e.text());
            chars -= e.text().length();
        }
    }

    int size() {
        return byId.size();
    }

    long chars() {
        return chars;
    }

    /** Next id, count, then each entry (least recent first): id delta, token count, text. */
    void write(StateOutput out) {
        out.varint(nextId).varint(byId.size());
        long previous = 0;
        for (Map.Entry<Long, Entry> e : byId.entrySet()) {
            Entry entry = e.getValue();
            out.signed(entry.id() - previous).varint(entry.tokens()).string(entry.text());
            previous = entry.id();
        }
    }

    void read(StateInput in) {
        byId.clear();
        byText.clear();
        chars = 0;
        nextId = in.varint();
        int count = in.count(maxEntries, "cached message count");
        long id = 0;
        for (int i = 0; i < count; i++) {
            id += in.signed();
            int tokens = in.count(Integer.MAX_VALUE, "token count");
            String text = in.string(maxChars * 4);
            if (id < 0 || id >= nextId || byId.containsKey(id) || text.length() > maxChars) {
                throw new dev.weir.codec.SnapshotFormatException("text state snapshot: cached message " + i
                        + " has an invalid id " + id + " or length " + text.length());
            }
            Entry entry = new Entry(id, text, tokens);
            byId.put(id, entry);
            byText.put(text, entry);
            chars += text.length();
        }
        if (chars > maxChars) {
            throw new dev.weir.codec.SnapshotFormatException("text state snapshot: cached messages hold " + chars
                    + " characters, the bound is " + maxChars);
        }
    }
}
