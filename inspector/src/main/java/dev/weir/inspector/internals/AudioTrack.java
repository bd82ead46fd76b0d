package dev.weir.inspector.internals;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last {@code maxSeconds} of one audio signal (decoded or original), as segments placed on the stream's time
 * axis: a segment starts at sample {@code start} of the stream at its rate. Gaps between segments are silence.
 * Not thread-safe.
 */
public final class AudioTrack {

    /** Samples of one segment, starting at stream sample {@code start}. */
    public record Segment(long start, float[] samples) {
        long end() {
            return start + samples.length;
        }
    }

    private final double maxSeconds;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private int rate;
    private long held;

    public AudioTrack(double maxSeconds) {
        this.maxSeconds = maxSeconds;
    }

    /**
     * Adds samples at stream sample {@code start} at {@code rate}; a segment that starts before the track's end (the
     * stream started again) or at another rate starts the track afresh. Drops the oldest beyond the bound.
     */
    public void add(long start, int rate, float[] samples) {
        if (rate <= 0) {
            return;
        }
        if (rate != this.rate || (!segments.isEmpty() && start < segments.peekLast().end())) {
            segments.clear();
            held = 0;
            this.rate = rate;
        }
        segments.addLast(new Segment(start, samples));
        held += samples.length;
        while (held > maxSeconds * rate && segments.size() > 1) {
            held -= segments.removeFirst().samples().length;
        }
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    public int rate() {
        return rate;
    }

    /** Seconds of stream time where the track starts (0 when empty). */
    public double startSeconds() {
        return segments.isEmpty() ? 0 : (double) segments.peekFirst().start() / rate;
    }

    /** Seconds of stream time where the track ends. */
    public double endSeconds() {
        return segments.isEmpty() ? 0 : (double) segments.peekLast().end() / rate;
    }

    /** Every held sample from the first segment's start to the last one's end, gaps as silence. */
    public float[] samples() {
        if (segments.isEmpty()) {
            return new float[0];
        }
        long first = segments.peekFirst().start();
        float[] out = new float[(int) (segments.peekLast().end() - first)];
        for (Segment s : segments) {
            System.arraycopy(s.samples(), 0, out, (int) (s.start() - first), s.samples().length);
        }
        return out;
    }

    /** The segments, oldest first. */
    public List<Segment> segments() {
        return List.copyOf(segments);
    }
}
