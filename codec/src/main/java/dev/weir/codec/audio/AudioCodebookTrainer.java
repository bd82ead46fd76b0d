package dev.weir.codec.audio;

import dev.weir.codec.audio.internals.FrameCoder;
import dev.weir.codec.audio.internals.Mdct;
import dev.weir.codec.audio.internals.Resampler;
import dev.weir.codec.internals.KMeans;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VectorKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Trains an {@link AudioCodebook} on speech: k-means (the video trainer's {@link KMeans}: k-means++ seeding,
 * Lloyd iterations whose assignment is the kernels' exact-integer {@code nearest} against the int8 centroids)
 * for each envelope stage, then for each shape stage and region, every residual stage on what the stages
 * before it left.
 *
 * <p>Training frames: every clip is downmixed, resampled to the tokenizer rate and cut into MDCT frames on the
 * hop grid and on the grids shifted by a quarter, half and three quarters of a hop (four times the frames of
 * the clip); frames more than {@value #ACTIVE_RANGE_DB} dB below the clip's loudest are left out (silence), and
 * the rest subsampled to {@link Options#maxVectors()} with the seeded generator. Shape vectors are normalized
 * by the envelope decoded with the trained envelope codebooks, exactly as the encoder does.
 *
 * <p>Reproducible: the same clips, options and seed give byte-identical codebooks.
 */
public final class AudioCodebookTrainer {

    /**
     * Speed perturbation of the training clips (Ko et al., "Audio Augmentation for Speech Recognition",
     * Interspeech 2015): each clip is also played 6% and 12% slower and faster, which moves pitch and formants.
     */
    static final int[] SPEED_PERCENT = {100, 88, 94, 106, 112};
    /** Frames this far below the clip's loudest frame are not trained on. */
    public static final double ACTIVE_RANGE_DB = 45;
    private static final Logger log = LoggerFactory.getLogger(AudioCodebookTrainer.class);
    private static final int[] BAND_EDGES_HZ = {0, 100, 200, 300, 400, 500, 600, 750, 900, 1050, 1250, 1500, 1750,
            2000, 2300, 2650, 3000, 3500, 4000, 4800, 5800, 7000, 8000, 9500, 12000};
    private static final int[] REGION_EDGES_HZ = {0, 600, 1250, 2300, 4000};

    /**
     * @param sampleRate    tokenizer rate: 16000 or 24000
     * @param envelopeSizes codebook size of each envelope stage
     * @param shapeSizes    codebook size of each shape stage (every region alike)
     * @param iterations    Lloyd iterations per codebook
     * @param maxVectors    training frames kept after subsampling
     * @param seed          seed of the subsampling and the k-means++ seeding
     */
    public record Options(int sampleRate, int[] envelopeSizes, int[] shapeSizes, int iterations, int maxVectors,
                          long seed) {

        public Options {
            if (sampleRate != 16000 && sampleRate != 24000) {
                throw new IllegalArgumentException("sample rate must be 16000 or 24000: " + sampleRate);
            }
            envelopeSizes = envelopeSizes.clone();
            shapeSizes = shapeSizes.clone();
            if (envelopeSizes.length < 1 || envelopeSizes.length > 8 || shapeSizes.length > 8) {
                throw new IllegalArgumentException("1..8 envelope stages and 0..8 shape stages");
            }
            for (int k : concat(envelopeSizes, shapeSizes)) {
                if (k < 2 || k > AudioCodebook.MAX_SIZE) {
                    throw new IllegalArgumentException("codebook sizes must be 2.." + AudioCodebook.MAX_SIZE + ": " + k);
                }
            }
            if (iterations < 0 || maxVectors < 1) {
                throw new IllegalArgumentException("iterations must be ≥ 0 and maxVectors ≥ 1");
            }
        }

        /** The settings of the built-in codebook. */
        public static Options defaults() {
            return new Options(16000, new int[]{1024, 256}, new int[]{128, 128, 128}, 12, 40000, 42L);
        }

        public Options withSampleRate(int rate) {
            return new Options(rate, envelopeSizes, shapeSizes, iterations, maxVectors, seed);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Options p && sampleRate == p.sampleRate && Arrays.equals(envelopeSizes, p.envelopeSizes)
                    && Arrays.equals(shapeSizes, p.shapeSizes) && iterations == p.iterations
                    && maxVectors == p.maxVectors && seed == p.seed;
        }

        @Override
        public int hashCode() {
            return Objects.hash(sampleRate, Arrays.hashCode(envelopeSizes), Arrays.hashCode(shapeSizes), iterations,
                    maxVectors, seed);
        }

        @Override
        public String toString() {
            return "Options[" + sampleRate + " Hz, envelope " + Arrays.toString(envelopeSizes) + ", shape "
                    + Arrays.toString(shapeSizes) + ", " + iterations + " iterations, " + maxVectors + " vectors, seed "
                    + seed + "]";
        }

        /** A default id naming the options. */
        public String defaultId() {
            return "mdct" + sampleRate / 1000 + "k-e" + join(envelopeSizes) + "-s" + join(shapeSizes) + "-seed" + seed;
        }

        private static String join(int[] v) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                s.append(i == 0 ? "" : "x").append(v[i]);
            }
            return s.toString();
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private final Options options;
    private final VectorKernels kernels;

    public AudioCodebookTrainer(Options options, VectorKernels kernels) {
        this.options = Objects.requireNonNull(options, "options");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    /** Trains on WAV files (what {@code weir train-codebook --audio FILES...} runs). */
    public AudioCodebook trainOnFiles(String id, List<Path> wavFiles) throws IOException {
        List<PcmChunk> clips = new ArrayList<>();
        for (Path file : wavFiles) {
            clips.add(WavReader.read(file));
        }
        return train(id, clips);
    }

    /**
     * Trains on whole clips (any rate and channels).
     *
     * @throws IllegalArgumentException when the clips hold no active frame
     */
    public AudioCodebook train(String id, List<PcmChunk> clips) {
        int rate = options.sampleRate();
        int hop = rate / 50;
        int[] bandEdges = edges(BAND_EDGES_HZ, rate);
        int[] regionEdges = edges(REGION_EDGES_HZ, rate);
        List<double[]> frames = frames(clips, rate, hop, bandEdges);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no active frames in the training clips");
        }
        frames = subsample(frames);
        int count = frames.size();
        double[][] coefficients = frames.toArray(new double[0][]);
        log.info("training audio codebook {} on {} frames", options, count);

        // Envelope stages: gain-relative band energies in 1/16 dB.
        AudioCodebook gainOnly = AudioCodebook.of(id, rate, hop, GAIN_LEVELS, GAIN_MIN_CENTI_DB, GAIN_STEP_CENTI_DB,
                bandEdges, regionEdges, List.of(new ShapeCodebook(2, bandEdges.length - 1, 0,
                        new byte[2 * (bandEdges.length - 1)])), List.of());
        FrameCoder probe = new FrameCoder(gainOnly, kernels);
        int bands = bandEdges.length - 1;
        short[] env = new short[count * bands];
        for (int f = 0; f < count; f++) {
            double[] e = probe.bandDb(coefficients[f]);
            double g = probe.gainValue(probe.gainToken(FrameCoder.gainDb(e)));
            for (int b = 0; b < bands; b++) {
                env[f * bands + b] = (short) Math.clamp(Math.round((e[b] - g) * AudioCodebook.ENVELOPE_UNITS_PER_DB),
                        -2047, 2047);
            }
        }
        List<ShapeCodebook> envelope = residualStages(env, count, bands, options.envelopeSizes(), 0);

        // Shape stages per region, normalized by the decoded envelope.
        AudioCodebook withEnvelope = AudioCodebook.of(id, rate, hop, GAIN_LEVELS, GAIN_MIN_CENTI_DB, GAIN_STEP_CENTI_DB,
                bandEdges, regionEdges, envelope, List.of());
        FrameCoder coder = new FrameCoder(withEnvelope, kernels);
        int slots = withEnvelope.slotsPerFrame();
        int[] tokens = new int[count * slots];
        double[] decodedDb = new double[count * bands];
        coder.analyzeEnvelope(coefficients, count, tokens, decodedDb, new double[count * bands]);
        int regions = regionEdges.length - 1;
        List<List<ShapeCodebook>> perRegion = new ArrayList<>();
        for (int r = 0; r < regions; r++) {
            int d = regionEdges[r + 1] - regionEdges[r];
            short[] v = new short[count * d];
            for (int f = 0; f < count; f++) {
                System.arraycopy(coder.shapeVector(coefficients[f], decodedDb, f * bands, r), 0, v, f * d, d);
            }
            perRegion.add(residualStages(v, count, d, options.shapeSizes(), 100 * (r + 1)));
        }
        List<List<ShapeCodebook>> shape = new ArrayList<>();
        for (int t = 0; t < options.shapeSizes().length; t++) {
            List<ShapeCodebook> stage = new ArrayList<>();
            for (int r = 0; r < regions; r++) {
                stage.add(perRegion.get(r).get(t));
            }
            shape.add(stage);
        }
        return AudioCodebook.of(id, rate, hop, GAIN_LEVELS, GAIN_MIN_CENTI_DB, GAIN_STEP_CENTI_DB, bandEdges,
                regionEdges, envelope, shape);
    }

    /** Gain quantizer of every trained codebook: 64 levels of 1.5 dB from 0 dB (PCM16 units). */
    static final int GAIN_LEVELS = 64;
    static final int GAIN_MIN_CENTI_DB = 0;
    static final int GAIN_STEP_CENTI_DB = 150;

    private List<ShapeCodebook> residualStages(short[] vectors, int count, int d, int[] sizes, int seedOffset) {
        return KMeans.trainResidual(vectors, count, d, sizes, options.seed() + seedOffset, options.iterations(), kernels);
    }

    private List<double[]> frames(List<PcmChunk> clips, int rate, int hop, int[] bandEdges) {
        Mdct mdct = new Mdct(hop);
        List<double[]> out = new ArrayList<>();
        for (PcmChunk clip : clips) {
            for (int speed : SPEED_PERCENT) {
                out.addAll(clipFrames(clip, (int) ((long) clip.sampleRate() * speed / 100), rate, hop, bandEdges, mdct));
            }
        }
        return out;
    }

    /** The active frames of {@code clip} played at {@code playRate} (a speed change) and resampled to {@code rate}. */
    private static List<double[]> clipFrames(PcmChunk clip, int playRate, int rate, int hop, int[] bandEdges, Mdct mdct) {
        Resampler resampler = new Resampler(playRate, rate);
        float[] a = resampler.process(clip.mono());
        float[] b = resampler.flush();
        float[] x = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, x, a.length, b.length);
        List<double[]> frames = new ArrayList<>();
        List<Double> gains = new ArrayList<>();
        for (int offset = 0; offset < hop; offset += hop / 4) {
            for (int start = offset; start + 2 * hop <= x.length; start += hop) {
                double[] c = new double[hop];
                mdct.forward(x, start, c);
                frames.add(c);
                gains.add(gain(c, bandEdges));
            }
        }
        double max = gains.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            if (gains.get(i) >= max - ACTIVE_RANGE_DB) {
                out.add(frames.get(i));
            }
        }
        return out;
    }

    private static double gain(double[] c, int[] bandEdges) {
        double sum = 0;
        for (int b = 0; b + 1 < bandEdges.length; b++) {
            double e = 0;
            for (int k = bandEdges[b]; k < bandEdges[b + 1]; k++) {
                e += c[k] * c[k];
            }
            sum += 10 * Math.log10(e / (bandEdges[b + 1] - bandEdges[b]) + 1);
        }
        return sum / (bandEdges.length - 1);
    }

    private List<double[]> subsample(List<double[]> frames) {
        if (frames.size() <= options.maxVectors()) {
            return frames;
        }
        Integer[] order = new Integer[frames.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Collections.shuffle(Arrays.asList(order), new Random(options.seed()));
        int[] kept = new int[options.maxVectors()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = order[i];
        }
        Arrays.sort(kept);
        List<double[]> out = new ArrayList<>();
        for (int i : kept) {
            out.add(frames.get(i));
        }
        return out;
    }

    /** Band edges in Hz → MDCT bins at {@code rate} (bin width rate/(2·hop) = 25 Hz), up to Nyquist. */
    static int[] edges(int[] hz, int rate) {
        int hop = rate / 50;
        double binHz = rate / 2.0 / hop;
        List<Integer> bins = new ArrayList<>();
        for (int f : hz) {
            if (f <= rate / 2) {
                bins.add((int) Math.round(f / binHz));
            }
        }
        return bins.stream().mapToInt(Integer::intValue).toArray();
    }
}
