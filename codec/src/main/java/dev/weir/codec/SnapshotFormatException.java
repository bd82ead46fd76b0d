package dev.weir.codec;

/**
 * A state snapshot that cannot be restored: truncated, from another format version, or written by a
 * codec with a different tokenizer or codebook.
 */
public final class SnapshotFormatException extends RuntimeException {

    public SnapshotFormatException(String message) {
        super(message);
    }
}
