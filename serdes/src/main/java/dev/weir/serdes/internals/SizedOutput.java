package dev.weir.serdes.internals;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A byte buffer that starts at an expected size and hands back its own array when the bytes filled it exactly.
 *
 * <p>A serializer that starts every record at a small buffer copies a 900 KB video frame about twelve times
 * while the buffer doubles, and once more to trim it. Started at the size of the schema's previous record, a
 * record of the same size (a stream's frames) is written once and not copied at all.
 */
public final class SizedOutput extends ByteArrayOutputStream {
    /** The largest size a buffer starts at; a bigger record grows the buffer as usual. */
    public static final int MAX_START = 8 * 1024 * 1024;
    private static final int MIN_START = 256;

    /** A buffer of {@code expected} bytes, bounded to [256 B, {@value #MAX_START} B]. */
    public SizedOutput(int expected) {
        super(Math.clamp(expected, MIN_START, MAX_START));
    }

    /** The bytes written: the buffer itself when they fill it exactly, otherwise a copy of the right length. */
    public byte[] toExactArray() {
        return count == buf.length ? buf : Arrays.copyOf(buf, count);
    }
}
