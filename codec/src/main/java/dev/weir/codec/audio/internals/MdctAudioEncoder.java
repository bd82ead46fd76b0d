package dev.weir.codec.audio.internals;

import dev.weir.codec.Encoded;
import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.audio.AudioCodebook;
import dev.weir.codec.audio.AudioCompressionConfig;
import dev.weir.codec.audio.AudioEncoder;
import dev.weir.codec.audio.AudioLayout;
import dev.weir.codec.audio.PcmChunk;
import dev.weir.kernels.VectorKernels;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The audio encoder (see {@link AudioEncoder}). State: the resampler, the tokenizer-rate samples of the next
 * frame's window not yet transformed, the next frame index and sample count, and the compressor.
 *
 * <p>Snapshot body (after {@link AudioStateHeader}): 4 bytes input rate (0 before the first chunk), the
 * resampler state when there is one, 8 bytes next frame, 8 bytes samples received, the pending samples
 * (4 bytes count, 1 byte kind: 1 = all integral, stored as 2-byte shorts, 0 = 4-byte floats), then the
 * compressor's state.
 */
public final class MdctAudioEncoder implements AudioEncoder {

    private final AudioCodebook codebook;
    private final AudioCompressionConfig compression;
    private final FrameCoder coder;
    private final Mdct mdct;
    private final int n;
    private final int slots;
    private AudioCompressor compressor;

    private Resampler resampler;
    // Samples [(nextFrame−1)·n, (nextFrame−1)·n + pendingLength) at the tokenizer rate.
    private float[] pending;
    private int pendingLength;
    private long nextFrame;
    private long samplesIn;
    private long lastSeq = -1;

    public MdctAudioEncoder(AudioCodebook codebook, VectorKernels kernels, AudioCompressionConfig compression) {
        this.codebook = Objects.requireNonNull(codebook, "codebook");
        this.compression = Objects.requireNonNull(compression, "compression");
        this.coder = new FrameCoder(codebook, Objects.requireNonNull(kernels, "kernels"));
        this.n = codebook.hop();
        this.mdct = new Mdct(n);
        this.slots = codebook.slotsPerFrame();
        this.compressor = new AudioCompressor(compression, coder, codebook.bands());
        reset();
    }

    private void reset() {
        resampler = null;
        pending = new float[4 * n];
        pendingLength = n; // the zeros before sample 0 that frame 0's window covers
        nextFrame = 0;
        samplesIn = 0;
        compressor.reset();
    }

    @Override
    public TokenizerRef tokenizer() {
        return codebook.tokenizerRef();
    }

    @Override
    public AudioCodebook codebook() {
        return codebook;
    }

    @Override
    public AudioCompressionConfig compression() {
        return compression;
    }

    @Override
    public Encoded<AudioLayout> encode(long seq, PcmChunk chunk) {
        long start = System.nanoTime();
        feed(chunk);
        return packet(seq, start, false);
    }

    @Override
    public Encoded<AudioLayout> encode(long seq, PcmChunk chunk, boolean endOfStream) {
        if (!endOfStream) {
            return encode(seq, chunk);
        }
        long start = System.nanoTime();
        feed(chunk);
        return flush(seq, start);
    }

    @Override
    public Encoded<AudioLayout> finish(long seq) {
        return flush(seq, System.nanoTime());
    }

    private void feed(PcmChunk chunk) {
        if (resampler != null && resampler.inRate() != chunk.sampleRate()) {
            append(resampler.flush());
            resampler = null;
        }
        if (resampler == null) {
            resampler = new Resampler(chunk.sampleRate(), codebook.sampleRate());
        }
        append(resampler.process(chunk.mono()));
    }

    private Encoded<AudioLayout> flush(long seq, long start) {
        if (resampler != null) {
            append(resampler.flush());
        }
        long total = samplesIn;
        long lastFrame = (total + n - 1) / n; // frames 0..lastFrame finalize [0, lastFrame·n) ⊇ [0, total)
        if (total > 0) {
            long need = (lastFrame + 1) * n - (nextFrame - 1) * n - pendingLength;
            if (need > 0) {
                appendZeros((int) need);
            }
        }
        Encoded<AudioLayout> out = packet(seq, start, true);
        reset();
        return out;
    }

    private void append(float[] samples) {
        samplesIn += samples.length;
        ensure(pendingLength + samples.length);
        System.arraycopy(samples, 0, pending, pendingLength, samples.length);
        pendingLength += samples.length;
    }

    private void appendZeros(int count) {
        ensure(pendingLength + count);
        Arrays.fill(pending, pendingLength, pendingLength + count, 0f);
        pendingLength += count;
    }

    private void ensure(int length) {
        if (length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(length, 2 * pending.length));
        }
    }

    private Encoded<AudioLayout> packet(long seq, long start, boolean endOfStream) {
        int frames = pendingLength >= 2 * n ? (pendingLength - n) / n : 0;
        long firstFrame = nextFrame;
        IntList positions = new IntList();
        IntList emitted = new IntList();
        IntList reusedPositions = new IntList();
        IntList silent = new IntList();
        int pruned = 0;
        int changed = 0;
        double[] c = new double[n];
        int[] tokens = new int[slots];
        boolean[] reused = new boolean[slots];
        boolean[] sent = new boolean[slots];
        boolean[] present = new boolean[slots];
        double[] value = new double[slots];
        for (int f = 0; f < frames; f++) {
            mdct.forward(pending, f * n, c);
            double[] rawDb = coder.bandDb(c);
            double gain = FrameCoder.gainDb(rawDb);
            AudioCompressor.Kind kind = compressor.classify(gain);
            int base = f * slots;
            if (kind != AudioCompressor.Kind.ACTIVE) {
                silent.add(f);
                int gainToken = coder.gainToken(gain);
                if (kind == AudioCompressor.Kind.SILENCE_START) {
                    positions.add(base);
                    emitted.add(gainToken);
                }
                compressor.silence(kind, gainToken, rawDb);
                continue;
            }
            coder.encodeFrame(c, compressor.held(), compressor.heldValid(), compressor.policy(), tokens, reused, value);
            pruned += compressor.prune(gain, rawDb, tokens, reused, value, sent, present);
            for (int s = 0; s < slots; s++) {
                changed += reused[s] ? 0 : 1;
                if (sent[s]) {
                    positions.add(base + s);
                    emitted.add(tokens[s]);
                } else if (present[s]) {
                    reusedPositions.add(base + s);
                }
            }
        }
        int consumed = frames * n;
        System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
        pendingLength -= consumed;
        nextFrame += frames;

        long firstSample = Math.max(0, (firstFrame - 1) * n);
        long finalizedEnd = endOfStream ? samplesIn : Math.max(0, (firstFrame + frames - 1) * n);
        int sampleCount = (int) Math.max(0, finalizedEnd - firstSample);
        AudioLayout layout = new AudioLayout(codebook.sampleRate(), n, slots, firstFrame, frames, firstSample,
                sampleCount, silent.toArray(), endOfStream);
        int total = frames * slots;
        int[] pos = positions.toArray();
        TokenPacket packet = new TokenPacket(seq, total > 0 && pos.length == total, total, 1, pos, emitted.toArray(),
                reusedPositions.toArray(), pruned, changed, System.nanoTime() - start);
        lastSeq = seq;
        return new Encoded<>(packet, layout);
    }

    @Override
    public byte[] snapshot() {
        int resamplerBytes = resampler == null ? 0 : resampler.stateBytes();
        boolean integral = integral();
        int pendingBytes = 4 + 1 + pendingLength * (integral ? 2 : 4);
        ByteBuffer out = AudioStateHeader.write(AudioStateHeader.ROLE_ENCODER, codebook.hash(), lastSeq,
                4 + resamplerBytes + 16 + pendingBytes + compressor.stateBytes());
        out.putInt(resampler == null ? 0 : resampler.inRate());
        if (resampler != null) {
            resampler.write(out);
        }
        out.putLong(nextFrame).putLong(samplesIn);
        out.putInt(pendingLength).put((byte) (integral ? 1 : 0));
        for (int i = 0; i < pendingLength; i++) {
            if (integral) {
                out.putShort((short) pending[i]);
            } else {
                out.putFloat(pending[i]);
            }
        }
        compressor.write(out);
        return out.array();
    }

    private boolean integral() {
        for (int i = 0; i < pendingLength; i++) {
            float v = pending[i];
            if (v != Math.rint(v) || v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void restore(byte[] snapshot) {
        ByteBuffer in = AudioStateHeader.read(snapshot, AudioStateHeader.ROLE_ENCODER, codebook.hash());
        try {
            long seq = in.getLong();
            int rate = in.getInt();
            Resampler r = null;
            if (rate != 0) {
                if (rate < PcmChunk.MIN_RATE || rate > PcmChunk.MAX_RATE) {
                    throw new SnapshotFormatException("audio encoder snapshot has input rate " + rate);
                }
                r = new Resampler(rate, codebook.sampleRate());
                r.read(in);
            }
            long frame = in.getLong();
            long received = in.getLong();
            int length = in.getInt();
            boolean integral = in.get() != 0;
            if (frame < 0 || received < 0 || length < 0 || length >= 2 * n) {
                throw new SnapshotFormatException("audio encoder snapshot out of range");
            }
            float[] p = new float[Math.max(4 * n, length)];
            for (int i = 0; i < length; i++) {
                p[i] = integral ? in.getShort() : in.getFloat();
            }
            AudioCompressor c = new AudioCompressor(compression, coder, codebook.bands());
            c.read(in);
            if (in.hasRemaining()) {
                throw new SnapshotFormatException("audio encoder snapshot has " + in.remaining() + " trailing bytes");
            }
            compressor = c;
            resampler = r;
            pending = p;
            pendingLength = length;
            nextFrame = frame;
            samplesIn = received;
            lastSeq = seq;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SnapshotFormatException("audio encoder snapshot truncated or damaged: " + e.getMessage());
        }
    }

    /** A growable int array. */
    static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
