package dev.weir.codec.internals;

import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VectorKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * k-means for shape codebooks: k-means++ seeding (Arthur &amp; Vassilvitskii, "k-means++: The
 * Advantages of Careful Seeding", SODA 2007: each next centre drawn with probability proportional to
 * D(x)², the squared distance to the nearest centre chosen so far), then Lloyd iterations whose
 * assignment step is the kernels' exact-integer {@code nearest} against the int8-quantized centroids
 * and whose update step is the exact mean of each cluster. An empty cluster takes the vector worst
 * served by its centroid. Deterministic for a given seed.
 */
public final class KMeans {

    private static final Logger log = LoggerFactory.getLogger(KMeans.class);

    private KMeans() {
    }

    /**
     * Residual vector quantization: stage {@code t} is k-means of {@code sizes[t]} centres (seed {@code seed + t}) on
     * what the stages before it left of {@code x}, which this subtracts in place.
     */
    public static List<ShapeCodebook> trainResidual(short[] x, int n, int d, int[] sizes, long seed, int iterations,
                                                    VectorKernels kernels) {
        List<ShapeCodebook> stages = new ArrayList<>();
        int[] assignment = new int[n];
        for (int t = 0; t < sizes.length; t++) {
            ShapeCodebook cb = train(x, n, d, sizes[t], seed + t, iterations, kernels);
            stages.add(cb);
            if (t + 1 < sizes.length) {
                kernels.nearest(x, null, n, cb, assignment);
                kernels.subtract(x, null, n, cb, assignment);
            }
        }
        return stages;
    }

    public static ShapeCodebook train(short[] x, int n, int d, int k, long seed, int iterations, VectorKernels kernels) {
        double[] centroids = seed(x, n, d, k, new Random(seed));
        ShapeCodebook cb = quantize(centroids, k, d);
        log.info("k-means++ seeded {} centres from {} vectors of {}", k, n, d);
        int[] assignment = new int[n];
        int[] previous = null;
        for (int it = 0; it < iterations; it++) {
            kernels.nearest(x, null, n, cb, assignment);
            int changed = previous == null ? n : mismatches(previous, assignment);
            log.info("Lloyd iteration {}: {} of {} assignments changed, distortion {}", it + 1, changed, n,
                    total(errors(x, n, d, assignment, cb)));
            if (changed == 0) {
                break;
            }
            previous = assignment.clone();
            update(x, n, d, k, assignment, cb, centroids);
            cb = quantize(centroids, k, d);
        }
        return cb;
    }

    private static int mismatches(int[] a, int[] b) {
        int m = 0;
        for (int i = 0; i < a.length; i++) {
            m += a[i] != b[i] ? 1 : 0;
        }
        return m;
    }

    private static long total(long[] values) {
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum;
    }

    /** k-means++ seeding over exact integer squared distances. */
    static double[] seed(short[] x, int n, int d, int k, Random random) {
        double[] centroids = new double[k * d];
        long[] d2 = new long[n];
        java.util.Arrays.fill(d2, Long.MAX_VALUE);
        int chosen = random.nextInt(n);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                centroids[c * d + i] = x[chosen * d + i];
            }
            long total = 0;
            int base = chosen * d;
            for (int v = 0; v < n; v++) {
                long dist = 0;
                int vb = v * d;
                for (int i = 0; i < d; i++) {
                    int diff = x[vb + i] - x[base + i];
                    dist += diff * diff;
                }
                if (dist < d2[v]) {
                    d2[v] = dist;
                }
                total += d2[v];
            }
            if (c + 1 == k) {
                break;
            }
            if (total == 0) {
                chosen = (chosen + 1) % n; // fewer distinct vectors than k: duplicates are harmless
                continue;
            }
            long r = random.nextLong(total);
            long cumulative = 0;
            int next = n - 1;
            for (int v = 0; v < n; v++) {
                cumulative += d2[v];
                if (cumulative > r) {
                    next = v;
                    break;
                }
            }
            chosen = next;
        }
        return centroids;
    }

    private static void update(short[] x, int n, int d, int k, int[] assignment, ShapeCodebook cb, double[] centroids) {
        long[] sums = new long[k * d];
        int[] counts = new int[k];
        for (int v = 0; v < n; v++) {
            int c = assignment[v];
            counts[c]++;
            int vb = v * d;
            int cbase = c * d;
            for (int i = 0; i < d; i++) {
                sums[cbase + i] += x[vb + i];
            }
        }
        long[] error = null;
        boolean[] taken = null;
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                for (int i = 0; i < d; i++) {
                    centroids[c * d + i] = (double) sums[c * d + i] / counts[c];
                }
                continue;
            }
            if (error == null) {
                error = errors(x, n, d, assignment, cb);
                taken = new boolean[n];
            }
            int worst = -1;
            for (int v = 0; v < n; v++) {
                if (!taken[v] && (worst < 0 || error[v] > error[worst])) {
                    worst = v;
                }
            }
            taken[worst] = true;
            for (int i = 0; i < d; i++) {
                centroids[c * d + i] = x[worst * d + i];
            }
        }
    }

    /** ‖x_v − 2^s·q_assignment(v)‖², exact. */
    private static long[] errors(short[] x, int n, int d, int[] assignment, ShapeCodebook cb) {
        long[] error = new long[n];
        byte[] q = cb.entries();
        int s = cb.scaleShift();
        for (int v = 0; v < n; v++) {
            long e = 0;
            int qb = assignment[v] * d;
            for (int i = 0; i < d; i++) {
                int diff = x[v * d + i] - (q[qb + i] << s);
                e += diff * diff;
            }
            error[v] = e;
        }
        return error;
    }

    /** int8 entries q = clamp(round(c / 2^s), −127, 127) with the smallest s in 0..4 where max|c| / 2^s ≤ 127. */
    public static ShapeCodebook quantize(double[] centroids, int k, int d) {
        double max = 0;
        for (double c : centroids) {
            max = Math.max(max, Math.abs(c));
        }
        int s = 0;
        while (s < ShapeCodebook.MAX_SCALE_SHIFT && Math.round(max / (1 << s)) > 127) {
            s++;
        }
        byte[] entries = new byte[k * d];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = (byte) Math.clamp(Math.round(centroids[i] / (1 << s)), -127, 127);
        }
        return new ShapeCodebook(k, d, s, entries);
    }
}
