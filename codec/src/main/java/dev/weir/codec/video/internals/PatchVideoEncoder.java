package dev.weir.codec.video.internals;

import dev.weir.codec.Encoded;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.compress.BudgetMeter;
import dev.weir.codec.compress.Cacher;
import dev.weir.codec.compress.KeyframePolicy;
import dev.weir.codec.compress.Pruner;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.codec.video.FrameGeometry;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoEncoder;
import dev.weir.codec.video.VideoTokenLayout;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * DC + residual-VQ patch encoder on the kernels, assembling the compression parts of
 * {@link dev.weir.codec.compress} per frame:
 * <ol>
 *   <li>cacher: per-patch change against the decoder's picture (closed loop); unchanged patches reuse
 *       their cached tokens and are not searched;</li>
 *   <li>keyframe on the first frame, on the interval and on a scene change (every patch sent);</li>
 *   <li>pruner: the most novel changed patches ({@link DualAnchorNovelty}) under the budget; the others stay
 *       stale at the decoder and remain candidates;</li>
 *   <li>tokenizer on the kept patches only ({@link #tokenize});</li>
 *   <li>closed loop: the emitted tokens are painted onto the reference with {@code reconstruct}, the
 *       decoder's own call, so encoder and decoder hold the same picture bit for bit ({@link #remember}).</li>
 * </ol>
 *
 * <p>Snapshot body (after {@link StateHeader}): token grid ({@link TokenGrid}), 4 bytes frames since the last
 * keyframe, 8 bytes bank (IEEE double), then per position 4 bytes squared error at send and
 * {@value DualAnchorNovelty#DIMS} bytes temporal anchor.
 */
public final class PatchVideoEncoder implements VideoEncoder {

    private static final int[] NONE = new int[0];

    private final VideoCodebook codebook;
    private final VideoKernels kernels;
    private final VideoTokenLayout layout;
    private final ShapeCodebook[] stages;
    private final TokenizerRef tokenizer;
    private final CompressionConfig compression;
    private final Cacher cacher;
    private final KeyframePolicy keyframes;
    private final Pruner pruner;
    private final BudgetMeter budget;

    // Stream state (all of it goes into the snapshot; the reference is rebuilt from the token grid).
    private PatchGrid grid;
    private TokenGrid sent;
    private byte[] reference;
    private int[] errorAtSend;
    private byte[] anchors;
    private int sinceKeyframe;

    // Scratch, reused while the geometry stays the same.
    private int[] dcCodes;
    private short[] residuals;
    private long[] squaredError;
    private byte[] features;
    private int[] samples;
    private int[] allPositions;

    public PatchVideoEncoder(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression) {
        this(codebook, kernels, compression, Pruner.MOST_NOVEL);
    }

    /** An encoder whose pruner is {@code pruner} (the evaluation's baselines bring their own). */
    public PatchVideoEncoder(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression, Pruner pruner) {
        this.codebook = Objects.requireNonNull(codebook, "codebook");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.compression = Objects.requireNonNull(compression, "compression");
        this.pruner = Objects.requireNonNull(pruner, "pruner");
        this.layout = codebook.layout();
        this.stages = codebook.stages().toArray(ShapeCodebook[]::new);
        this.tokenizer = codebook.tokenizerRef();
        this.cacher = compression.cache();
        this.keyframes = compression.keyframes();
        this.budget = new BudgetMeter(compression.budget());
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
    public Encoded<FrameGeometry> encode(long seq, RgbFrame frame) {
        long start = System.nanoTime();
        PatchGrid g = frame.geometry(codebook.patchSize());
        int n = g.patches();
        int unitTokens = n * stages.length;
        boolean first = !g.equals(grid);
        if (first) {
            startStream(g);
        } else {
            budget.refill(unitTokens);
        }
        DualAnchorNovelty.features(frame.rgb(), g, features);

        int[] candidates = first || !cacher.measuresChange() ? allPositions : changed(frame, g);
        boolean keyframe = keyframes.isKeyframe(first, sinceKeyframe,
                cacher.detectsSceneChanges() ? candidates.length : -1, n, budget.affords(unitTokens));
        int[] kept = keyframe ? allPositions : prune(candidates, n, seq);
        int k = kept.length;

        // without a cacher every patch is tokenized, as STC's pruner runs after the encoder
        int[] searched = cacher.measuresChange() ? kept : allPositions;
        int[] shapes = tokenize(frame, g, searched);
        int[] tokens = new int[k * stages.length];
        int[] keptDc = new int[3 * k];
        int[] keptShapes = new int[stages.length * k];
        gatherKept(kept, searched, shapes, tokens, keptDc, keptShapes);
        remember(frame, g, kept, tokens, keptDc, keptShapes, first);

        int[] reused = keyframe || !cacher.measuresChange() ? NONE : complement(candidates, n);
        budget.spend(tokens.length);
        sinceKeyframe = keyframe ? 0 : sinceKeyframe + 1;
        TokenPacket packet = new TokenPacket(seq, keyframe, n, stages.length, kept == allPositions ? kept.clone() : kept,
                tokens, reused, keyframe ? 0 : candidates.length - k, candidates.length, System.nanoTime() - start);
        return new Encoded<>(packet, FrameGeometry.of(g));
    }

    /** The cacher: positions whose squared error against the decoder's picture grew past its criterion. */
    private int[] changed(RgbFrame frame, PatchGrid g) {
        kernels.patchSquaredError(frame.rgb(), reference, g, squaredError);
        return cacher.changed(squaredError, errorAtSend, samples);
    }

    /** The pruner: at most the budget's share of the changed positions, the most novel first. */
    private int[] prune(int[] candidates, int n, long seq) {
        int allowed = budget.allowedPositions(n, stages.length);
        return pruner.keep(candidates, c -> DualAnchorNovelty.scores(features, anchors, n, compression.alpha(), c),
                allowed, seq);
    }

    /**
     * The tokenizer on the {@code searched} patches: patchify, then per stage the nearest entry of what the
     * stages before left ({@code nearest}, {@code subtract}). Returns stage t of searched row r at
     * {@code [t·m + r]}; the DC codes of every patch are in {@link #dcCodes}.
     */
    private int[] tokenize(RgbFrame frame, PatchGrid g, int[] searched) {
        kernels.patchify(frame.rgb(), g, codebook.dcBits(), dcCodes, residuals);
        int m = searched.length;
        int[] found = new int[stages.length * m];
        int[] stageIndices = new int[m];
        for (int t = 0; t < stages.length; t++) {
            kernels.nearest(residuals, searched, m, stages[t], stageIndices);
            if (t + 1 < stages.length) {
                kernels.subtract(residuals, searched, m, stages[t], stageIndices);
            }
            System.arraycopy(stageIndices, 0, found, t * m, m);
        }
        return found;
    }

    /** The tokens, DC codes and shape ids of the kept patches, out of what was searched. */
    private void gatherKept(int[] kept, int[] searched, int[] found, int[] tokens, int[] keptDc, int[] keptShapes) {
        int k = kept.length;
        int m = searched.length;
        int stageCount = stages.length;
        for (int r = 0; r < k; r++) {
            int p = kept[r];
            int s = searched == kept ? r : p;
            for (int c = 0; c < 3; c++) {
                keptDc[3 * r + c] = dcCodes[3 * p + c];
            }
            for (int t = 0; t < stageCount; t++) {
                keptShapes[t * k + r] = found[t * m + s];
            }
            tokens[r * stageCount] = layout.stage0Token(keptDc[3 * r], keptDc[3 * r + 1], keptDc[3 * r + 2], keptShapes[r]);
            for (int t = 1; t < stageCount; t++) {
                tokens[r * stageCount + t] = keptShapes[t * k + r];
            }
        }
    }

    /**
     * The closed loop: paints the kept patches as the decoder will, and remembers for each what was sent,
     * its error at send and its temporal anchor.
     */
    private void remember(RgbFrame frame, PatchGrid g, int[] kept, int[] tokens, int[] keptDc, int[] keptShapes,
                          boolean first) {
        int k = kept.length;
        int stageCount = stages.length;
        kernels.reconstruct(reference, g, codebook.dcBits(), kept, k, keptDc, keptShapes, stages);
        kernels.patchSquaredError(frame.rgb(), reference, g, squaredError);
        for (int r = 0; r < k; r++) {
            int p = kept[r];
            for (int t = 0; t < stageCount; t++) {
                sent.set(p, t, tokens[r * stageCount + t]);
            }
            errorAtSend[p] = (int) squaredError[p];
            if (first) {
                System.arraycopy(features, p * DualAnchorNovelty.DIMS, anchors, p * DualAnchorNovelty.DIMS,
                        DualAnchorNovelty.DIMS);
            } else {
                DualAnchorNovelty.updateAnchor(anchors, features, p);
            }
        }
    }

    private static int[] complement(int[] ascending, int n) {
        int[] out = new int[n - ascending.length];
        int o = 0;
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (j < ascending.length && ascending[j] == i) {
                j++;
            } else {
                out[o++] = i;
            }
        }
        return out;
    }

    private void startStream(PatchGrid g) {
        allocate(g);
        sent = new TokenGrid(g.patches(), stages.length);
        reference = new byte[g.rgbBytes()];
        errorAtSend = new int[g.patches()];
        anchors = new byte[g.patches() * DualAnchorNovelty.DIMS];
        sinceKeyframe = 0;
        budget.start((long) g.patches() * stages.length);
    }

    private void allocate(PatchGrid g) {
        if (g.equals(grid)) {
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
        squaredError = new long[n];
        features = new byte[n * DualAnchorNovelty.DIMS];
        samples = new int[n];
        allPositions = new int[n];
        for (int i = 0; i < n; i++) {
            allPositions[i] = i;
            int y0 = (i / g.columns()) * g.patch();
            int x0 = (i % g.columns()) * g.patch();
            samples[i] = 3 * Math.min(g.patch(), g.height() - y0) * Math.min(g.patch(), g.width() - x0);
        }
        grid = g;
    }

    @Override
    public Optional<RgbFrame> reference() {
        return grid == null ? Optional.empty()
                : Optional.of(new RgbFrame(grid.width(), grid.height(), reference.clone()));
    }

    @Override
    public byte[] snapshot() {
        long body = grid == null ? 0 : bodyBytes(grid);
        ByteBuffer out = StateHeader.write(StateHeader.ROLE_ENCODER, codebook.hash(), grid, body);
        if (grid != null) {
            sent.write(out);
            out.putInt(sinceKeyframe).putDouble(budget.bank());
            for (int e : errorAtSend) {
                out.putInt(e);
            }
            out.put(anchors);
        }
        return out.array();
    }

    @Override
    public void restore(byte[] snapshot) {
        StateHeader header = StateHeader.parse(snapshot, StateHeader.ROLE_ENCODER, codebook.hash(), codebook.patchSize());
        PatchGrid g = header.grid();
        if (g == null) {
            grid = null;
            sent = null;
            reference = null;
            sinceKeyframe = 0;
            budget.restore(0);
            return;
        }
        header.expectBody(bodyBytes(g));
        ByteBuffer in = header.body();
        TokenGrid restoredTokens = TokenGrid.read(in, g.patches(), layout);
        int restoredSince = in.getInt();
        double restoredBank = in.getDouble();
        int[] restoredError = new int[g.patches()];
        for (int i = 0; i < restoredError.length; i++) {
            restoredError[i] = in.getInt();
        }
        byte[] restoredAnchors = new byte[g.patches() * DualAnchorNovelty.DIMS];
        in.get(restoredAnchors);
        byte[] picture = new byte[g.rgbBytes()];
        restoredTokens.paint(picture, g, layout, codebook.dcBits(), stages, kernels);
        allocate(g);
        sent = restoredTokens;
        reference = picture;
        errorAtSend = restoredError;
        anchors = restoredAnchors;
        sinceKeyframe = restoredSince;
        budget.restore(restoredBank);
    }

    private long bodyBytes(PatchGrid g) {
        return TokenGrid.serializedBytes(g.patches(), stages.length) + 4 + 8
                + (long) g.patches() * (4 + DualAnchorNovelty.DIMS);
    }
}
