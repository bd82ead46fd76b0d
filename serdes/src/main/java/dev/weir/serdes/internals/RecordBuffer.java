package dev.weir.serdes.internals;

import java.io.ByteArrayOutputStream;

/**
 * The buffer a serializer writes one record into, kept per thread and reused, so that a record costs one
 * allocation of its own size (the copy handed to Kafka) whatever the sizes of the records before it.
 *
 * <p>A buffer that starts small for every record copies a 900 KB video frame about twelve times while it doubles,
 * and once more to trim it. Not reentrant: take it, write one record, take the bytes, before the thread serializes
 * another record.
 */
public final class RecordBuffer extends ByteArrayOutputStream {
    /** A buffer grown past this is not kept for the thread's next record. */
    public static final int MAX_KEPT = 8 * 1024 * 1024;
    private static final ThreadLocal<RecordBuffer> PER_THREAD = ThreadLocal.withInitial(RecordBuffer::new);

    private RecordBuffer() {
        super(4096);
    }

    /** This thread's buffer, empty. */
    public static RecordBuffer forThisThread() {
        RecordBuffer buffer = PER_THREAD.get();
        buffer.reset();
        return buffer;
    }

    /** A copy of the bytes written; a buffer that grew past {@value #MAX_KEPT} bytes is let go. */
    public byte[] takeBytes() {
        byte[] bytes = toByteArray();
        if (buf.length > MAX_KEPT) {
            PER_THREAD.remove();
        }
        return bytes;
    }
}
