package dev.weir.codec.video.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoEncoder;
import dev.weir.codec.video.VideoTokenLayout;
import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.util.Objects;
import java.util.Optional;

/**
 * DC + residual-VQ patch encoder on the kernels: patchify, then per stage nearest and (before the
 * next stage) subtract. Every packet is a keyframe today; the reference frame it keeps is what the
 * cacher will compare against.
 */
public final class PatchVideoEncoder implements VideoEncoder {

    private static final int[] NONE = new int[0];

    private final VideoCodebook codebook;
    private final VideoKernels kernels;
    private final VideoTokenLayout layout;
    private final ShapeCodebook[] stages;
    private final TokenizerRef tokenizer;
    private FrameState state = FrameState.empty();

    // Scratch buffers, reused while the geometry stays the same.
    private FrameGeometry scratchGeometry;
    private int[] dcCodes;
    private short[] residuals;
    private int[] shapeIds;
    private int[] stageIndices;

    private final CompressionConfig compression;

    public PatchVideoEncoder(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
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
    public CompressionConfig compression() {
        return compression;
    }

    @Override
    public VideoCodebook codebook() {
        return codebook;
    }

    @Override
    public FrameGeometry layout(RgbFrame frame) {
        return frame.geometry(codebook.patchSize());
    }

    @Override
    public TokenPacket encode(long seq, RgbFrame frame) {
        long start = System.nanoTime();
        FrameGeometry g = layout(frame);
        int n = g.patches();
        int stageCount = stages.length;
        ensureScratch(g);

        kernels.patchify(frame.rgb(), g, codebook.dcBits(), dcCodes, residuals);
        for (int t = 0; t < stageCount; t++) {
            kernels.nearest(residuals, null, n, stages[t], stageIndices);
            if (t + 1 < stageCount) {
                kernels.subtract(residuals, null, n, stages[t], stageIndices);
            }
            System.arraycopy(stageIndices, 0, shapeIds, t * n, n);
        }

        int[] positions = new int[n];
        int[] tokens = new int[n * stageCount];
        for (int i = 0; i < n; i++) {
            positions[i] = i;
            tokens[i * stageCount] = layout.stage0Token(dcCodes[3 * i], dcCodes[3 * i + 1], dcCodes[3 * i + 2], shapeIds[i]);
            for (int t = 1; t < stageCount; t++) {
                tokens[i * stageCount + t] = shapeIds[t * n + i];
            }
        }

        byte[] reference = g.equals(state.geometry()) ? state.frame() : new byte[g.rgbBytes()];
        kernels.reconstruct(reference, g, codebook.dcBits(), positions, n, dcCodes, shapeIds, stages);
        state = new FrameState(seq, g, reference);
        return new TokenPacket(seq, true, n, stageCount, positions, tokens, NONE, 0, n, System.nanoTime() - start);
    }

    @Override
    public Optional<RgbFrame> reference() {
        return state.frame() == null ? Optional.empty()
                : Optional.of(new RgbFrame(state.geometry().width(), state.geometry().height(), state.frame().clone()));
    }

    @Override
    public byte[] snapshot() {
        return state.toBytes(FrameState.ROLE_ENCODER, codebook.hash());
    }

    @Override
    public void restore(byte[] snapshot) {
        FrameState restored = FrameState.parse(snapshot, FrameState.ROLE_ENCODER, codebook.hash());
        if (restored.geometry() != null && restored.geometry().patch() != codebook.patchSize()) {
            throw new dev.weir.codec.SnapshotFormatException("snapshot patch size " + restored.geometry().patch()
                    + " differs from the codebook's " + codebook.patchSize());
        }
        state = restored;
    }

    private void ensureScratch(FrameGeometry g) {
        if (g.equals(scratchGeometry)) {
            return;
        }
        long residualCount = (long) g.patches() * g.patchDim();
        if (residualCount > Integer.MAX_VALUE - 8) {
            throw new MediaFormatException("frame " + g.width() + "x" + g.height() + " at patch " + g.patch()
                    + " is too large to tokenize in one pass");
        }
        int n = g.patches();
        dcCodes = new int[3 * n];
        residuals = new short[(int) residualCount];
        shapeIds = new int[stages.length * n];
        stageIndices = new int[n];
        scratchGeometry = g;
    }
}
