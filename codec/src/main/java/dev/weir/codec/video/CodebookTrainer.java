package dev.weir.codec.video;

import dev.weir.codec.internals.KMeans;
import dev.weir.codec.video.internals.TrainingSet;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Trains a {@link VideoCodebook} from frames: k-means (k-means++ seeding, then Lloyd iterations) on
 * the mean-removed patches, one stage after another (each residual stage on what the stages before
 * it left).
 *
 * <p>Training vectors are the kernels' {@code patchify} residuals of every frame on its patch grid
 * and on the grids shifted by half a patch right, down and both, subsampled to
 * {@link Options#maxVectors()} with the seeded generator. Each Lloyd assignment runs the kernels'
 * {@code nearest} against the centroids quantized exactly as they will be stored (int8 with the
 * smallest power-of-two scale that fits), so training optimizes the codebook the tokenizer uses.
 *
 * <p>Reproducible: the same frames, options and seed give byte-identical codebooks (all arithmetic
 * is integer or single-threaded double in a fixed order; the generator is {@link java.util.Random}).
 */
public final class CodebookTrainer {

    private static final Logger log = LoggerFactory.getLogger(CodebookTrainer.class);

    /**
     * @param patch        patch side P: 8, 16 or 32
     * @param size         stage-0 codebook size K (2..65536)
     * @param stages       total stages, 1 = no residual stage
     * @param residualSize codebook size of each residual stage
     * @param dcBits       DC bits per channel the codebook is trained (and used) with
     * @param iterations   Lloyd iterations per stage (stops early when no assignment changes)
     * @param maxVectors   training vectors kept after subsampling
     * @param seed         seed of the k-means++ seeding and the subsampling
     */
    public record Options(int patch, int size, int stages, int residualSize, int dcBits, int iterations,
                          int maxVectors, long seed) {

        public Options {
            if (patch != 8 && patch != 16 && patch != 32) {
                throw new IllegalArgumentException("patch must be 8, 16 or 32: " + patch);
            }
            if (size < 2 || size > VideoCodebook.MAX_SIZE || residualSize < 2 || residualSize > VideoCodebook.MAX_SIZE) {
                throw new IllegalArgumentException("codebook sizes must be 2.." + VideoCodebook.MAX_SIZE);
            }
            if (stages < 1 || stages > VideoCodebook.MAX_STAGES) {
                throw new IllegalArgumentException("stages must be 1.." + VideoCodebook.MAX_STAGES + ": " + stages);
            }
            if (iterations < 0 || maxVectors < 1) {
                throw new IllegalArgumentException("iterations must be ≥ 0 and maxVectors ≥ 1");
            }
            new VideoTokenLayout(dcBits, new int[]{size}); // checks dcBits and the stage-0 token width
        }

        /** The defaults the built-in codebooks were trained with, at patch {@code patch}. */
        public static Options defaults(int patch) {
            return new Options(patch, 1024, 1, 256, 6, 12, 32768, 42L);
        }
    }

    private final Options options;
    private final VideoKernels kernels;

    public CodebookTrainer(Options options, VideoKernels kernels) {
        this.options = Objects.requireNonNull(options, "options");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    /**
     * Trains on {@code frames} (any sizes).
     *
     * @param id the codebook id stored in the artifact
     * @throws IllegalArgumentException when there are no frames
     */
    public VideoCodebook train(String id, List<RgbFrame> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no training frames");
        }
        TrainingSet set = TrainingSet.of(frames, options.patch(), options.dcBits(), options.maxVectors(), options.seed(), kernels);
        log.info("training {} stage(s) at P={} on {} vectors from {} frames", options.stages(), options.patch(),
                set.count(), frames.size());
        int[] sizes = new int[options.stages()];
        Arrays.fill(sizes, options.residualSize());
        sizes[0] = options.size();
        List<ShapeCodebook> stages = KMeans.trainResidual(set.vectors(), set.count(), set.dim(), sizes, options.seed(),
                options.iterations(), kernels);
        for (int t = 0; t < stages.size(); t++) {
            log.info("stage {}: K={} scaleShift={}", t, stages.get(t).size(), stages.get(t).scaleShift());
        }
        return VideoCodebook.of(id, options.patch(), options.dcBits(), stages);
    }
}
