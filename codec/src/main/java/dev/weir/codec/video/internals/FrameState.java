package dev.weir.codec.video.internals;

import dev.weir.codec.SnapshotFormatException;
import dev.weir.kernels.FrameGeometry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The per-stream state of the video encoder and decoder, and its snapshot format (version 1,
 * big-endian):
 * <pre>
 *   4 bytes magic "WVST", 1 byte version (1), 1 byte role (1 encoder, 2 decoder),
 *   64 bytes codebook SHA-256 as ASCII hex, 8 bytes last seq (−1 before the first packet),
 *   4+4+4 bytes width, height, patch (all 0 before the first packet), then width·height·3 bytes of RGB24
 * </pre>
 *
 * @param geometry the frame layout, null before the first packet
 * @param frame    the picture the decoder holds, null before the first packet
 */
public record FrameState(long lastSeq, FrameGeometry geometry, byte[] frame) {

    public static final byte ROLE_ENCODER = 1;
    public static final byte ROLE_DECODER = 2;
    private static final byte[] MAGIC = {'W', 'V', 'S', 'T'};
    private static final byte VERSION = 1;
    private static final int HEADER = 4 + 1 + 1 + 64 + 8 + 12;

    public static FrameState empty() {
        return new FrameState(-1, null, null);
    }

    public byte[] toBytes(byte role, String codebookHash) {
        int frameBytes = frame == null ? 0 : frame.length;
        ByteBuffer out = ByteBuffer.allocate(HEADER + frameBytes);
        out.put(MAGIC).put(VERSION).put(role).put(codebookHash.getBytes(StandardCharsets.US_ASCII)).putLong(lastSeq);
        if (geometry == null) {
            out.putInt(0).putInt(0).putInt(0);
        } else {
            out.putInt(geometry.width()).putInt(geometry.height()).putInt(geometry.patch()).put(frame);
        }
        return out.array();
    }

    public static FrameState parse(byte[] snapshot, byte role, String codebookHash) {
        if (snapshot == null || snapshot.length < HEADER) {
            throw new SnapshotFormatException("video state snapshot too short: " + (snapshot == null ? 0 : snapshot.length)
                    + " bytes, the header alone is " + HEADER);
        }
        ByteBuffer in = ByteBuffer.wrap(snapshot);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC) || in.get() != VERSION) {
            throw new SnapshotFormatException("not a version-1 Weir video state snapshot");
        }
        byte actualRole = in.get();
        if (actualRole != role) {
            throw new SnapshotFormatException("snapshot of a video " + (actualRole == ROLE_ENCODER ? "encoder" : "decoder")
                    + " cannot restore a video " + (role == ROLE_ENCODER ? "encoder" : "decoder"));
        }
        byte[] hash = new byte[64];
        in.get(hash);
        String snapshotHash = new String(hash, StandardCharsets.US_ASCII);
        if (!snapshotHash.equals(codebookHash)) {
            throw new SnapshotFormatException("snapshot was taken with codebook " + snapshotHash
                    + ", this codec uses " + codebookHash);
        }
        long lastSeq = in.getLong();
        int width = in.getInt();
        int height = in.getInt();
        int patch = in.getInt();
        if (width == 0 && height == 0 && patch == 0) {
            if (in.hasRemaining()) {
                throw new SnapshotFormatException("empty video state snapshot has trailing bytes");
            }
            return new FrameState(lastSeq, null, null);
        }
        FrameGeometry geometry;
        try {
            geometry = new FrameGeometry(width, height, patch);
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException("video state snapshot geometry invalid: " + e.getMessage());
        }
        if (in.remaining() != geometry.rgbBytes()) {
            throw new SnapshotFormatException("video state snapshot holds " + in.remaining() + " frame bytes, "
                    + width + "x" + height + " needs " + geometry.rgbBytes());
        }
        byte[] frame = new byte[geometry.rgbBytes()];
        in.get(frame);
        return new FrameState(lastSeq, geometry, frame);
    }
}
