package dev.weir.inspector.internals;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AudioFrameMarkTest {

    @Test
    void eachFrameCountsItsSentReusedAndPrunedSlotsAndSilentFramesAreMarked() {
        // given a batch of three frames from frame 40: frame 40 sends slots 0-4 and reuses 5-9 (5 pruned),
        // frame 41 is silent with its gain token sent, frame 42 sends all 15
        List<Integer> sent = new java.util.ArrayList<>(List.of(0, 1, 2, 3, 4, 15));
        for (int p = 30; p < 45; p++) {
            sent.add(p);
        }
        var batch = Batches.audio("mic", 3, 0, 40, 3, sent, List.of(5, 6, 7, 8, 9), List.of(1), 5);

        // when the frames are marked
        List<AudioFrameMark> marks = AudioFrameMark.of(batch);

        // then
        assertEquals(List.of(new AudioFrameMark(40, false, 5, 5, 5), new AudioFrameMark(41, true, 1, 0, 0),
                new AudioFrameMark(42, false, 15, 0, 0)), marks);
        assertEquals(batch.getPrunedCount(), marks.stream().mapToInt(AudioFrameMark::pruned).sum());
    }
}
