package dev.weir.inspector.internals;

import java.util.List;

/**
 * A video stream's panel (JSON): its latest decoded frame with the fate of every patch, whether a source frame is
 * there to show beside it, and the series of tokens per frame (and PSNR, when the source was read).
 *
 * @param width        frame width, pixels
 * @param height       frame height, pixels
 * @param patchSize    patch side, pixels
 * @param frameSeq     seq of the latest decoded frame (-1 before the first)
 * @param fates        the patch fates of that frame's batch (null when the batch was not read)
 * @param counts       patches per fate in that frame: keyframe, sent, reused, pruned
 * @param sourceSeq    seq of the latest source frame read (-1 when none: the inputs are not read)
 * @param inputsRead   whether the inspector reads the input topic
 * @param series       one point per batch in the window, oldest first
 */
public record VideoView(int width, int height, int patchSize, long frameSeq, PatchFates fates, FateCounts counts,
                        long sourceSeq, boolean inputsRead, List<Point> series) {

    /** Patches of one frame per fate. */
    public record FateCounts(int keyframe, int sent, int reused, int pruned) {

        static FateCounts of(PatchFates f) {
            return f == null ? new FateCounts(0, 0, 0, 0)
                    : new FateCounts(f.count(PatchFates.KEYFRAME), f.count(PatchFates.SENT), f.count(PatchFates.REUSED), f.count(PatchFates.PRUNED));
        }
    }

    /**
     * One frame of the time plot.
     *
     * @param seq       the frame's seq
     * @param timestamp its stream time, ms
     * @param full      tokens a full tokenization would emit
     * @param emitted   tokens emitted
     * @param keyframe  a keyframe
     * @param psnr      PSNR of the decoded frame against its source, dB (null without the source)
     */
    public record Point(long seq, long timestamp, long full, long emitted, boolean keyframe, Double psnr) {
    }
}
