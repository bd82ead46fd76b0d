package dev.weir.codec.audio;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A run of interleaved PCM samples from one audio stream: what an {@code AudioChunk} carries and what the
 * decoder returns. Arrays are handed over, not copied.
 *
 * <p>{@link #of} validates a chunk from the outside world before anything is allocated; the canonical
 * constructor only checks what keeps the record consistent (so the decoder can build one cheaply).
 *
 * @param sampleRate samples per second per channel
 * @param channels   interleaved channels
 * @param format     sample encoding of {@code data}
 * @param data       interleaved little-endian samples; a whole number of frames (samples × channels)
 */
public record PcmChunk(int sampleRate, int channels, SampleFormat format, byte[] data) {

    /** Lowest accepted input rate. */
    public static final int MIN_RATE = 8000;
    /** Highest accepted input rate. */
    public static final int MAX_RATE = 48000;

    public PcmChunk {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(data, "data");
        if (sampleRate <= 0 || channels <= 0 || data.length % (format.bytesPerSample() * channels) != 0) {
            throw new MediaFormatException("inconsistent PCM chunk: rate " + sampleRate + ", channels " + channels
                    + ", " + data.length + " bytes of " + format);
        }
    }

    /**
     * A validated chunk from an external producer.
     *
     * @param maxBytes the largest accepted {@code data} length (checked first)
     * @throws MediaFormatException when the rate is outside {@value #MIN_RATE}..{@value #MAX_RATE}, the channel
     *                              count is not 1 or 2, the byte count is not a whole number of sample frames,
     *                              the chunk is larger than {@code maxBytes}, or a float sample is NaN or infinite
     */
    public static PcmChunk of(int sampleRate, int channels, SampleFormat format, byte[] data, int maxBytes) {
        if (format == null) {
            throw new MediaFormatException("audio chunk has no sample format (expected PCM_S16LE or F32LE)");
        }
        if (data == null) {
            throw new MediaFormatException("audio chunk has no data");
        }
        if (data.length > maxBytes) {
            throw new MediaTooLargeException("audio chunk is " + data.length + " bytes, larger than the limit of "
                    + maxBytes + " bytes");
        }
        if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
            throw new MediaFormatException("audio sample rate " + sampleRate + " Hz is outside " + MIN_RATE + ".."
                    + MAX_RATE + " Hz");
        }
        if (channels != 1 && channels != 2) {
            throw new MediaFormatException("audio chunk has " + channels + " channels; expected 1 (mono) or 2 (stereo)");
        }
        int frameBytes = format.bytesPerSample() * channels;
        if (data.length % frameBytes != 0) {
            throw new MediaFormatException("audio chunk has " + data.length + " bytes, not a multiple of " + frameBytes
                    + " (" + format.bytesPerSample() + " bytes per " + format + " sample × " + channels + " channel(s))");
        }
        if (format == SampleFormat.F32LE) {
            ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length / 4; i++) {
                float v = in.getFloat(4 * i);
                if (!Float.isFinite(v)) {
                    throw new MediaFormatException("F32LE sample " + i + " is " + v + "; samples must be finite");
                }
            }
        }
        return new PcmChunk(sampleRate, channels, format, data);
    }

    /** Mono PCM_S16LE from 16-bit samples (what the decoder returns). */
    public static PcmChunk mono16(int sampleRate, short[] samples) {
        ByteBuffer out = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            out.putShort(s);
        }
        return new PcmChunk(sampleRate, 1, SampleFormat.PCM_S16LE, out.array());
    }

    /** Sample frames (samples per channel). */
    public int frames() {
        return data.length / (format.bytesPerSample() * channels);
    }

    /** Duration in seconds. */
    public double seconds() {
        return (double) frames() / sampleRate;
    }

    /** Interleaved samples as floats in PCM16 units (full scale ±32768; F32LE is scaled by 32768). */
    public float[] samples() {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = data.length / format.bytesPerSample();
        float[] out = new float[n];
        if (format == SampleFormat.PCM_S16LE) {
            for (int i = 0; i < n; i++) {
                out[i] = in.getShort(2 * i);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = in.getFloat(4 * i) * 32768f;
            }
        }
        return out;
    }

    /** The mono downmix (mean of the channels) in PCM16 units, one float per sample frame. */
    public float[] mono() {
        float[] s = samples();
        if (channels == 1) {
            return s;
        }
        float[] out = new float[frames()];
        for (int i = 0; i < out.length; i++) {
            out[i] = 0.5f * (s[2 * i] + s[2 * i + 1]);
        }
        return out;
    }

    /** The samples of a mono PCM_S16LE chunk as shorts (what the decoder returns). */
    public short[] shorts() {
        if (format != SampleFormat.PCM_S16LE || channels != 1) {
            throw new IllegalStateException("shorts() needs mono PCM_S16LE, this chunk is " + channels + "ch " + format);
        }
        short[] out = new short[frames()];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcmChunk p && sampleRate == p.sampleRate && channels == p.channels && format == p.format
                && java.util.Arrays.equals(data, p.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sampleRate + channels) + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PcmChunk[" + sampleRate + " Hz, " + channels + " ch, " + format + ", " + frames() + " frames]";
    }
}
