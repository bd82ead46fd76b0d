package dev.weir.codec.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * What an {@link AudioDecoder} needs beside the tokens of one packet: the frame timing of the tokenizer and
 * which frames the packet covers. Ints, longs, booleans and an int array only, so the topology can mirror it
 * as an Avro record field for field.
 *
 * <p>Frame {@code t} of a stream is the MDCT of tokenizer-rate samples {@code [(t−1)·hop, (t+1)·hop)} (samples
 * before 0 are zeros). Once frames up to {@code t} are decoded, samples {@code [0, t·hop)} are final, so a
 * packet with frames {@code firstFrame .. firstFrame+frameCount−1} finalizes samples
 * {@code [firstSample, firstSample+sampleCount)} with {@code firstSample = max(0, (firstFrame−1)·hop)}; the packet
 * that ends a stream ({@code endOfStream}) finalizes the rest, trimmed to the stream's length.
 *
 * <p>Positions of the packet: {@code position = (frame − firstFrame)·stagesPerFrame + stage}, one token each
 * (see docs/audio.md for the stages).
 *
 * @param sampleRate     the tokenizer's sample rate (16000 or 24000): the rate of the decoded samples
 * @param hopSamples     samples per frame (20 ms at {@code sampleRate})
 * @param stagesPerFrame token slots of one frame (gain, envelope stages, shape stages)
 * @param firstFrame     stream index of the packet's first frame
 * @param frameCount     frames in the packet (0 for a chunk too short to complete one)
 * @param firstSample    stream index of the first sample this packet finalizes
 * @param sampleCount    samples this packet finalizes (what {@link AudioDecoder#decode} returns)
 * @param silentFrames   frame offsets in the packet (ascending, in [0, frameCount)) that are silence: the
 *                       decoder plays comfort noise there (discontinuous transmission)
 * @param endOfStream    this packet flushes the stream: the encoder padded its last frame, and both sides start
 *                       afresh after it
 */
public record AudioLayout(int sampleRate, int hopSamples, int stagesPerFrame, long firstFrame, int frameCount,
                          long firstSample, int sampleCount, int[] silentFrames, boolean endOfStream) {

    /** Most frames one packet may carry: 5 minutes of 20 ms frames (far above any chunk a broker accepts). */
    public static final int MAX_FRAMES = 15_000;

    public AudioLayout {
        Objects.requireNonNull(silentFrames, "silentFrames");
        if (sampleRate <= 0 || hopSamples <= 0 || hopSamples > 4096 || stagesPerFrame <= 0 || stagesPerFrame > 256
                || firstFrame < 0 || frameCount < 0 || frameCount > MAX_FRAMES || firstSample < 0 || sampleCount < 0
                || (long) sampleCount > (long) (frameCount + 1) * hopSamples) {
            throw new dev.weir.codec.MediaFormatException("audio layout out of range: " + summary());
        }
        int previous = -1;
        for (int f : silentFrames) {
            if (f <= previous || f >= frameCount) {
                throw new dev.weir.codec.MediaFormatException("audio layout silentFrames must be ascending in [0, "
                        + frameCount + "): " + Arrays.toString(silentFrames));
            }
            previous = f;
        }
    }

    /** Positions of an uncompressed packet: frameCount · stagesPerFrame. */
    public int positionsTotal() {
        return Math.multiplyExact(frameCount, stagesPerFrame);
    }

    /** Whether frame offset {@code f} is a silence (DTX) frame. */
    public boolean silent(int f) {
        return Arrays.binarySearch(silentFrames, f) >= 0;
    }

    private String summary() {
        return "rate " + sampleRate + ", hop " + hopSamples + ", stages " + stagesPerFrame + ", frames " + firstFrame
                + "+" + frameCount + ", samples " + firstSample + "+" + sampleCount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioLayout l && sampleRate == l.sampleRate && hopSamples == l.hopSamples
                && stagesPerFrame == l.stagesPerFrame && firstFrame == l.firstFrame && frameCount == l.frameCount
                && firstSample == l.firstSample && sampleCount == l.sampleCount && endOfStream == l.endOfStream
                && Arrays.equals(silentFrames, l.silentFrames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleRate, hopSamples, firstFrame, frameCount, sampleCount, endOfStream)
                + 31 * Arrays.hashCode(silentFrames);
    }

    @Override
    public String toString() {
        return "AudioLayout[" + summary() + ", silent " + Arrays.toString(silentFrames)
                + (endOfStream ? ", end of stream" : "") + "]";
    }
}
