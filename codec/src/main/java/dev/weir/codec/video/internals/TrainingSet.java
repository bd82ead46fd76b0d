package dev.weir.codec.video.internals;

import dev.weir.codec.video.RgbFrame;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.VideoKernels;

import java.util.List;
import java.util.Random;

/** Mean-removed patch vectors for codebook training, on four grid phases, seeded subsample. */
public record TrainingSet(short[] vectors, int count, int dim) {

    public static TrainingSet of(List<RgbFrame> frames, int patch, int dcBits, int maxVectors, long seed, VideoKernels kernels) {
        int dim = patch * patch * 3;
        int half = patch / 2;
        int[][] phases = {{0, 0}, {half, 0}, {0, half}, {half, half}};
        long total = 0;
        for (RgbFrame f : frames) {
            for (int[] ph : phases) {
                if (f.width() > ph[0] && f.height() > ph[1]) {
                    total += new PatchGrid(f.width() - ph[0], f.height() - ph[1], patch).patches();
                }
            }
        }
        if (total * dim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("training set of " + total + " patches is too large; use fewer frames");
        }
        short[] all = new short[(int) (total * dim)];
        int offset = 0;
        for (RgbFrame f : frames) {
            for (int[] ph : phases) {
                if (f.width() <= ph[0] || f.height() <= ph[1]) {
                    continue;
                }
                RgbFrame crop = ph[0] == 0 && ph[1] == 0 ? f : crop(f, ph[0], ph[1]);
                PatchGrid g = crop.geometry(patch);
                short[] residuals = new short[g.patches() * dim];
                kernels.patchify(crop.rgb(), g, dcBits, new int[3 * g.patches()], residuals);
                System.arraycopy(residuals, 0, all, offset, residuals.length);
                offset += residuals.length;
            }
        }
        int count = (int) total;
        if (count <= maxVectors) {
            return new TrainingSet(all, count, dim);
        }
        // Partial Fisher–Yates: the first maxVectors slots become a uniform sample without replacement.
        Random random = new Random(seed);
        short[] tmp = new short[dim];
        for (int i = 0; i < maxVectors; i++) {
            int j = i + random.nextInt(count - i);
            System.arraycopy(all, i * dim, tmp, 0, dim);
            System.arraycopy(all, j * dim, all, i * dim, dim);
            System.arraycopy(tmp, 0, all, j * dim, dim);
        }
        return new TrainingSet(java.util.Arrays.copyOf(all, maxVectors * dim), maxVectors, dim);
    }

    private static RgbFrame crop(RgbFrame f, int x0, int y0) {
        int w = f.width() - x0;
        int h = f.height() - y0;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(f.rgb(), ((y + y0) * f.width() + x0) * 3, rgb, y * w * 3, w * 3);
        }
        return new RgbFrame(w, h, rgb);
    }
}
