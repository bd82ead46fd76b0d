package dev.weir.codec;

/**
 * Per-stream state that survives a restart: the encoders and decoders keep it in memory and a
 * Kafka Streams processor puts {@link #snapshot()} into a state store after each unit, then hands the
 * stored bytes to {@link #restore(byte[])} when the task moves or restarts.
 *
 * <p>Contract: after {@code b.restore(a.snapshot())}, {@code b} produces exactly the output {@code a}
 * would produce for the same subsequent inputs. Snapshots are versioned (magic + version header).
 */
public interface Snapshottable {

    /** The complete state, as a self-contained byte array (never null; a fresh object has a snapshot too). */
    byte[] snapshot();

    /**
     * Replaces the state with a snapshot taken earlier by a codec of the same kind and codebook.
     *
     * @throws SnapshotFormatException when the bytes are not such a snapshot
     */
    void restore(byte[] snapshot);
}
