package dev.weir.codec.video.internals;

import dev.weir.codec.SnapshotFormatException;
import dev.weir.kernels.PatchGrid;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header every video codec snapshot starts with (format version 3, big-endian):
 * <pre>
 *   4 bytes magic "WVST", 1 byte version (3), 1 byte role (1 encoder, 2 decoder),
 *   64 bytes codebook SHA-256 as ASCII hex, 4+4+4 bytes width, height, patch (all 0 before the first packet)
 * </pre>
 * followed by the role's body (see {@link PatchVideoEncoder} and {@link PatchVideoDecoder}); a body is
 * present only when the geometry is. Version 1 stored the decoded RGB frame; version 2 stores the token
 * grid and rebuilds the frame, so a snapshot is a few bytes per patch instead of 3 per pixel; version 3
 * leaves the stream's last seq to the generic header the topology writes around every codec snapshot.
 *
 * @param grid null before the first packet
 * @param body the rest of the snapshot, positioned after the header
 */
record StateHeader(PatchGrid grid, ByteBuffer body) {

    static final byte ROLE_ENCODER = 1;
    static final byte ROLE_DECODER = 2;
    static final int BYTES = 4 + 1 + 1 + 64 + 12;
    private static final byte[] MAGIC = {'W', 'V', 'S', 'T'};
    private static final byte VERSION = 3;

    /** A buffer of exactly {@code BYTES + bodyBytes} bytes with the header written. */
    static ByteBuffer write(byte role, String codebookHash, PatchGrid geometry, long bodyBytes) {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(BYTES + bodyBytes));
        out.put(MAGIC).put(VERSION).put(role).put(codebookHash.getBytes(StandardCharsets.US_ASCII));
        if (geometry == null) {
            out.putInt(0).putInt(0).putInt(0);
        } else {
            out.putInt(geometry.width()).putInt(geometry.height()).putInt(geometry.patch());
        }
        return out;
    }

    /**
     * Parses and checks the header: magic, version, role, codebook hash and patch size.
     *
     * @throws SnapshotFormatException when any of them does not match
     */
    static StateHeader parse(byte[] snapshot, byte role, String codebookHash, int patch) {
        if (snapshot == null || snapshot.length < BYTES) {
            throw new SnapshotFormatException("video state snapshot too short: " + (snapshot == null ? 0 : snapshot.length)
                    + " bytes, the header alone is " + BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(snapshot);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new SnapshotFormatException("not a Weir video state snapshot: missing magic \"WVST\"");
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new SnapshotFormatException("video state snapshot version " + version + " is not supported (expected "
                    + VERSION + "); drop the state store to start the stream afresh");
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
        int width = in.getInt();
        int height = in.getInt();
        int patchSize = in.getInt();
        if (width == 0 && height == 0 && patchSize == 0) {
            if (in.hasRemaining()) {
                throw new SnapshotFormatException("empty video state snapshot has trailing bytes");
            }
            return new StateHeader(null, in);
        }
        PatchGrid geometry;
        try {
            geometry = new PatchGrid(width, height, patchSize);
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException("video state snapshot geometry invalid: " + e.getMessage());
        }
        if (patchSize != patch) {
            throw new SnapshotFormatException("snapshot patch size " + patchSize + " differs from the codebook's " + patch);
        }
        return new StateHeader(geometry, in);
    }

    /** Checks the body holds exactly {@code expected} bytes before anything is allocated for it. */
    void expectBody(long expected) {
        if (body.remaining() != expected) {
            throw new SnapshotFormatException("video state snapshot body is " + body.remaining() + " bytes, a "
                    + grid.width() + "x" + grid.height() + " stream at patch " + grid.patch() + " needs "
                    + expected);
        }
    }
}
