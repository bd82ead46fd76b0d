package dev.weir.codec.video.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoTokenLayout;
import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The picture a video decoder holds, and the tokens that painted each of its patches. Encoder and
 * decoder both paint through this one class, so the encoder's reference is exactly the decoder's
 * output. Because patches do not overlap, the picture is a function of the last tokens of every
 * position: a snapshot stores those tokens, not pixels (a few KB instead of w·h·3 bytes, small enough
 * for a Kafka changelog record), and restore repaints the picture.
 *
 * <p>Snapshot format, version 1, big-endian:
 * <pre>
 *   4 bytes magic "WVST", 1 byte version (1), 1 byte role (1 encoder, 2 decoder),
 *   64 bytes codebook SHA-256 as ASCII hex, 8 bytes last seq (−1 before the first packet),
 *   4+4+4 bytes width, height, patch (all 0 before the first packet),
 *   then positions·stages 4-byte tokens, position-major; a position never painted holds −1 in every stage
 * </pre>
 */
public final class PatchCanvas {

    public static final byte ROLE_ENCODER = 1;
    public static final byte ROLE_DECODER = 2;
    private static final byte[] MAGIC = {'W', 'V', 'S', 'T'};
    private static final byte VERSION = 1;
    private static final int HEADER = 4 + 1 + 1 + 64 + 8 + 12;

    private final VideoCodebook codebook;
    private final VideoKernels kernels;
    private final VideoTokenLayout layout;
    private final ShapeCodebook[] stages;
    private final byte role;

    private long lastSeq = -1;
    private FrameGeometry geometry;
    private byte[] frame;
    private int[] tokens;

    public PatchCanvas(VideoCodebook codebook, VideoKernels kernels, byte role) {
        this.codebook = codebook;
        this.kernels = kernels;
        this.layout = codebook.layout();
        this.stages = codebook.stages().toArray(ShapeCodebook[]::new);
        this.role = role;
    }

    /**
     * Paints the listed positions with their tokens ({@code tokens[r·stages + t]}). A keyframe at a new
     * geometry starts from black; a non-keyframe at a new geometry is refused unless nothing was painted yet.
     *
     * @throws MediaFormatException when a token is not one the codebook's layout can produce
     */
    public void paint(FrameGeometry g, long seq, int[] positions, int count, int[] packetTokens, boolean keyframe) {
        int stageCount = stages.length;
        int[] dcCodes = new int[3 * count];
        int[] shapeIds = new int[stageCount * count];
        for (int r = 0; r < count; r++) {
            int token0 = packetTokens[r * stageCount];
            layout.check(0, token0);
            for (int c = 0; c < 3; c++) {
                dcCodes[3 * r + c] = layout.dcCode(token0, c);
            }
            shapeIds[r] = layout.shape(token0);
            for (int t = 1; t < stageCount; t++) {
                int token = packetTokens[r * stageCount + t];
                layout.check(t, token);
                shapeIds[t * count + r] = token;
            }
        }
        if (!g.equals(geometry)) {
            if (!keyframe && geometry != null) {
                throw new MediaFormatException("frame geometry changed from " + geometry + " to " + g
                        + " on a packet that is not a keyframe; the encoder must send a keyframe first");
            }
            start(g);
        }
        kernels.reconstruct(frame, g, codebook.dcBits(), positions, count, dcCodes, shapeIds, stages);
        for (int r = 0; r < count; r++) {
            System.arraycopy(packetTokens, r * stageCount, tokens, positions[r] * stageCount, stageCount);
        }
        lastSeq = seq;
    }

    public FrameGeometry geometry() {
        return geometry;
    }

    /** A copy of the held picture, or null before the first paint. */
    public RgbFrame picture() {
        return frame == null ? null : new RgbFrame(geometry.width(), geometry.height(), frame.clone());
    }

    public byte[] snapshot() {
        int tokenCount = tokens == null ? 0 : tokens.length;
        ByteBuffer out = ByteBuffer.allocate(HEADER + 4 * tokenCount);
        out.put(MAGIC).put(VERSION).put(role).put(codebook.hash().getBytes(StandardCharsets.US_ASCII)).putLong(lastSeq);
        if (geometry == null) {
            out.putInt(0).putInt(0).putInt(0);
        } else {
            out.putInt(geometry.width()).putInt(geometry.height()).putInt(geometry.patch());
            out.asIntBuffer().put(tokens);
        }
        return out.array();
    }

    public void restore(byte[] snapshot) {
        if (snapshot == null || snapshot.length < HEADER) {
            throw new SnapshotFormatException("video state snapshot too short: " + (snapshot == null ? 0 : snapshot.length)
                    + " bytes, the header alone is " + HEADER);
        }
        ByteBuffer in = ByteBuffer.wrap(snapshot);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC) || in.get() != VERSION) {
            throw new SnapshotFormatException("not a version-1 Weir video state snapshot");
        }
        byte actualRole = in.get();
        if (actualRole != role) {
            throw new SnapshotFormatException("a video " + roleName(actualRole) + " snapshot cannot restore a video "
                    + roleName(role));
        }
        byte[] hash = new byte[64];
        in.get(hash);
        String snapshotHash = new String(hash, StandardCharsets.US_ASCII);
        if (!snapshotHash.equals(codebook.hash())) {
            throw new SnapshotFormatException("snapshot was taken with codebook " + snapshotHash
                    + ", this codec uses " + codebook.hash());
        }
        long seq = in.getLong();
        int width = in.getInt();
        int height = in.getInt();
        int patch = in.getInt();
        if (width == 0 && height == 0 && patch == 0) {
            if (in.hasRemaining()) {
                throw new SnapshotFormatException("empty video state snapshot has trailing bytes");
            }
            lastSeq = seq;
            geometry = null;
            frame = null;
            tokens = null;
            return;
        }
        FrameGeometry g;
        try {
            g = new FrameGeometry(width, height, patch);
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException("video state snapshot geometry invalid: " + e.getMessage());
        }
        if (patch != codebook.patchSize()) {
            throw new SnapshotFormatException("snapshot patch size " + patch + " differs from the codebook's "
                    + codebook.patchSize());
        }
        int stageCount = stages.length;
        long expected = 4L * g.patches() * stageCount;
        if (in.remaining() != expected) {
            throw new SnapshotFormatException("video state snapshot holds " + in.remaining() + " token bytes; "
                    + width + "x" + height + " at patch " + patch + " with " + stageCount + " stages needs " + expected);
        }
        int[] saved = new int[g.patches() * stageCount];
        in.asIntBuffer().get(saved);
        int[] painted = new int[g.patches()];
        int[] paintedTokens = new int[saved.length];
        int count = 0;
        for (int i = 0; i < g.patches(); i++) {
            if (saved[i * stageCount] == -1) {
                continue;
            }
            painted[count] = i;
            System.arraycopy(saved, i * stageCount, paintedTokens, count * stageCount, stageCount);
            count++;
        }
        long previousSeq = lastSeq;
        FrameGeometry previousGeometry = geometry;
        byte[] previousFrame = frame;
        int[] previousTokens = tokens;
        start(g);
        try {
            paint(g, seq, painted, count, paintedTokens, true);
        } catch (MediaFormatException e) {
            lastSeq = previousSeq;
            geometry = previousGeometry;
            frame = previousFrame;
            tokens = previousTokens;
            throw new SnapshotFormatException("video state snapshot holds invalid tokens: " + e.getMessage());
        }
    }

    private void start(FrameGeometry g) {
        geometry = g;
        frame = new byte[g.rgbBytes()];
        tokens = new int[g.patches() * stages.length];
        Arrays.fill(tokens, -1);
    }

    private static String roleName(byte role) {
        return role == ROLE_ENCODER ? "encoder" : role == ROLE_DECODER ? "decoder" : "role-" + role;
    }
}
