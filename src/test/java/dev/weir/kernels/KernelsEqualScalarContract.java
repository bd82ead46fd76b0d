package dev.weir.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The contract every backend meets: each kernel gives exactly the {@code jvm-scalar} reference's results,
 * on real frames and random data. Backends' tests extend it and say how to open the backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KernelsEqualScalarContract {

    private static final String TREE = "samples/video/tree/frame-0001.jpg";
    private static final String TREE_NEXT = "samples/video/tree/frame-0002.jpg";
    private static final String COFFEE = "samples/video/coffee-sprite/scene-0001.jpg";

    private VideoKernels scalar;
    /** The backend under test. */
    protected VideoKernels jvm;

    /** Opens the backend under test. */
    protected abstract VideoKernels openBackend();

    @BeforeAll
    void open() {
        scalar = Kernels.video("jvm-scalar");
        jvm = openBackend();
    }

    @AfterAll
    void close() {
        jvm.close();
        scalar.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void patchifyOfRealFramesEqualsScalar(int patch) {
        for (String sample : new String[] {TREE, COFFEE}) {
            // given a real frame (240 rows: edge patches at P = 32)
            PatchGrid g = TestFrames.geometryOf(sample, patch);
            byte[] rgb = TestFrames.rgb(sample);
            for (int dcBits : new int[] {1, 5, 8}) {
                // when both backends patchify it
                Patches expected = patchify(scalar, rgb, g, dcBits);
                Patches actual = patchify(jvm, rgb, g, dcBits);
                // then codes and residuals are identical
                assertArrayEquals(expected.codes, actual.codes, sample + " P=" + patch + " dcBits=" + dcBits);
                assertArrayEquals(expected.residuals, actual.residuals, sample + " P=" + patch + " dcBits=" + dcBits);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void patchifyOfOddSizedRandomFramesEqualsScalar(int patch) {
        // given random frames whose sides are not multiples of the patch (replicated edges)
        SplittableRandom random = new SplittableRandom(patch);
        for (int[] size : new int[][] {{1, 1}, {37, 23}, {patch + 1, 2 * patch - 1}}) {
            PatchGrid g = new PatchGrid(size[0], size[1], patch);
            byte[] rgb = TestFrames.randomBytes(random, g.rgbBytes());
            // when / then
            Patches expected = patchify(scalar, rgb, g, 6);
            Patches actual = patchify(jvm, rgb, g, 6);
            assertArrayEquals(expected.codes, actual.codes);
            assertArrayEquals(expected.residuals, actual.residuals);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void patchifyOfEdgeSizesEqualsScalarForEveryDcBits(int patch) {
        // given random frames with edge columns and rows, whose rows are not a multiple of 8 or 24 bytes
        SplittableRandom random = new SplittableRandom(100 + patch);
        int[][] sizes = {{1, 1}, {7, 5}, {patch - 1, patch + 3}, {3 * patch + 5, 2 * patch},
                {5 * patch, 3 * patch + 1}, {8 * patch + 3, patch}};
        for (int[] size : sizes) {
            PatchGrid g = new PatchGrid(size[0], size[1], patch);
            byte[] rgb = TestFrames.randomBytes(random, g.rgbBytes());
            for (int dcBits = 1; dcBits <= 8; dcBits++) {
                // when both backends patchify it
                Patches expected = patchify(scalar, rgb, g, dcBits);
                Patches actual = patchify(jvm, rgb, g, dcBits);
                // then codes and residuals are identical
                String where = size[0] + "x" + size[1] + " P=" + patch + " dcBits=" + dcBits;
                assertArrayEquals(expected.codes, actual.codes, where);
                assertArrayEquals(expected.residuals, actual.residuals, where);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void patchifyOfFlatBlackAndWhiteFramesGivesExtremeCodes(int patch) {
        // given all-0 and all-255 frames with edge patches (the largest channel sums: P²·255)
        PatchGrid g = new PatchGrid(4 * patch + 3, 2 * patch + 1, patch);
        for (int level : new int[] {0, 255}) {
            byte[] rgb = new byte[g.rgbBytes()];
            Arrays.fill(rgb, (byte) level);
            for (int dcBits = 1; dcBits <= 8; dcBits++) {
                // when
                Patches actual = patchify(jvm, rgb, g, dcBits);
                // then every code is the level's bin and every residual is level − the bin's centre
                int code = level >> (8 - dcBits);
                short residual = (short) (level - VideoKernels.dcValue(code, dcBits));
                String where = "level=" + level + " P=" + patch + " dcBits=" + dcBits;
                assertEquals(Set.of(code), IntStream.of(actual.codes).boxed().collect(Collectors.toSet()), where);
                for (short r : actual.residuals) {
                    assertEquals(residual, r, where);
                }
                Patches expected = patchify(scalar, rgb, g, dcBits);
                assertArrayEquals(expected.codes, actual.codes, where);
                assertArrayEquals(expected.residuals, actual.residuals, where);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void nearestOfRealPatchesEqualsScalar(int patch) {
        // given residuals of a real frame and random codebooks of many sizes, scale shifts included
        PatchGrid g = TestFrames.geometryOf(TREE, patch);
        short[] residuals = patchify(jvm, TestFrames.rgb(TREE), g, 6).residuals;
        SplittableRandom random = new SplittableRandom(42 + patch);
        for (int k : new int[] {1, 2, 13, 100, 257}) {
            ShapeCodebook cb = TestFrames.randomCodebook(random, k, g.patchDim(), k % 5);
            // when both search every patch
            // then the indices are identical
            assertArrayEquals(nearest(scalar, residuals, null, g.patches(), cb),
                    nearest(jvm, residuals, null, g.patches(), cb), "K=" + k + " P=" + patch);
        }
    }

    @Test
    void nearestWithLargeCodebooksAndExtremeResidualsEqualsScalar() {
        // given residual-stage vectors at the contract's extremes (±2047) and K up to 4096, P = 8 and 16
        SplittableRandom random = new SplittableRandom(7);
        for (int patch : new int[] {8, 16}) {
            int d = 3 * patch * patch;
            short[] vectors = TestFrames.randomVectors(random, 24, d, 2047);
            vectors[0] = 2047;
            vectors[1] = -2047;
            for (int k : new int[] {1024, 4096}) {
                ShapeCodebook cb = TestFrames.randomCodebook(random, k, d, 4);
                // when / then
                assertArrayEquals(nearest(scalar, vectors, null, 24, cb), nearest(jvm, vectors, null, 24, cb),
                        "K=" + k + " d=" + d);
            }
        }
    }

    @Test
    void nearestBeyondTheDocumentedRangeStillEqualsScalar() {
        // given vectors far outside |x| ≤ 2047 (where float shortcuts stop being exact), P = 8 and 32
        SplittableRandom random = new SplittableRandom(13);
        for (int d : new int[] {192, 3072}) {
            short[] vectors = TestFrames.randomVectors(random, 6, d, 30000);
            ShapeCodebook cb = TestFrames.randomCodebook(random, 70, d, 0);
            // when / then: still the exact answer
            assertArrayEquals(nearest(scalar, vectors, null, 6, cb), nearest(jvm, vectors, null, 6, cb), "d=" + d);
        }
    }

    @Test
    void nearestWhereDotProductsExceed32BitsStillEqualsScalar() {
        // given P = 32 vectors of one sign at 8000 (x·q up to 8000·127·3072 ≈ 3.1e9 > 2^31) and entries that
        // differ only in how many components sit at ±127, so the answer hangs on the largest dot products
        int d = 3072;
        short[] vectors = new short[3 * d];
        Arrays.fill(vectors, 0, d, (short) 8000);
        Arrays.fill(vectors, d, 2 * d, (short) -8000);
        Arrays.fill(vectors, 2 * d, 3 * d, (short) 7999);
        byte[] q = new byte[4 * d];
        for (int j = 0; j < 4; j++) {
            int full = d - j * 700;
            Arrays.fill(q, j * d, j * d + full, (byte) (j % 2 == 0 ? 127 : -127));
        }
        ShapeCodebook cb = new ShapeCodebook(4, d, 0, q);
        // when / then: the exact 64-bit answer
        assertArrayEquals(nearest(scalar, vectors, null, 3, cb), nearest(jvm, vectors, null, 3, cb));
    }

    @Test
    void nearestOnAllSelectedRowsOfPatch32EqualsScalar() {
        // given P = 32 (d = 3072) vectors, a selection of rows in scrambled order with repeats, K = 4096
        SplittableRandom random = new SplittableRandom(11);
        int d = 3072;
        short[] vectors = TestFrames.randomVectors(random, 12, d, 255);
        int[] rows = {11, 0, 5, 5, 3, 9, 1};
        ShapeCodebook cb = TestFrames.randomCodebook(random, 4096, d, 1);
        // when / then
        assertArrayEquals(nearestRows(scalar, vectors, rows, cb), nearestRows(jvm, vectors, rows, cb));
    }

    @Test
    void nearestBreaksTiesToTheLowerIndex() {
        // given a codebook whose 40 entries repeat 3 distinct shapes, and zero vectors (all scores = norms)
        SplittableRandom random = new SplittableRandom(3);
        int d = 192;
        ShapeCodebook cb = TestFrames.tiedCodebook(random, 40, d, 3);
        short[] vectors = TestFrames.randomVectors(random, 30, d, 255);
        Arrays.fill(vectors, 0, 3 * d, (short) 0);
        // when
        int[] actual = nearest(jvm, vectors, null, 30, cb);
        // then every winner is one of the first three entries, and the result equals the reference
        for (int index : actual) {
            assertEquals(true, index < 3, "tie resolved to index " + index);
        }
        assertArrayEquals(nearest(scalar, vectors, null, 30, cb), actual);
    }

    @Test
    void nearestRejectsRowsOutsideTheVectors() {
        // given rows pointing past the vectors
        short[] vectors = new short[2 * 192];
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(1), 4, 192, 0);
        // when / then: a clear exception, not an index error deep in a kernel
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jvm.nearest(vectors, new int[] {0, 2}, 2, cb, new int[2]));
        assertEquals(true, e.getMessage().contains("rows[1] = 2"), e.getMessage());
    }

    @Test
    void subtractEqualsScalar() {
        // given real residuals, a codebook with a scale shift and the chosen entries
        PatchGrid g = TestFrames.geometryOf(TREE, 16);
        short[] residuals = patchify(jvm, TestFrames.rgb(TREE), g, 6).residuals;
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(5), 64, g.patchDim(), 3);
        int[] rows = {0, 7, 299, 150};
        int[] indices = nearestRows(jvm, residuals, rows, cb);
        short[] expected = residuals.clone();
        short[] actual = residuals.clone();
        // when both subtract
        scalar.subtract(expected, rows, rows.length, cb, indices);
        jvm.subtract(actual, rows, rows.length, cb, indices);
        // then the vectors are identical, and the listed rows changed
        assertArrayEquals(expected, actual);
        assertEquals(false, Arrays.equals(residuals, actual));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void reconstructOfTwoStagesEqualsScalar(int patch) {
        // given tokens of a real frame through two residual stages, including edge patches
        PatchGrid g = TestFrames.geometryOf(TREE, patch);
        byte[] rgb = TestFrames.rgb(TREE);
        Patches p = patchify(jvm, rgb, g, 5);
        SplittableRandom random = new SplittableRandom(patch);
        ShapeCodebook[] stages = {TestFrames.randomCodebook(random, 32, g.patchDim(), 2),
                TestFrames.randomCodebook(random, 16, g.patchDim(), 0)};
        int n = g.patches();
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = n - 1 - i;
        }
        int[] codes = new int[3 * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(p.codes, 3 * ids[r], codes, 3 * r, 3);
        }
        int listed = n - 1;
        int[] shapeIds = new int[2 * listed];
        for (int i = 0; i < 2 * listed; i++) {
            shapeIds[i] = random.nextInt(i < listed ? 32 : 16);
        }
        byte[] expected = rgb.clone();
        byte[] actual = rgb.clone();
        // when both decode all patches but the last listed one into a copy of the frame
        scalar.reconstruct(expected, g, 5, ids, listed, codes, shapeIds, stages);
        jvm.reconstruct(actual, g, 5, ids, listed, codes, shapeIds, stages);
        // then the frames are identical
        assertArrayEquals(expected, actual);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void errorsOfConsecutiveRealFramesEqualScalar(int patch) {
        // given two consecutive real frames
        PatchGrid g = TestFrames.geometryOf(TREE, patch);
        byte[] a = TestFrames.rgb(TREE);
        byte[] b = TestFrames.rgb(TREE_NEXT);
        long[] expected = new long[g.patches()];
        long[] actual = new long[g.patches()];
        // when
        scalar.patchSquaredError(a, b, g, expected);
        jvm.patchSquaredError(a, b, g, actual);
        // then
        assertArrayEquals(expected, actual);
        assertEquals(scalar.squaredError(a, b, a.length), jvm.squaredError(a, b, a.length));
        assertEquals(scalar.squaredError(a, b, 1001), jvm.squaredError(a, b, 1001));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void patchSquaredErrorOfEdgeSizesEqualsScalar(int patch) {
        // given random frames whose rows are not a multiple of 8 or 24 bytes, with edge patches
        SplittableRandom random = new SplittableRandom(200 + patch);
        for (int[] size : new int[][] {{1, 1}, {7, 5}, {3 * patch + 5, 2 * patch + 1}, {8 * patch + 3, patch}}) {
            PatchGrid g = new PatchGrid(size[0], size[1], patch);
            byte[] a = TestFrames.randomBytes(random, g.rgbBytes());
            byte[] b = TestFrames.randomBytes(random, g.rgbBytes());
            long[] expected = new long[g.patches()];
            long[] actual = new long[g.patches()];
            Arrays.fill(actual, -1L);
            // when
            scalar.patchSquaredError(a, b, g, expected);
            jvm.patchSquaredError(a, b, g, actual);
            // then
            assertArrayEquals(expected, actual, size[0] + "x" + size[1] + " P=" + patch);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void patchSquaredErrorOfBlackAgainstWhiteCountsThePixelsInside(int patch) {
        // given an all-0 and an all-255 frame with edge patches (the largest error a patch can have)
        PatchGrid g = new PatchGrid(2 * patch + 5, patch + 3, patch);
        byte[] black = new byte[g.rgbBytes()];
        byte[] white = new byte[g.rgbBytes()];
        Arrays.fill(white, (byte) 255);
        long[] actual = new long[g.patches()];
        // when
        jvm.patchSquaredError(black, white, g, actual);
        // then each patch's error is 3·255² per pixel of the patch inside the frame
        for (int i = 0; i < g.patches(); i++) {
            int x0 = (i % g.columns()) * patch;
            int y0 = (i / g.columns()) * patch;
            long inside = (long) Math.min(patch, g.width() - x0) * Math.min(patch, g.height() - y0);
            assertEquals(inside * 3 * 255 * 255, actual[i], "patch " + i);
        }
    }

    @Test
    void squaredErrorOfEveryTailAndBlockBoundaryEqualsScalar() {
        // given random bytes, and lengths around the vector width and the 16384-byte block
        SplittableRandom random = new SplittableRandom(17);
        byte[] a = TestFrames.randomBytes(random, 3 * 16384 + 64);
        byte[] b = TestFrames.randomBytes(random, a.length);
        for (int length : new int[] {0, 1, 7, 8, 9, 23, 24, 25, 16383, 16384, 16385, 3 * 16384 + 5}) {
            // when / then
            assertEquals(scalar.squaredError(a, b, length), jvm.squaredError(a, b, length), "length " + length);
        }
    }

    @Test
    void squaredErrorOfExtremesEqualsScalar() {
        // given frames that differ by 255 everywhere (the largest per-byte error), longer than a chunk
        byte[] a = new byte[100_000];
        byte[] b = new byte[100_000];
        Arrays.fill(b, (byte) 255);
        // when / then
        assertEquals(100_000L * 255 * 255, jvm.squaredError(a, b, a.length));
    }

    record Patches(int[] codes, short[] residuals) {
    }

    static Patches patchify(VideoKernels kernels, byte[] rgb, PatchGrid g, int dcBits) {
        int[] codes = new int[3 * g.patches()];
        short[] residuals = new short[g.patches() * g.patchDim()];
        kernels.patchify(rgb, g, dcBits, codes, residuals);
        return new Patches(codes, residuals);
    }

    static int[] nearest(VideoKernels kernels, short[] vectors, int[] rows, int count, ShapeCodebook cb) {
        int[] indices = new int[count];
        kernels.nearest(vectors, rows, count, cb, indices);
        return indices;
    }

    static int[] nearestRows(VideoKernels kernels, short[] vectors, int[] rows, ShapeCodebook cb) {
        return nearest(kernels, vectors, rows, rows.length, cb);
    }
}
