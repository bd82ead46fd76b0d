package dev.weir.inspector.internals;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.AudioLayout;
import dev.weir.avro.DecodedAudio;
import dev.weir.avro.TokenBatch;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * An audio stream: the window of batch facts, the marks of its last {@value #SECONDS} s of frames, and the last
 * {@value #SECONDS} s of decoded audio and, when the inputs are read, of the original (mono). The original is placed
 * by counting samples from the stream's first chunk (seq 0) that the inspector read; decoded audio by its
 * {@code firstSample}.
 */
public final class AudioTracker extends StreamTracker {

    /** Seconds of audio (and of frame marks) kept per stream. */
    static final int SECONDS = 30;
    /** Columns of the waveforms sent to the page. */
    static final int COLUMNS = 800;

    private final boolean inputsRead;
    private final AudioTrack decodedTrack = new AudioTrack(SECONDS);
    private final AudioTrack originalTrack = new AudioTrack(SECONDS);
    private final BoundedWindow<AudioFrameMark> marks = new BoundedWindow<>(SECONDS * 50);
    private AudioLayout layout;
    private long originalNext;
    private boolean originalEnded;

    public AudioTracker(String id, int window, boolean inputsRead) {
        super(id, "audio", window);
        this.inputsRead = inputsRead;
    }

    @Override
    protected void batch(TokenBatch batch, BatchFacts facts) {
        if (batch.getLayout() instanceof AudioLayout l) {
            AudioFrameMark last = marks.last();
            List<AudioFrameMark> added = AudioFrameMark.of(batch);
            if (last != null && !added.isEmpty() && added.getFirst().frame() <= last.frame()) {
                marks.clear(); // the stream started again
            }
            added.forEach(marks::add);
            layout = l;
        }
    }

    @Override
    protected void decoded(SpecificRecord record) {
        if (record instanceof DecodedAudio a && a.getFirstSample() >= 0) {
            decodedTrack.add(a.getFirstSample(), a.getSampleRate(), Pcm.mono(a.getData(), a.getFormat(), a.getChannels()));
        }
    }

    @Override
    protected void input(SpecificRecord record) {
        if (!(record instanceof AudioChunk c)) {
            return;
        }
        if (c.getSeq() == 0 || originalEnded) {
            originalNext = 0;
        }
        float[] samples = Pcm.mono(c.getData(), c.getFormat(), c.getChannels());
        originalTrack.add(originalNext, c.getSampleRate(), samples);
        originalNext += samples.length;
        originalEnded = c.getEndOfStream();
    }

    /** The decoded audio held, and its rate. */
    public AudioTrack decodedTrack() {
        return decodedTrack;
    }

    /** The original audio held (empty when the inputs are not read). */
    public AudioTrack originalTrack() {
        return originalTrack;
    }

    @Override
    public AudioView detail() {
        double start = Double.MAX_VALUE, end = 0;
        for (AudioTrack t : List.of(decodedTrack, originalTrack)) {
            if (!t.isEmpty()) {
                start = Math.min(start, t.startSeconds());
                end = Math.max(end, t.endSeconds());
            }
        }
        if (start == Double.MAX_VALUE) {
            start = 0;
        }
        int rate = layout == null ? 0 : layout.getSampleRate();
        int hop = layout == null ? 0 : layout.getHopSamples();
        List<AudioFrameMark> shown = new ArrayList<>();
        for (AudioFrameMark m : marks.items()) {
            double t = rate == 0 ? 0 : (double) m.frame() * hop / rate;
            if (t >= start && t < end) {
                shown.add(m);
            }
        }
        return new AudioView(rate, hop, layout == null ? 0 : layout.getStagesPerFrame(), start, end,
                Waveform.of(decodedTrack, start, end, COLUMNS), Waveform.of(originalTrack, start, end, COLUMNS), shown, inputsRead);
    }
}
