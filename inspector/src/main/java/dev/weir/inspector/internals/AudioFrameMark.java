package dev.weir.inspector.internals;

import dev.weir.avro.AudioLayout;
import dev.weir.avro.TokenBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * What the compressor did with one 20 ms audio frame, from its token batch: silent (discontinuous transmission:
 * comfort noise), or how many of its token slots were sent, reused from the cache, and pruned (an active frame's
 * slots that are neither: the pruner dropped them). Position p of a batch is slot {@code p % stagesPerFrame} of
 * frame {@code firstFrame + p / stagesPerFrame} (docs/audio.md).
 *
 * @param frame  the frame's index in the stream
 * @param silent a silent frame
 * @param sent   slots sent
 * @param reused slots reused
 * @param pruned slots pruned (0 for a silent frame)
 */
public record AudioFrameMark(long frame, boolean silent, int sent, int reused, int pruned) {

    /** The marks of every frame of {@code batch}, whose layout must be an {@link AudioLayout}. */
    public static List<AudioFrameMark> of(TokenBatch batch) {
        if (!(batch.getLayout() instanceof AudioLayout layout)) {
            throw new IllegalArgumentException("not an audio batch: layout " + batch.getLayout());
        }
        int stages = Math.max(1, layout.getStagesPerFrame());
        int frames = Math.max(0, layout.getFrameCount());
        int[] sent = new int[frames];
        int[] reused = new int[frames];
        for (int p : batch.getPositions()) {
            if (p >= 0 && p / stages < frames) {
                sent[p / stages]++;
            }
        }
        for (int p : batch.getReusedPositions()) {
            if (p >= 0 && p / stages < frames) {
                reused[p / stages]++;
            }
        }
        boolean[] silent = new boolean[frames];
        for (int f : layout.getSilentFrames()) {
            if (f >= 0 && f < frames) {
                silent[f] = true;
            }
        }
        List<AudioFrameMark> marks = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            marks.add(new AudioFrameMark(layout.getFirstFrame() + f, silent[f], sent[f], reused[f],
                    silent[f] ? 0 : Math.max(0, stages - sent[f] - reused[f])));
        }
        return marks;
    }
}
