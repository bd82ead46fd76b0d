package dev.weir.codec.audio.internals;

import dev.weir.codec.SnapshotFormatException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header every audio state snapshot starts with (version 1, big-endian):
 * <pre>
 *   4 bytes magic "WAST", 1 byte version (1), 1 byte role (1 encoder, 2 decoder),
 *   64 bytes codebook SHA-256 as ASCII hex, 8 bytes last seq (−1 before the first packet)
 * </pre>
 * followed by the role's body (see {@link MdctAudioEncoder} and {@link MdctAudioDecoder}).
 */
final class AudioStateHeader {

    static final byte ROLE_ENCODER = 1;
    static final byte ROLE_DECODER = 2;
    static final int BYTES = 4 + 1 + 1 + 64 + 8;
    private static final byte[] MAGIC = {'W', 'A', 'S', 'T'};
    private static final byte VERSION = 1;

    private AudioStateHeader() {
    }

    /** A buffer of exactly {@code BYTES + bodyBytes} bytes with the header written. */
    static ByteBuffer write(byte role, String codebookHash, long lastSeq, int bodyBytes) {
        ByteBuffer out = ByteBuffer.allocate(BYTES + bodyBytes);
        out.put(MAGIC).put(VERSION).put(role).put(codebookHash.getBytes(StandardCharsets.US_ASCII)).putLong(lastSeq);
        return out;
    }

    /**
     * Checks the header of {@code snapshot} and returns a buffer positioned at the body.
     *
     * @return the buffer; its first read is the body; {@link #lastSeq} reads the seq
     * @throws SnapshotFormatException when the header does not match
     */
    static ByteBuffer read(byte[] snapshot, byte role, String codebookHash) {
        if (snapshot == null || snapshot.length < BYTES) {
            throw new SnapshotFormatException("audio snapshot truncated: " + (snapshot == null ? 0 : snapshot.length)
                    + " bytes, the header alone is " + BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(snapshot);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new SnapshotFormatException("not an audio codec snapshot (magic " + new String(magic, StandardCharsets.ISO_8859_1) + ")");
        }
        int version = in.get();
        if (version != VERSION) {
            throw new SnapshotFormatException("audio snapshot version " + version + " is not supported (expected " + VERSION + ")");
        }
        int r = in.get();
        if (r != role) {
            throw new SnapshotFormatException("audio snapshot was written by the " + (r == ROLE_ENCODER ? "encoder" : "decoder")
                    + ", not the " + (role == ROLE_ENCODER ? "encoder" : "decoder"));
        }
        byte[] hash = new byte[64];
        in.get(hash);
        if (!new String(hash, StandardCharsets.US_ASCII).equals(codebookHash)) {
            throw new SnapshotFormatException("audio snapshot was written with another codebook");
        }
        return in;
    }
}
