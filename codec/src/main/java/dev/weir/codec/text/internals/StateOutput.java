package dev.weir.codec.text.internals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for compact snapshots: LEB128 varints (zigzag for signed) and UTF-8 strings. */
final class StateOutput {

    private byte[] bytes = new byte[256];
    private int size;

    StateOutput raw(byte[] values) {
        ensure(values.length);
        System.arraycopy(values, 0, bytes, size, values.length);
        size += values.length;
        return this;
    }

    StateOutput rawByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    /** An unsigned varint (values ≥ 0). */
    StateOutput varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
        return this;
    }

    /** A signed varint (zigzag). */
    StateOutput signed(long value) {
        return varint((value << 1) ^ (value >> 63));
    }

    StateOutput string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        return raw(utf8);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
