package dev.weir.codec.video.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.codec.video.CompressionConfig.Budget;
import dev.weir.codec.video.CompressionConfig.Cache;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoEncoder;
import dev.weir.codec.video.VideoTokenLayout;
import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * DC + residual-VQ patch encoder on the kernels with STC-style streaming compression. Per frame:
 * <ol>
 *   <li>cacher: per-patch change against the decoder's picture (closed loop); unchanged patches reuse
 *       their cached tokens and are not searched;</li>
 *   <li>keyframe on the first frame, on the interval and on a scene change (every patch sent);</li>
 *   <li>pruner: when more patches changed than the budget allows, keep the most novel
 *       ({@link DualAnchorNovelty}); the others stay stale at the decoder and remain candidates;</li>
 *   <li>tokenizer on the kept patches only: patchify, then per stage {@code nearest} on those rows and
 *       {@code subtract}; the emitted tokens are painted onto the reference with {@code reconstruct},
 *       the decoder's own call, so encoder and decoder hold the same picture bit for bit.</li>
 * </ol>
 *
 * <p>Change measure ({@link Cache.Threshold}): the growth of the patch's squared error against the
 * reference since its tokens were sent, {@code SE(frame, reference)_i − SE_at_send_i}, per sample. The
 * plain error against the reference cannot separate change from the codebook's own quantization error
 * (see docs/compression.md for the measurement).
 *
 * <p>Snapshot body (after {@link StateHeader}): token grid ({@link TokenGrid}), 8 bytes frames encoded,
 * 4 bytes frames since the last keyframe, 8 bytes bank (IEEE double), then per position 4 bytes squared
 * error at send and {@value DualAnchorNovelty#DIMS} bytes temporal anchor.
 */
public final class PatchVideoEncoder implements VideoEncoder {

    /** How the pruner picks among changed patches. */
    public enum PruneOrder {
        /** STC's dual-anchor novelty (the encoder's behaviour). */
        NOVELTY,
        /** Uniformly random positions, seeded per frame: the evaluation's {@code randomPrune} baseline. */
        RANDOM
    }

    /** Pass as the budget of {@link #encode(long, RgbFrame, int)} to use the configured budget. */
    public static final int CONFIGURED_BUDGET = -1;

    private static final int[] NONE = new int[0];
    /** Slack for share × n in double, so 0.29 × 100 counts as 29, not 28.999999999999996. */
    private static final double ROUNDING = 1e-9;

    private final VideoCodebook codebook;
    private final VideoKernels kernels;
    private final VideoTokenLayout layout;
    private final ShapeCodebook[] stages;
    private final TokenizerRef tokenizer;
    private final CompressionConfig compression;
    private final PruneOrder pruneOrder;
    private final long seed;

    // Stream state (all of it goes into the snapshot; the reference is rebuilt from the grid).
    private long lastSeq = -1;
    private FrameGeometry geometry;
    private TokenGrid grid;
    private byte[] reference;
    private int[] sentError;
    private byte[] anchors;
    private long framesEncoded;
    private int sinceKeyframe;
    private double bank;

    // Scratch, reused while the geometry stays the same.
    private int[] dcCodes;
    private short[] residuals;
    private long[] squaredError;
    private byte[] features;
    private int[] samples;
    private int[] allPositions;

    public PatchVideoEncoder(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression) {
        this(codebook, kernels, compression, PruneOrder.NOVELTY, 0);
    }

    public PatchVideoEncoder(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression,
                             PruneOrder pruneOrder, long seed) {
        this.codebook = Objects.requireNonNull(codebook, "codebook");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.compression = Objects.requireNonNull(compression, "compression");
        this.pruneOrder = Objects.requireNonNull(pruneOrder, "pruneOrder");
        this.seed = seed;
        this.layout = codebook.layout();
        this.stages = codebook.stages().toArray(ShapeCodebook[]::new);
        this.tokenizer = codebook.tokenizerRef();
    }

    @Override
    public TokenizerRef tokenizer() {
        return tokenizer;
    }

    @Override
    public long lastSeq() {
        return lastSeq;
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
        return encode(seq, frame, CONFIGURED_BUDGET);
    }

    /**
     * Encodes one frame with at most {@code positionBudget} patches in a non-keyframe instead of the
     * configured budget ({@link #CONFIGURED_BUDGET} to keep it); with an explicit budget only the first
     * frame is a keyframe. The evaluation uses this to run its baselines at exactly our per-frame budget.
     */
    public TokenPacket encode(long seq, RgbFrame frame, int positionBudget) {
        long start = System.nanoTime();
        FrameGeometry g = layout(frame);
        int n = g.patches();
        int stageCount = stages.length;
        boolean fresh = !g.equals(geometry);
        if (fresh) {
            startStream(g);
        }
        DualAnchorNovelty.features(frame.rgb(), g, features);

        // 1. cacher: which patches changed
        int[] candidates = fresh ? allPositions : changed(frame, g);
        Cache cache = compression.cache();

        // 2. keyframe: first frame, interval, scene change (when the bank affords one)
        int keyframeTokens = n * stageCount;
        if (compression.budget() instanceof Budget.Rate rate && !fresh) {
            bank = Math.min(bankCap(rate, g), bank + rate.tokensPerSecond() / rate.fps());
        }
        boolean due = compression.keyframeInterval() > 0 && sinceKeyframe + 1 >= compression.keyframeInterval();
        boolean sceneChange = cache instanceof Cache.Threshold
                && candidates.length >= compression.sceneChangeShare() * n;
        boolean affordable = !(compression.budget() instanceof Budget.Rate) || bank >= keyframeTokens;
        boolean keyframe = fresh || (positionBudget == CONFIGURED_BUDGET && (due || sceneChange) && affordable);

        // 3. pruner: the most novel changed patches under the budget
        int[] kept;
        if (keyframe) {
            kept = allPositions;
        } else {
            int allowed = positionBudget == CONFIGURED_BUDGET ? allowedPositions(g) : Math.min(positionBudget, n);
            kept = candidates.length <= allowed ? candidates
                    : pruneOrder == PruneOrder.NOVELTY
                    ? DualAnchorNovelty.mostNovel(features, anchors, n, compression.alpha(), candidates,
                            candidates.length, allowed)
                    : randomSubset(candidates, allowed, seq);
        }
        int k = kept.length;

        // 4. tokenizer on the kept patches (every patch without a cacher: STC's pruner runs after the encoder)
        kernels.patchify(frame.rgb(), g, codebook.dcBits(), dcCodes, residuals);
        int[] searched = cache instanceof Cache.Off ? allPositions : kept;
        int m = searched.length;
        int[] found = new int[stageCount * m];
        int[] stageIndices = new int[m];
        for (int t = 0; t < stageCount; t++) {
            kernels.nearest(residuals, searched, m, stages[t], stageIndices);
            if (t + 1 < stageCount) {
                kernels.subtract(residuals, searched, m, stages[t], stageIndices);
            }
            System.arraycopy(stageIndices, 0, found, t * m, m);
        }
        int[] tokens = new int[k * stageCount];
        int[] keptDc = new int[3 * k];
        int[] keptShapes = new int[stageCount * k];
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

        // 5. closed loop: paint what the decoder will paint, remember what was sent
        kernels.reconstruct(reference, g, codebook.dcBits(), kept, k, keptDc, keptShapes, stages);
        kernels.patchSquaredError(frame.rgb(), reference, g, squaredError);
        for (int r = 0; r < k; r++) {
            int p = kept[r];
            for (int t = 0; t < stageCount; t++) {
                grid.set(p, t, tokens[r * stageCount + t]);
            }
            sentError[p] = (int) squaredError[p];
            if (fresh) {
                System.arraycopy(features, p * DualAnchorNovelty.DIMS, anchors, p * DualAnchorNovelty.DIMS,
                        DualAnchorNovelty.DIMS);
            } else {
                DualAnchorNovelty.updateAnchor(anchors, features, p);
            }
        }
        int[] reused = keyframe || cache instanceof Cache.Off ? NONE : complement(candidates, n);
        if (compression.budget() instanceof Budget.Rate) {
            bank -= (double) k * stageCount;
        }
        sinceKeyframe = keyframe ? 0 : sinceKeyframe + 1;
        framesEncoded++;
        lastSeq = seq;
        return new TokenPacket(seq, keyframe, n, stageCount, kept == allPositions ? kept.clone() : kept, tokens,
                reused, keyframe ? 0 : candidates.length - k, candidates.length, System.nanoTime() - start);
    }

    /** Positions whose change since they were sent exceeds the cacher's criterion, ascending. */
    private int[] changed(RgbFrame frame, FrameGeometry g) {
        int n = g.patches();
        return switch (compression.cache()) {
            case Cache.Off off -> allPositions;
            case Cache.Threshold threshold -> {
                kernels.patchSquaredError(frame.rgb(), reference, g, squaredError);
                int[] out = new int[n];
                int count = 0;
                for (int i = 0; i < n; i++) {
                    // growth of the squared error since the patch was sent, against threshold · samples
                    if (squaredError[i] - sentError[i] > threshold.mse() * samples[i]) {
                        out[count++] = i;
                    }
                }
                yield Arrays.copyOf(out, count);
            }
            case Cache.UpdateRatio ratio -> {
                kernels.patchSquaredError(frame.rgb(), reference, g, squaredError);
                long[] growth = new long[n];
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) {
                    growth[i] = squaredError[i] - sentError[i];
                    order[i] = i;
                }
                // most growth per sample first (exact: cross-multiplied), ties to the lower position
                Arrays.sort(order, (a, b) -> {
                    int c = Long.compare(growth[b] * samples[a], growth[a] * samples[b]);
                    return c != 0 ? c : Integer.compare(a, b);
                });
                int count = (int) Math.min(n, Math.ceil(ratio.ratio() * n - ROUNDING));
                int[] out = new int[count];
                for (int r = 0; r < count; r++) {
                    out[r] = order[r];
                }
                Arrays.sort(out);
                yield out;
            }
        };
    }

    private int allowedPositions(FrameGeometry g) {
        int n = g.patches();
        int stageCount = stages.length;
        return switch (compression.budget()) {
            case Budget.Unlimited u -> n;
            case Budget.PerFrame perFrame -> Math.min(n, perFrame.tokens() / stageCount);
            case Budget.Ratio ratio -> (int) Math.min(n, Math.floor(ratio.ratio() * n + ROUNDING));
            case Budget.Rate rate -> (int) Math.min(n, Math.floor(Math.max(0, bank) / stageCount));
        };
    }

    /** The bank's cap in tokens: bankSeconds of rate, never less than one keyframe. */
    private double bankCap(Budget.Rate rate, FrameGeometry g) {
        return Math.max(rate.tokensPerSecond() * rate.bankSeconds(), (double) g.patches() * stages.length);
    }

    private int[] randomSubset(int[] candidates, int keep, long seq) {
        int[] pool = candidates.clone();
        SplittableRandom random = new SplittableRandom(seed ^ (seq * 0x9E3779B97F4A7C15L));
        for (int r = 0; r < keep; r++) {
            int j = r + random.nextInt(pool.length - r);
            int swap = pool[r];
            pool[r] = pool[j];
            pool[j] = swap;
        }
        int[] kept = Arrays.copyOf(pool, keep);
        Arrays.sort(kept);
        return kept;
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

    private void startStream(FrameGeometry g) {
        allocate(g);
        grid = new TokenGrid(g.patches(), stages.length);
        reference = new byte[g.rgbBytes()];
        sentError = new int[g.patches()];
        anchors = new byte[g.patches() * DualAnchorNovelty.DIMS];
        sinceKeyframe = 0;
        bank = compression.budget() instanceof Budget.Rate rate ? bankCap(rate, g) : 0;
    }

    private void allocate(FrameGeometry g) {
        if (g.equals(geometry)) {
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
        geometry = g;
    }

    @Override
    public Optional<RgbFrame> reference() {
        return geometry == null ? Optional.empty()
                : Optional.of(new RgbFrame(geometry.width(), geometry.height(), reference.clone()));
    }

    @Override
    public byte[] snapshot() {
        long body = geometry == null ? 0 : bodyBytes(geometry);
        ByteBuffer out = StateHeader.write(StateHeader.ROLE_ENCODER, codebook.hash(), lastSeq, geometry, body);
        if (geometry != null) {
            grid.write(out);
            out.putLong(framesEncoded).putInt(sinceKeyframe).putDouble(bank);
            for (int e : sentError) {
                out.putInt(e);
            }
            out.put(anchors);
        }
        return out.array();
    }

    @Override
    public void restore(byte[] snapshot) {
        StateHeader header = StateHeader.parse(snapshot, StateHeader.ROLE_ENCODER, codebook.hash(), codebook.patchSize());
        FrameGeometry g = header.geometry();
        if (g == null) {
            lastSeq = header.lastSeq();
            geometry = null;
            grid = null;
            reference = null;
            framesEncoded = 0;
            sinceKeyframe = 0;
            bank = 0;
            return;
        }
        header.expectBody(bodyBytes(g));
        ByteBuffer in = header.body();
        TokenGrid restoredGrid = TokenGrid.read(in, g.patches(), layout);
        long restoredFrames = in.getLong();
        int restoredSince = in.getInt();
        double restoredBank = in.getDouble();
        int[] restoredError = new int[g.patches()];
        for (int i = 0; i < restoredError.length; i++) {
            restoredError[i] = in.getInt();
        }
        byte[] restoredAnchors = new byte[g.patches() * DualAnchorNovelty.DIMS];
        in.get(restoredAnchors);
        byte[] picture = new byte[g.rgbBytes()];
        restoredGrid.paint(picture, g, layout, codebook.dcBits(), stages, kernels);
        allocate(g);
        lastSeq = header.lastSeq();
        grid = restoredGrid;
        reference = picture;
        sentError = restoredError;
        anchors = restoredAnchors;
        framesEncoded = restoredFrames;
        sinceKeyframe = restoredSince;
        bank = restoredBank;
    }

    private long bodyBytes(FrameGeometry g) {
        return TokenGrid.serializedBytes(g.patches(), stages.length) + 8 + 4 + 8
                + (long) g.patches() * (4 + DualAnchorNovelty.DIMS);
    }
}
