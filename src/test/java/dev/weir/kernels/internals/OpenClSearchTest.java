package dev.weir.kernels.internals;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float-exact slice length of the GPU search kernels (no device needed). */
class OpenClSearchTest {

    @Test
    void everySliceSumIsAnIntegerFloatRepresentsExactly() {
        for (int maxX : new int[] {1, 7, 255, 2047, 8000}) {
            for (int maxQ : new int[] {1, 31, 127}) {
                // when
                int slice = OpenClSearch.floatSlice(maxX, maxQ, 768);
                // then a slice is whole 16-component steps and its largest partial sum is at most 2^24
                assertEquals(0, slice % 16, maxX + "," + maxQ);
                assertTrue(slice >= 16 && (long) slice * maxX * maxQ <= 1L << 24, maxX + "," + maxQ + " -> " + slice);
                assertTrue(slice <= 768);
            }
        }
        // frame-step residuals (±255) against ±127 entries: 512 components, two slices for d = 768
        assertEquals(512, OpenClSearch.floatSlice(255, 127, 768));
        // small values: the whole vector in one slice, rounded up to whole steps
        assertEquals(192, OpenClSearch.floatSlice(3, 3, 192));
        assertEquals(208, OpenClSearch.floatSlice(3, 3, 200));
    }

    @Test
    void valuesTooLargeForEvenOneExactSliceLeaveOnlyTheIntegerKernel() {
        assertEquals(0, OpenClSearch.floatSlice(30000, 127, 768));
    }
}
