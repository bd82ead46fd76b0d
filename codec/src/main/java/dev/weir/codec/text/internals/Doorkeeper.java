package dev.weir.codec.text.internals;

/**
 * Admission for new templates, after the doorkeeper of TinyLFU (Einziger, Friedman, Manes, "TinyLFU: A
 * Highly Efficient Cache Admission Policy", 2017): a message without digits that matches no template
 * teaches one only when a message of the same shape (word count and routing words, see
 * {@link TemplateMiner#shape}) came among the last {@value #SIZE} such messages. A message with a digit
 * (Drain's sign of a variable field: timestamps, ids, versions) teaches one at once. Prose, whose shapes
 * almost never repeat, then learns (and evicts) next to nothing; a log line without digits costs one
 * extra literal before its template exists. Encoder state only: the decoder learns what the layout
 * announces.
 */
final class Doorkeeper {

    static final int SIZE = 32;

    private final int[] shapes = new int[SIZE];
    private int next;
    private int filled;

    /** Whether {@code shape} was seen among the recent ones; if not, remembers it (oldest out). */
    boolean admit(int shape) {
        for (int i = 0; i < filled; i++) {
            if (shapes[i] == shape) {
                return true;
            }
        }
        shapes[next] = shape;
        next = (next + 1) % SIZE;
        filled = Math.min(SIZE, filled + 1);
        return false;
    }

    void write(StateOutput out) {
        out.varint(filled).varint(next);
        for (int i = 0; i < filled; i++) {
            out.signed(shapes[i]);
        }
    }

    void read(StateInput in) {
        filled = in.count(SIZE, "doorkeeper size");
        next = in.count(SIZE - 1, "doorkeeper position");
        for (int i = 0; i < filled; i++) {
            shapes[i] = (int) in.signed();
        }
    }
}
