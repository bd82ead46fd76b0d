package dev.weir.codec.audio;

import dev.weir.codec.Encoded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Real speech from samples/ (see samples/SOURCES.md) and helpers to cut, encode and decode it. */
final class TestAudio {

    static final Path SPEECH = Path.of("samples/audio/librivox-sense-0880.wav");

    private TestAudio() {
    }

    /** The bundled 2.99 s LibriVox excerpt, 16 kHz mono PCM16. */
    static PcmChunk speech() {
        try {
            return WavReader.read(SPEECH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the shared development data set, when it is there (tests skip otherwise). */
    static Optional<Path> shared(String name) {
        String dir = System.getProperty("weir.shared.data");
        if (dir == null) {
            return Optional.empty();
        }
        Path p = Path.of(dir, name);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Mono PCM16 chunk from float samples (rounded, clamped). */
    static PcmChunk pcm16(int rate, float[] x) {
        short[] s = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = (short) Math.clamp(Math.round(x[i]), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        return PcmChunk.mono16(rate, s);
    }

    /** Interleaved stereo F32LE from two float channels in PCM16 units. */
    static PcmChunk stereoF32(int rate, float[] left, float[] right) {
        ByteBuffer b = ByteBuffer.allocate(left.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < left.length; i++) {
            b.putFloat(left[i] / 32768f).putFloat(right[i] / 32768f);
        }
        return PcmChunk.of(rate, 2, SampleFormat.F32LE, b.array(), Integer.MAX_VALUE);
    }

    /** {@code count} chunk lengths (in sample frames) that add up to {@code total}, odd and uneven, seeded. */
    static int[] oddCuts(int total, int count, long seed) {
        Random r = new Random(seed);
        double[] w = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            w[i] = 0.2 + r.nextDouble();
            sum += w[i];
        }
        int[] cuts = new int[count];
        int used = 0;
        for (int i = 0; i < count - 1; i++) {
            cuts[i] = Math.max(1, (int) (total * w[i] / sum)) | 1;
            used += cuts[i];
        }
        cuts[count - 1] = total - used;
        if (cuts[count - 1] <= 0) {
            throw new IllegalStateException("bad cut");
        }
        return cuts;
    }

    /** The chunk's sample frames [from, from+count). */
    static PcmChunk slice(PcmChunk c, int from, int count) {
        int fb = c.format().bytesPerSample() * c.channels();
        return new PcmChunk(c.sampleRate(), c.channels(), c.format(),
                Arrays.copyOfRange(c.data(), from * fb, (from + count) * fb));
    }

    /** Encodes {@code clip} cut as {@code cuts}, decoding each packet at once; returns the whole decoded stream. */
    static Stream run(AudioEncoder encoder, AudioDecoder decoder, PcmChunk clip, int[] cuts) {
        Stream s = new Stream();
        int at = 0;
        long seq = 0;
        for (int cut : cuts) {
            s.add(encoder.encode(seq++, slice(clip, at, cut)), decoder);
            at += cut;
        }
        s.add(encoder.finish(seq), decoder);
        return s;
    }

    /** What a run produced. */
    static final class Stream {
        final List<Encoded<AudioLayout>> packets = new ArrayList<>();
        short[] decoded = new short[0];

        void add(Encoded<AudioLayout> e, AudioDecoder decoder) {
            packets.add(e);
            short[] d = decoder.decode(e.layout(), e.packet()).shorts();
            int old = decoded.length;
            decoded = Arrays.copyOf(decoded, old + d.length);
            System.arraycopy(d, 0, decoded, old, d.length);
        }

        float[] decodedFloats() {
            float[] f = new float[decoded.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = decoded[i];
            }
            return f;
        }

        long tokens() {
            return packets.stream().mapToLong(p -> p.packet().tokens().length).sum();
        }
    }
}
