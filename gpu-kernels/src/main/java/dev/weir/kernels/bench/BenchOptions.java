package dev.weir.kernels.bench;

import dev.weir.kernels.PatchGrid;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the frame-step benchmark measures ({@code weir bench kernels}, the video codec's
 * {@code VideoStepBenchmark}): the product's patch step on a synthetic clip, per frame size.
 *
 * @param backend      backend under test ({@code jvm}, {@code opencl}, {@code auto}, {@code jvm-scalar})
 * @param sizes        frame sizes, each {@code WIDTHxHEIGHT}
 * @param patch        patch side (8, 16; 32 needs a codebook of that size)
 * @param frames       frames timed per case and placement, one after the other (a stream)
 * @param warmupFrames frames run first on each encoder, not timed (JIT, device caches, kernel tuning)
 * @param composed     also time the same step composed from the host on the same backend (when it is fused)
 * @param reference    a second backend run on the same frames in the same run, whose packets the tested ones
 *                     must equal and whose speed is the CPU baseline (for example {@code jvm}); empty for none
 * @param measurePeak  whether to measure the CPU FP32 peak (a few seconds)
 */
public record BenchOptions(String backend, List<String> sizes, int patch, int frames, int warmupFrames,
                           boolean composed, String reference, boolean measurePeak) {

    public BenchOptions {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(reference, "reference");
        sizes = List.copyOf(sizes);
        if (frames < 1 || warmupFrames < 0) {
            throw new IllegalArgumentException("frames ≥ 1 and warmupFrames ≥ 0 required");
        }
    }

    /** The standard run: 384×288, 768×576, 1920×1088, patch 16, 32 frames after 8, composed too, jvm beside. */
    public static BenchOptions defaults(String backend) {
        return new BenchOptions(backend, List.of("384x288", "768x576", "1920x1088"), 16, 32, 8, true, "jvm", false);
    }

    /** {@code WIDTHxHEIGHT} at patch side {@code patch}. */
    public static PatchGrid parseSize(String size, int patch) {
        String[] parts = size.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("frame size must be WIDTHxHEIGHT: " + size);
        }
        return new PatchGrid(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()), patch);
    }
}
