package dev.weir.codec.video.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoDecoder;
import dev.weir.codec.video.VideoTokenLayout;
import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.util.Objects;

/** Paints the patches a packet carries over the held frame with the kernels' {@code reconstruct}. */
public final class PatchVideoDecoder implements VideoDecoder {

    private final VideoCodebook codebook;
    private final VideoKernels kernels;
    private final VideoTokenLayout layout;
    private final ShapeCodebook[] stages;
    private final TokenizerRef tokenizer;
    private FrameState state = FrameState.empty();

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
    public RgbFrame decode(FrameGeometry g, TokenPacket packet) {
        Objects.requireNonNull(g, "geometry");
        Objects.requireNonNull(packet, "packet");
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

        byte[] frame;
        if (g.equals(state.geometry())) {
            frame = state.frame();
        } else if (packet.keyframe() || state.geometry() == null) {
            frame = new byte[g.rgbBytes()];
        } else {
            throw new MediaFormatException("frame geometry changed from " + state.geometry() + " to " + g
                    + " on a packet that is not a keyframe; the encoder must send a keyframe first");
        }
        kernels.reconstruct(frame, g, codebook.dcBits(), packet.positions(), count, dcCodes, shapeIds, stages);
        state = new FrameState(packet.seq(), g, frame);
        return new RgbFrame(g.width(), g.height(), frame.clone());
    }

    @Override
    public byte[] snapshot() {
        return state.toBytes(FrameState.ROLE_DECODER, codebook.hash());
    }

    @Override
    public void restore(byte[] snapshot) {
        FrameState restored = FrameState.parse(snapshot, FrameState.ROLE_DECODER, codebook.hash());
        if (restored.geometry() != null && restored.geometry().patch() != codebook.patchSize()) {
            throw new SnapshotFormatException("snapshot patch size " + restored.geometry().patch()
                    + " differs from the codebook's " + codebook.patchSize());
        }
        state = restored;
    }
}
