package dev.weir.codec.video.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.video.FrameGeometry;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoDecoder;
import dev.weir.codec.video.VideoTokenLayout;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Paints the patches a packet carries over the held frame with the kernels' {@code reconstruct}, and
 * remembers the tokens of every position ({@link TokenGrid}) so its snapshot is the token grid, not the
 * picture: {@link #restore} repaints the picture from it.
 *
 * <p>Snapshot body (after {@link StateHeader}): the token grid, {@code n · (4 + 2·(stages − 1))} bytes.
 */
public final class PatchVideoDecoder implements VideoDecoder {

    private final VideoCodebook codebook;
    private final VideoKernels kernels;
    private final VideoTokenLayout layout;
    private final ShapeCodebook[] stages;
    private final TokenizerRef tokenizer;
    private PatchGrid geometry;
    private TokenGrid grid;
    private byte[] frame;

    public PatchVideoDecoder(VideoCodebook codebook, VideoKernels kernels) {
        this.codebook = Objects.requireNonNull(codebook, "codebook");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.layout = codebook.layout();
        this.stages = codebook.stages().toArray(ShapeCodebook[]::new);
        this.tokenizer = codebook.tokenizerRef();
    }

    @Override
    public TokenizerRef tokenizer() {
        return tokenizer;
    }

    @Override
    public VideoCodebook codebook() {
        return codebook;
    }

    @Override
    public RgbFrame decode(FrameGeometry frameGeometry, TokenPacket packet) {
        Objects.requireNonNull(frameGeometry, "geometry");
        Objects.requireNonNull(packet, "packet");
        PatchGrid g = frameGeometry.grid();
        if (g.patch() != codebook.patchSize()) {
            throw new MediaFormatException("packet geometry has patch " + g.patch() + " but the codebook "
                    + codebook.id() + " codes patches of " + codebook.patchSize());
        }
        if (packet.positionsTotal() != g.patches()) {
            throw new MediaFormatException("packet says " + packet.positionsTotal() + " positions but a "
                    + g.width() + "x" + g.height() + " frame has " + g.patches() + " patches of " + g.patch());
        }
        int stageCount = stages.length;
        if (packet.tokensPerPosition() != stageCount) {
            throw new MediaFormatException("packet carries " + packet.tokensPerPosition()
                    + " tokens per patch, the codebook has " + stageCount + " stages");
        }
        int count = packet.positionCount();
        int[] dcCodes = new int[3 * count];
        int[] shapeIds = new int[stageCount * count];
        for (int r = 0; r < count; r++) {
            int token0 = packet.token(r, 0);
            layout.check(0, token0);
            for (int c = 0; c < 3; c++) {
                dcCodes[3 * r + c] = layout.dcCode(token0, c);
            }
            shapeIds[r] = layout.shape(token0);
            for (int t = 1; t < stageCount; t++) {
                int token = packet.token(r, t);
                layout.check(t, token);
                shapeIds[t * count + r] = token;
            }
        }

        if (!g.equals(geometry)) {
            if (!packet.keyframe() && geometry != null) {
                throw new MediaFormatException("frame geometry changed from " + geometry + " to " + g
                        + " on a packet that is not a keyframe; the encoder must send a keyframe first");
            }
            geometry = g;
            frame = new byte[g.rgbBytes()];
            grid = new TokenGrid(g.patches(), stageCount);
        }
        kernels.reconstruct(frame, g, codebook.dcBits(), packet.positions(), count, dcCodes, shapeIds, stages);
        for (int r = 0; r < count; r++) {
            int position = packet.positions()[r];
            for (int t = 0; t < stageCount; t++) {
                grid.set(position, t, packet.token(r, t));
            }
        }
        return new RgbFrame(g.width(), g.height(), frame.clone());
    }

    @Override
    public byte[] snapshot() {
        long body = geometry == null ? 0 : TokenGrid.serializedBytes(geometry.patches(), stages.length);
        ByteBuffer out = StateHeader.write(StateHeader.ROLE_DECODER, codebook.hash(), geometry, body);
        if (geometry != null) {
            grid.write(out);
        }
        return out.array();
    }

    @Override
    public void restore(byte[] snapshot) {
        StateHeader header = StateHeader.parse(snapshot, StateHeader.ROLE_DECODER, codebook.hash(), codebook.patchSize());
        PatchGrid g = header.grid();
        if (g == null) {
            geometry = null;
            grid = null;
            frame = null;
            return;
        }
        header.expectBody(TokenGrid.serializedBytes(g.patches(), stages.length));
        TokenGrid restored = TokenGrid.read(header.body(), g.patches(), layout);
        byte[] picture = new byte[g.rgbBytes()];
        restored.paint(picture, g, layout, codebook.dcBits(), stages, kernels);
        geometry = g;
        grid = restored;
        frame = picture;
    }
}
