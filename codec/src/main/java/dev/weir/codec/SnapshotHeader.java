package dev.weir.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The header every per-stream snapshot in a Weir state store starts with, whatever the modality, followed by
 * the codec's own snapshot (the body). It names what the body is (modality, encoder or decoder, tokenizer)
 * and holds the stream's sequence state that every modality shares: the last seq encoded or decoded, the last
 * packet number, and whether the decoder waits for a keyframe after a gap. Format (version 1, big-endian):
 * <pre>
 *   4 bytes magic "WSNP", 1 byte version, 1 byte role (1 encoder, 2 decoder), 1 byte flags (bit 0: awaiting a keyframe),
 *   modality, tokenizer id, version and codebook hash (each 2 bytes length + UTF-8),
 *   8 bytes last seq, 8 bytes last packet number, 4 bytes body length, body
 * </pre>
 *
 * @param modality          the modality's name, for example {@code video}
 * @param role              whose state the body is
 * @param tokenizer         the tokenizer the body was made with
 * @param lastSeq           seq of the last unit encoded (encoder) or decoded (decoder); −1 before the first
 * @param lastPacket        number of the last packet emitted (encoder) or applied (decoder); −1 before the first
 * @param awaitingKeyframe  the decoder saw a gap and applies nothing until the next keyframe
 */
public record SnapshotHeader(String modality, Role role, TokenizerRef tokenizer, long lastSeq, long lastPacket,
                             boolean awaitingKeyframe) {

    /** Whose state a snapshot holds. */
    public enum Role { ENCODER, DECODER }

    private static final byte[] MAGIC = {'W', 'S', 'N', 'P'};
    private static final byte VERSION = 1;

    public SnapshotHeader {
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /** The header followed by {@code body}, as one array. */
    public byte[] write(byte[] body) {
        byte[][] strings = {utf8(modality), utf8(tokenizer.id()), utf8(tokenizer.version()), utf8(tokenizer.codebookHash())};
        int size = MAGIC.length + 3 + 8 + 8 + 4 + body.length;
        for (byte[] s : strings) {
            size += 2 + s.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(MAGIC).put(VERSION).put((byte) (role.ordinal() + 1)).put((byte) (awaitingKeyframe ? 1 : 0));
        for (byte[] s : strings) {
            out.putShort((short) s.length).put(s);
        }
        out.putLong(lastSeq).putLong(lastPacket).putInt(body.length).put(body);
        return out.array();
    }

    /** A parsed snapshot: its header and its body. */
    public record Parsed(SnapshotHeader header, byte[] body) {
    }

    /**
     * Parses a snapshot written by {@link #write}.
     *
     * @throws SnapshotFormatException when the bytes are not such a snapshot (another format, truncated)
     */
    public static Parsed parse(byte[] snapshot) {
        try {
            ByteBuffer in = ByteBuffer.wrap(snapshot);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new SnapshotFormatException("not a Weir stream snapshot (no \"WSNP\" header): written by an older Weir?");
            }
            byte version = in.get();
            if (version != VERSION) {
                throw new SnapshotFormatException("stream snapshot version " + version + " is not supported (expected " + VERSION + ")");
            }
            int role = in.get();
            if (role < 1 || role > Role.values().length) {
                throw new SnapshotFormatException("stream snapshot role " + role + " is unknown");
            }
            boolean awaiting = (in.get() & 1) != 0;
            String modality = string(in);
            TokenizerRef tokenizer = new TokenizerRef(string(in), string(in), string(in));
            long lastSeq = in.getLong();
            long lastPacket = in.getLong();
            int length = in.getInt();
            if (length != in.remaining()) {
                throw new SnapshotFormatException("stream snapshot body is " + in.remaining() + " bytes, its header says " + length);
            }
            byte[] body = new byte[length];
            in.get(body);
            return new Parsed(new SnapshotHeader(modality, Role.values()[role - 1], tokenizer, lastSeq, lastPacket, awaiting), body);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new SnapshotFormatException("stream snapshot truncated or corrupt: " + e);
        }
    }

    private static String string(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new SnapshotFormatException("stream snapshot string of " + length + " bytes runs past the end");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("snapshot header string too long: " + bytes.length + " bytes");
        }
        return bytes;
    }
}
