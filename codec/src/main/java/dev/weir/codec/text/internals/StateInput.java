package dev.weir.codec.text.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.text.TextMessages;

/** Reads what {@link StateOutput} wrote; every read is bounds-checked and fails with a {@link SnapshotFormatException}. */
final class StateInput {

    private final byte[] bytes;
    private int at;

    StateInput(byte[] bytes, int at) {
        this.bytes = bytes;
        this.at = at;
    }

    int rawByte() {
        need(1);
        return bytes[at++] & 0xff;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = rawByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new SnapshotFormatException("text state snapshot: varint longer than 10 bytes at byte " + at);
    }

    /** An unsigned varint that must lie in [0, max]. */
    int count(int max, String what) {
        long v = varint();
        if (v < 0 || v > max) {
            throw new SnapshotFormatException("text state snapshot: " + what + " " + v + " out of range 0.." + max);
        }
        return (int) v;
    }

    long signed() {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    String string(int maxBytes) {
        int length = count(maxBytes, "string length");
        need(length);
        try {
            String s = TextMessages.decodeUtf8Strict(bytes, at, length);
            at += length;
            return s;
        } catch (MediaFormatException e) {
            throw new SnapshotFormatException("text state snapshot: " + e.getMessage());
        }
    }

    void expectEnd() {
        if (at != bytes.length) {
            throw new SnapshotFormatException("text state snapshot has " + (bytes.length - at) + " trailing bytes");
        }
    }

    private void need(int n) {
        if (n < 0 || at + n > bytes.length) {
            throw new SnapshotFormatException("text state snapshot truncated: needs " + n + " more bytes at byte " + at
                    + " of " + bytes.length);
        }
    }
}
