package dev.weir.codec.text.internals;

import dev.weir.codec.SnapshotFormatException;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The recent messages of a stream, for exact repeats: each entry has an id (the count of entries
 * inserted before it), its text and its token count. Least recently used first out, bounded by
 * entries and by characters. Encoder and decoder hold the same entries in the same order because they
 * apply the same operations: {@link #insert} for every message that is not a repeat, {@link #touch}
 * for every repeat. The empty message and a message longer than the character bound are not inserted
 * (and take no id).
 * The encoder looks entries up by text, the decoder by id: each side keeps only its own index.
 */
final class MessageCache {

    /** One cached message. */
    record Entry(long id, String text, int tokens) {
    }

    private final int maxEntries;
    private final int maxChars;
    private final boolean byText;
    /** By text (encoder) or by id (decoder), least recently used first. */
    private final LinkedHashMap<Object, Entry> entries = new LinkedHashMap<>();
    private long nextId;
    private long chars;

    /**
     * @param byText true for the encoder (look-ups by text), false for the decoder (look-ups by id)
     */
    MessageCache(int maxEntries, int maxChars, boolean byText) {
        this.maxEntries = maxEntries;
        this.maxChars = maxChars;
        this.byText = byText;
    }

    /** The entry holding exactly {@code text}, without refreshing it; null when none (encoder only). */
    Entry find(String text) {
        return entries.get(text);
    }

    /** The entry {@code id}, without refreshing it; null when none (decoder only). */
    Entry get(long id) {
        return entries.get(id);
    }

    /**
     * How many messages entered the cache after {@code entry}: what a reference carries (small numbers,
     * short varints), the decoder turning it back into the id with {@link #byAge}.
     */
    long age(Entry entry) {
        return nextId - 1 - entry.id();
    }

    /** The entry {@code age} insertions old, without refreshing it; null when none. */
    Entry byAge(long age) {
        return age < 0 || age >= nextId ? null : get(nextId - 1 - age);
    }

    /** Marks {@code entry} most recently used. */
    void touch(Entry entry) {
        Object key = key(entry);
        entries.remove(key);
        entries.put(key, entry);
    }

    /** Adds {@code text} as the most recent entry (when it fits) and evicts the least recent beyond the bounds. */
    void insert(String text, int tokens) {
        if (text.isEmpty() || text.length() > maxChars) {
            // The empty message has no id to save; its literal is shorter than a reference.
            return;
        }
        Entry entry = new Entry(nextId++, text, tokens);
        Entry previous = entries.put(key(entry), entry);
        if (previous != null) {
            // Only on a decoder fed out of order (the encoder inserts only what it did not find).
            chars -= previous.text().length();
        }
        chars += text.length();
        Iterator<Entry> eldest = entries.values().iterator();
        while (entries.size() > maxEntries || chars > maxChars) {
            chars -= eldest.next().text().length();
            eldest.remove();
        }
    }

    private Object key(Entry entry) {
        return byText ? entry.text() : entry.id();
    }

    /** Next id, count, then each entry (least recent first): id delta, token count, text. */
    void write(StateOutput out) {
        out.varint(nextId).varint(entries.size());
        long previous = 0;
        for (Entry entry : entries.values()) {
            out.signed(entry.id() - previous).varint(entry.tokens()).string(entry.text());
            previous = entry.id();
        }
    }

    void read(StateInput in) {
        entries.clear();
        chars = 0;
        nextId = in.varint();
        int count = in.count(maxEntries, "cached message count");
        long id = 0;
        for (int i = 0; i < count; i++) {
            id += in.signed();
            int tokens = in.count(Integer.MAX_VALUE, "token count");
            String text = in.string(maxChars * 4);
            Entry entry = new Entry(id, text, tokens);
            if (id < 0 || id >= nextId || text.length() > maxChars || entries.put(key(entry), entry) != null) {
                throw new SnapshotFormatException("text state snapshot: cached message " + i + " has an invalid or"
                        + " repeated id " + id + " or text of " + text.length() + " characters");
            }
            chars += text.length();
        }
        if (chars > maxChars) {
            throw new SnapshotFormatException("text state snapshot: cached messages hold " + chars
                    + " characters, the bound is " + maxChars);
        }
    }
}
