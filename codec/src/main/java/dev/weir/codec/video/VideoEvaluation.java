package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.Encoded;
import dev.weir.codec.Progress;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.compress.Budget;
import dev.weir.codec.compress.Cacher;
import dev.weir.codec.compress.Pruner;
import dev.weir.codec.video.internals.JpegAnchor;
import dev.weir.codec.video.internals.PatchVideoEncoder;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.VideoKernels;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Offline evaluation of the video codec on a clip, with the same {@link VideoEncoder} and
 * {@link VideoDecoder} the topology runs, and no Kafka: every frame is encoded, the packet decoded,
 * and the decoded frame compared with the original. In the same run, on the same frames:
 * <ul>
 *   <li>the tokenizer without compression ({@code psnrFullDb}, {@code fpsFull});</li>
 *   <li>{@code uniformSkip}: every s-th frame sent whole, the decoder holding it in between, with s the
 *       skip whose token ratio is nearest ours;</li>
 *   <li>{@code noCache}: no cacher, every patch tokenized every frame, then the same novelty pruner with
 *       exactly our per-frame position counts;</li>
 *   <li>{@code randomPrune}: no cacher, random positions (fixed seed) with exactly our per-frame counts;</li>
 *   <li>the JDK's JPEG encoder at the quality whose bits per pixel is nearest ours, as a classical anchor.</li>
 * </ul>
 *
 * <p>Bits per pixel counts the emitted token ids at their packed width
 * ({@link VideoTokenLayout#tokenBits(int)}) plus, for each non-keyframe, a bitmap of n bits naming the
 * emitted positions, divided by width · height · frames. Packet framing is not counted.
 */
public final class VideoEvaluation {

    /** PSNR reported for a frame decoded exactly. */
    public static final double PSNR_CAP_DB = Psnr.CAP_DB;
    /** Seed of the {@code randomPrune} baseline. */
    public static final long RANDOM_PRUNE_SEED = 42;
    private static final int WARM_UP_FRAMES = 4;

    private VideoEvaluation() {
    }

    /** {@link #run(FrameSource, VideoCodebook, VideoKernels, int, CompressionConfig)} with the default compression. */
    public static VideoEvalReport run(FrameSource source, VideoCodebook codebook, VideoKernels kernels, int maxFrames)
            throws IOException {
        return run(source, codebook, kernels, maxFrames, CompressionConfig.defaults());
    }

    /**
     * Evaluates up to {@code maxFrames} frames of {@code source} (all when {@code maxFrames ≤ 0}) compressed
     * with {@code compression}, and the baselines above.
     *
     * @throws MediaFormatException when the source has no frames or its frame size changes
     */
    public static VideoEvalReport run(FrameSource source, VideoCodebook codebook, VideoKernels kernels, int maxFrames,
                                      CompressionConfig compression) throws IOException {
        return run(source, codebook, kernels, maxFrames, compression, Progress.NONE);
    }

    /**
     * As {@link #run(FrameSource, VideoCodebook, VideoKernels, int, CompressionConfig)}, telling {@code progress}
     * about the frames read ({@code reading}) and the frames encoded by every pass ({@code encoding}).
     */
    public static VideoEvalReport run(FrameSource source, VideoCodebook codebook, VideoKernels kernels, int maxFrames,
                                      CompressionConfig compression, Progress progress) throws IOException {
        List<RgbFrame> originals = new ArrayList<>();
        PatchGrid geometry = null;
        Optional<RgbFrame> next;
        while ((maxFrames <= 0 || originals.size() < maxFrames) && (next = source.next()).isPresent()) {
            progress.update("reading", originals.size() + 1, maxFrames);
            RgbFrame frame = next.get();
            PatchGrid g = frame.geometry(codebook.patchSize());
            if (geometry != null && !geometry.equals(g)) {
                throw new MediaFormatException("frame " + originals.size() + " is " + frame.width() + "x" + frame.height()
                        + ", the clip started at " + geometry.width() + "x" + geometry.height()
                        + "; an evaluation needs one frame size");
            }
            geometry = g;
            originals.add(frame);
        }
        if (geometry == null) {
            throw new MediaFormatException("the input has no frames");
        }
        VideoTokenLayout layout = codebook.layout();
        int frames = originals.size();
        int n = geometry.patches();
        int stages = layout.stages();
        long tokensFull = (long) frames * n * stages;

        // Warm the JIT on a few frames of each path first, so the first pass timed is not the slowest.
        List<RgbFrame> warmUp = originals.subList(0, Math.min(WARM_UP_FRAMES, frames));
        encodeAll(VideoEncoder.create(codebook, kernels, CompressionConfig.none()), codebook, kernels, warmUp, Ticker.NONE);
        encodeAll(VideoEncoder.create(codebook, kernels, compression), codebook, kernels, warmUp, Ticker.NONE);

        Ticker ticker = new Ticker(progress, "encoding", (long) PASSES * frames);
        Pass ours = encodeAll(VideoEncoder.create(codebook, kernels, compression), codebook, kernels, originals, ticker);
        Pass full = encodeAll(VideoEncoder.create(codebook, kernels, CompressionConfig.none()), codebook, kernels, originals, ticker);
        // the pruner-only baselines: no cacher, one keyframe, then exactly our per-frame position counts
        CompressionConfig prunerOnly = compression.withCache(new Cacher.Off()).withKeyframeInterval(0)
                .withSceneChangeShare(2.0).withBudget(new Budget.Unlimited());
        Pass noCache = encodeAll(new PatchVideoEncoder(codebook, kernels, prunerOnly,
                scheduled(ours.positionsPerFrame, Pruner.MOST_NOVEL)), codebook, kernels, originals, ticker);
        Pass random = encodeAll(new PatchVideoEncoder(codebook, kernels, prunerOnly,
                scheduled(ours.positionsPerFrame, randomPruner(RANDOM_PRUNE_SEED))), codebook, kernels, originals, ticker);
        double tokenRatio = (double) ours.tokens / tokensFull;
        int skip = nearestSkip(frames, tokenRatio);
        Pass uniform = uniformSkip(codebook, kernels, originals, skip, ticker);

        Map<String, VideoEvalReport.Baseline> baselines = new LinkedHashMap<>();
        baselines.put("uniformSkip", uniform.baseline(tokensFull, frames,
                "1 frame in " + skip + " sent whole, held in between"));
        baselines.put("randomPrune", random.baseline(tokensFull, frames,
                "no cacher, random positions (seed " + RANDOM_PRUNE_SEED + "), our per-frame counts"));
        baselines.put("noCache", noCache.baseline(tokensFull, frames,
                "no cacher: every patch tokenized, novelty pruner at our per-frame counts"));

        double pixels = (double) geometry.width() * geometry.height() * frames;
        double bitsPerPixel = (ours.positions * (double) layout.bitsPerPatch()
                + (double) (frames - ours.keyframes) * n) / pixels;
        JpegAnchor.Point jpeg = new JpegAnchor(originals).nearest(bitsPerPixel);
        return new VideoEvalReport(frames, geometry.width(), geometry.height(), geometry.patch(), n,
                stages, tokensFull, ours.tokens, tokenRatio, ours.psnrSum / frames, full.psnrSum / frames,
                (double) ours.reused / ((long) frames * n),
                ours.changedNonKey == 0 ? 0 : (double) ours.pruned / ours.changedNonKey,
                ours.keyframes, layout.bitsPerPatch(), bitsPerPixel,
                jpeg.quality(), jpeg.bitsPerPixel(), jpeg.psnrDb(),
                frames / (ours.nanos / 1e9), frames / (full.nanos / 1e9), describe(compression), baselines,
                kernels.backend(), codebook.id(), codebook.hash());
    }

    /** Totals of one pass over the clip. */
    private static final class Pass {
        long tokens;
        long positions;
        long reused;
        long pruned;
        long changedNonKey;
        int keyframes;
        long nanos;
        double psnrSum;
        int[] positionsPerFrame;

        VideoEvalReport.Baseline baseline(long tokensFull, int frames, String method) {
            return new VideoEvalReport.Baseline((double) tokens / tokensFull, psnrSum / frames,
                    frames / (nanos / 1e9), method);
        }
    }

    /** A pruner that lets frame f (seq f) keep {@code schedule[f]} positions, chosen by {@code pruner}. */
    private static Pruner scheduled(int[] schedule, Pruner pruner) {
        return (candidates, novelty, allowed, seq) -> pruner.keep(candidates, novelty, schedule[(int) seq], seq);
    }

    /** A pruner that keeps uniformly random positions, seeded per frame: the {@code randomPrune} baseline. */
    private static Pruner randomPruner(long seed) {
        return (candidates, novelty, allowed, seq) -> {
            if (candidates.length <= allowed) {
                return candidates;
            }
            int[] pool = candidates.clone();
            SplittableRandom random = new SplittableRandom(seed ^ (seq * 0x9E3779B97F4A7C15L));
            for (int r = 0; r < allowed; r++) {
                int j = r + random.nextInt(pool.length - r);
                int swap = pool[r];
                pool[r] = pool[j];
                pool[j] = swap;
            }
            int[] kept = java.util.Arrays.copyOf(pool, allowed);
            java.util.Arrays.sort(kept);
            return kept;
        };
    }

    /** The passes over the whole clip that {@link #run} makes: ours, full, noCache, randomPrune, uniformSkip. */
    private static final int PASSES = 5;

    /** Counts the frames the passes encoded, for {@link Progress}. */
    private static final class Ticker {
        static final Ticker NONE = new Ticker(Progress.NONE, "", 0);
        private final Progress progress;
        private final String phase;
        private final long total;
        private long done;

        Ticker(Progress progress, String phase, long total) {
            this.progress = progress;
            this.phase = phase;
            this.total = total;
        }

        void tick() {
            progress.update(phase, ++done, total);
        }
    }

    /** Encodes and decodes every frame (seq = the frame's index). */
    private static Pass encodeAll(VideoEncoder encoder, VideoCodebook codebook, VideoKernels kernels, List<RgbFrame> originals,
                                  Ticker ticker) {
        VideoDecoder decoder = VideoDecoder.create(codebook, kernels);
        Pass pass = new Pass();
        pass.positionsPerFrame = new int[originals.size()];
        for (int f = 0; f < originals.size(); f++) {
            RgbFrame frame = originals.get(f);
            long start = System.nanoTime();
            Encoded<FrameGeometry> encoded = encoder.encode(f, frame);
            TokenPacket packet = encoded.packet();
            RgbFrame decoded = decoder.decode(encoded.layout(), packet);
            pass.nanos += System.nanoTime() - start;
            pass.tokens += packet.tokens().length;
            pass.positions += packet.positionCount();
            pass.positionsPerFrame[f] = packet.positionCount();
            pass.reused += packet.reusedPositions().length;
            if (packet.keyframe()) {
                pass.keyframes++;
            } else {
                pass.pruned += packet.prunedCount();
                pass.changedNonKey += packet.positionsChanged();
            }
            pass.psnrSum += psnr(kernels, frame, decoded);
            ticker.tick();
        }
        return pass;
    }

    /** Every {@code skip}-th frame (from the first) tokenized whole; the decoder shows it until the next. */
    private static Pass uniformSkip(VideoCodebook codebook, VideoKernels kernels, List<RgbFrame> originals, int skip, Ticker ticker) {
        VideoEncoder encoder = VideoEncoder.create(codebook, kernels, CompressionConfig.none());
        VideoDecoder decoder = VideoDecoder.create(codebook, kernels);
        Pass pass = new Pass();
        RgbFrame held = null;
        for (int f = 0; f < originals.size(); f++) {
            RgbFrame frame = originals.get(f);
            if (f % skip == 0) {
                long start = System.nanoTime();
                Encoded<FrameGeometry> encoded = encoder.encode(f, frame);
                TokenPacket packet = encoded.packet();
                held = decoder.decode(encoded.layout(), packet);
                pass.nanos += System.nanoTime() - start;
                pass.tokens += packet.tokens().length;
                pass.keyframes++;
            }
            pass.psnrSum += psnr(kernels, frame, held);
            ticker.tick();
        }
        return pass;
    }

    /** The skip s in 1..frames whose token ratio ⌈frames/s⌉/frames is nearest {@code ratio} (smaller s on ties). */
    static int nearestSkip(int frames, double ratio) {
        int best = 1;
        double bestGap = Double.MAX_VALUE;
        for (int s = 1; s <= frames; s++) {
            double gap = Math.abs((double) ((frames + s - 1) / s) / frames - ratio);
            if (gap < bestGap) {
                best = s;
                bestGap = gap;
            }
        }
        return best;
    }

    private static double psnr(VideoKernels kernels, RgbFrame original, RgbFrame decoded) {
        int length = original.rgb().length;
        return Psnr.fromSquaredError(kernels.squaredError(original.rgb(), decoded.rgb(), length), length);
    }

    /** The settings as one line, for the report. */
    static String describe(CompressionConfig c) {
        String cache = switch (c.cache()) {
            case Cacher.Threshold t -> "threshold " + t.mse();
            case Cacher.UpdateRatio r -> "update-ratio " + r.ratio();
            case Cacher.Off o -> "off";
        };
        String budget = switch (c.budget()) {
            case Budget.Unlimited u -> "unlimited";
            case Budget.PerUnit p -> p.tokens() + " tokens/frame";
            case Budget.Ratio r -> "ratio " + r.ratio();
            case Budget.Rate r -> r.tokensPerSecond() + " tokens/s at " + r.unitsPerSecond() + " fps, bank "
                    + r.bankSeconds() + " s";
        };
        return "cache " + cache + ", keyframe every " + c.keyframeInterval() + ", scene change " + c.sceneChangeShare()
                + ", budget " + budget + ", alpha " + c.alpha();
    }
}
