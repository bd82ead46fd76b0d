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
import dev.weir.kernels.PatchMeasures;
import dev.weir.kernels.PatchSelection;
import dev.weir.kernels.PatchStepPlan;
import dev.weir.kernels.PatchStepResult;
import dev.weir.kernels.PatchStepSpec;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * DC + residual-VQ patch encoder, assembling the compression parts of {@link dev.weir.codec.compress} around
 * one {@link PatchStepPlan} per stream (fused on the device where the backend can, composed from the host
 * otherwise; the same tokens either way). Per frame:
 * <ol>
 *   <li>the plan measures each patch of the frame against the decoder's picture (squared error) and its cell
 *       means (the novelty feature);</li>
 *   <li>on the host, from those small per-patch arrays ({@link #select}): the cacher finds the changed patches
 *       (closed loop: the growth of each patch's error since it was sent), a keyframe is due on the first frame,
 *       on the interval and on a scene change (every patch sent), and the pruner keeps the most novel changed
 *       patches ({@link DualAnchorNovelty}) under the budget; the others stay stale at the decoder and remain
 *       candidates;</li>
 *   <li>the plan tokenizes the kept patches only (patchify, nearest and subtract per stage) and paints them onto
 *       the decoder's picture with the decoder's own {@code reconstruct}, so encoder and decoder hold the same
 *       picture bit for bit, and measures their error at send;</li>
 *   <li>the encoder remembers for each sent patch its tokens, its error at send and its temporal anchor
 *       ({@link #remember}).</li>
 * </ol>
 * Everything a snapshot needs is on the host: the picture itself stays in the plan (on the device when fused)
 * and is repainted from the token grid on restore.
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
    private final boolean fuse;

    // Stream state (all of it goes into the snapshot; the picture is rebuilt from the token grid).
    private PatchGrid grid;
    private PatchStepPlan plan;
    private TokenGrid sent;
    private int[] errorAtSend;
    private byte[] anchors;
    private int sinceKeyframe;

    // Per grid.
    private int[] samples;
    private int[] allPositions;

    // The decision of the frame being encoded (set by select).
    private byte[] features;
    private int[] candidates;
    private boolean keyframe;

    public PatchVideoEncoder(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression) {
        this(codebook, kernels, compression, Pruner.MOST_NOVEL, true);
    }

    /** An encoder whose pruner is {@code pruner} (the evaluation's baselines bring their own). */
    public PatchVideoEncoder(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression, Pruner pruner) {
        this(codebook, kernels, compression, pruner, true);
    }

    /**
     * @param fuse whether to run the frame step fused on the device when the backend can
     *             ({@link PatchStepPlan#create}); false composes it from the host on any backend
     *             ({@link PatchStepPlan#composed}), as the benchmark's baseline does
     */
    public PatchVideoEncoder(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression, Pruner pruner,
                             boolean fuse) {
        this.codebook = Objects.requireNonNull(codebook, "codebook");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.compression = Objects.requireNonNull(compression, "compression");
        this.pruner = Objects.requireNonNull(pruner, "pruner");
        this.fuse = fuse;
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
        PatchStepResult step = plan.execute(frame.rgb(), measures -> select(measures, first, seq, unitTokens));
        int k = step.count();
        int[] tokens = tokens(step);
        remember(step, tokens, first);

        int[] reused = keyframe || !cacher.measuresChange() ? NONE : complement(candidates, n);
        budget.spend(tokens.length);
        sinceKeyframe = keyframe ? 0 : sinceKeyframe + 1;
        TokenPacket packet = new TokenPacket(seq, keyframe, n, stages.length, step.positions(), tokens, reused,
                keyframe ? 0 : candidates.length - k, candidates.length, System.nanoTime() - start);
        features = null;
        candidates = null;
        return new Encoded<>(packet, FrameGeometry.of(g));
    }

    /**
     * The host's decision between the plan's two phases, from its per-patch measures: the cacher's changed
     * patches, the keyframe decision, the pruner's kept patches under the budget. Without a cacher every patch is
     * tokenized (STC's pruner runs after the encoder) and only the kept are sent.
     */
    private PatchSelection select(PatchMeasures measures, boolean first, long seq, int unitTokens) {
        int n = measures.patches();
        features = measures.cellMeans();
        candidates = first || !cacher.measuresChange() ? allPositions
                : cacher.changed(measures.squaredError(), errorAtSend, samples);
        keyframe = keyframes.isKeyframe(first, sinceKeyframe,
                cacher.detectsSceneChanges() ? candidates.length : -1, n, budget.affords(unitTokens));
        int[] kept = keyframe ? allPositions : prune(candidates, n, seq);
        return new PatchSelection(cacher.measuresChange() ? kept : allPositions, kept);
    }

    /** The pruner: at most the budget's share of the changed positions, the most novel first. */
    private int[] prune(int[] changed, int n, long seq) {
        int allowed = budget.allowedPositions(n, stages.length);
        byte[] x = features;
        return pruner.keep(changed, c -> DualAnchorNovelty.scores(x, anchors, n, compression.alpha(), c), allowed, seq);
    }

    /** The packet's tokens: per sent patch its stage-0 token (DC codes and shape) and one token per residual stage. */
    private int[] tokens(PatchStepResult step) {
        int k = step.count();
        int stageCount = stages.length;
        int[] dc = step.dcCodes();
        int[] shapes = step.shapeIds();
        int[] tokens = new int[k * stageCount];
        for (int r = 0; r < k; r++) {
            tokens[r * stageCount] = layout.stage0Token(dc[3 * r], dc[3 * r + 1], dc[3 * r + 2], shapes[r]);
            for (int t = 1; t < stageCount; t++) {
                tokens[r * stageCount + t] = shapes[t * k + r];
            }
        }
        return tokens;
    }

    /**
     * The closed loop's memory (the plan painted the sent patches onto the decoder's picture): for each sent
     * patch what was sent, its error at send and its temporal anchor.
     */
    private void remember(PatchStepResult step, int[] tokens, boolean first) {
        int stageCount = stages.length;
        int[] positions = step.positions();
        for (int r = 0; r < positions.length; r++) {
            int p = positions[r];
            for (int t = 0; t < stageCount; t++) {
                sent.set(p, t, tokens[r * stageCount + t]);
            }
            errorAtSend[p] = step.errorAtSend()[r];
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
        errorAtSend = new int[g.patches()];
        anchors = new byte[g.patches() * DualAnchorNovelty.DIMS];
        sinceKeyframe = 0;
        budget.start((long) g.patches() * stages.length);
    }

    /** The plan and per-grid arrays for {@code g}, made anew when the grid changes (a new plan's picture is black). */
    private void allocate(PatchGrid g) {
        if (g.equals(grid)) {
            return;
        }
        PatchStepSpec spec;
        try {
            spec = new PatchStepSpec(g, codebook.dcBits(), List.of(stages));
        } catch (IllegalArgumentException e) {
            throw new MediaFormatException(e.getMessage(), e);
        }
        releasePlan();
        plan = fuse ? PatchStepPlan.create(kernels, spec) : PatchStepPlan.composed(kernels, spec);
        int n = g.patches();
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

    private void releasePlan() {
        if (plan != null) {
            plan.close();
            plan = null;
            grid = null;
        }
    }

    /** The stream's frame step (for the benchmark: its timings and placement); null before the first frame. */
    public PatchStepPlan plan() {
        return plan;
    }

    @Override
    public Optional<RgbFrame> reference() {
        return grid == null ? Optional.empty()
                : Optional.of(new RgbFrame(grid.width(), grid.height(), plan.reference()));
    }

    /** Frees the stream's frame step (its picture in device memory when fused). */
    @Override
    public void close() {
        releasePlan();
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
            releasePlan();
            sent = null;
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
        allocate(g);
        byte[] picture = new byte[g.rgbBytes()];
        restoredTokens.paint(picture, g, layout, codebook.dcBits(), stages, plan.kernels());
        plan.reference(picture);
        sent = restoredTokens;
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
