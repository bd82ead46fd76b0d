package dev.weir.inspector.internals;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PatchFatesTest {

    @Test
    void everyPatchIsSentReusedOrPrunedInARowMajorGridThatCoversTheEdges() {
        // given a 50×20 frame (4×2 patches of 16, the edges padded): two sent, three reused, the rest pruned
        var batch = Batches.video("cam", 5, 0, 50, 20, false, List.of(0, 7), List.of(1, 2, 4), 3, 0);

        // when its fates are read
        PatchFates f = PatchFates.of(batch);

        // then
        assertEquals(4, f.cols());
        assertEquals(2, f.rows());
        assertEquals("srrprpps", f.fates());
        assertEquals(2, f.count(PatchFates.SENT));
        assertEquals(3, f.count(PatchFates.REUSED));
        assertEquals(3, f.count(PatchFates.PRUNED));
    }

    @Test
    void aKeyframeSendsEveryPatch() {
        PatchFates f = PatchFates.of(Batches.video("cam", 0, 0, 32, 32, true, RatesTest.range(4), List.of(), 0, 0));
        assertEquals("kkkk", f.fates());
        assertEquals(4, f.count(PatchFates.KEYFRAME));
    }

    @Test
    void aBatchOfAnotherModalityIsRefused() {
        var audio = Batches.audio("mic", 0, 0, 0, 1, List.of(0), List.of(), List.of(), 0);
        assertThrows(IllegalArgumentException.class, () -> PatchFates.of(audio));
    }
}
