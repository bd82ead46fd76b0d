package dev.weir.codec.audio.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.audio.AudioCodebook;
import dev.weir.codec.audio.AudioDecoder;
import dev.weir.codec.audio.AudioLayout;
import dev.weir.codec.audio.PcmChunk;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The audio decoder (see {@link AudioDecoder}). State: the overlap tail (the second half of the last frame's
 * inverse transform, as floats), the next frame index, the last sent frame's tokens (for reuse) and the
 * comfort-noise level.
 *
 * <p>Snapshot body (after {@link AudioStateHeader}): 8 bytes next frame, N × 4-byte floats of tail, 4 bytes
 * kept slots of the last sent frame (0 = none) and that many 2-byte tokens, 4 bytes comfort-noise gain token
 * (−1 = none).
 */
public final class MdctAudioDecoder implements AudioDecoder {

    private final AudioCodebook codebook;
    private final FrameCoder coder;
    private final Mdct mdct;
    private final int n;
    private final int slots;

    private long nextFrame;
    private float[] tail;
    private int[] lastTokens;
    private int lastKept;
    private int comfortToken;
    private long lastSeq = -1;

    public MdctAudioDecoder(AudioCodebook codebook) {
        this.codebook = Objects.requireNonNull(codebook, "codebook");
        this.coder = new FrameCoder(codebook, null);
        this.n = codebook.hop();
        this.mdct = new Mdct(n);
        this.slots = codebook.slotsPerFrame();
        reset();
    }

    private void reset() {
        nextFrame = 0;
        tail = new float[n];
        lastTokens = new int[slots];
        lastKept = 0;
        comfortToken = -1;
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
    public PcmChunk decode(AudioLayout layout, TokenPacket packet) {
        check(layout, packet);
        if (layout.firstFrame() != nextFrame) {
            // A gap (or a decoder joining late): start from silence at the packet's frame.
            tail = new float[n];
            nextFrame = layout.firstFrame();
        }
        int frames = layout.frameCount();
        int[] kept = new int[frames];
        int[] tokenAt = new int[frames];
        boolean[] reused = new boolean[frames];
        sortPositions(packet, kept, tokenAt, reused);
        double[] ola = new double[(frames + 1) * n];
        for (int i = 0; i < n; i++) {
            ola[i] = tail[i];
        }
        double[] c = new double[n];
        for (int f = 0; f < frames; f++) {
            long frame = layout.firstFrame() + f;
            if (layout.silent(f)) {
                if (kept[f] > 0) {
                    comfortToken = packet.tokens()[tokenAt[f]];
                }
                if (comfortToken < 0) {
                    Arrays.fill(c, 0);
                } else {
                    coder.comfortNoise(comfortToken, frame, c);
                }
            } else if (reused[f]) {
                if (lastKept == 0) {
                    throw new MediaFormatException("audio packet reuses frame tokens the decoder does not hold (frame "
                            + frame + ")");
                }
                coder.synthesize(lastTokens, 0, lastKept, frame, c);
            } else {
                if (kept[f] < coder.mandatorySlots()) {
                    throw new MediaFormatException("audio frame " + frame + " carries " + kept[f]
                            + " tokens; a frame that is neither silent nor reused needs at least " + coder.mandatorySlots());
                }
                System.arraycopy(packet.tokens(), tokenAt[f], lastTokens, 0, kept[f]);
                lastKept = kept[f];
                coder.synthesize(lastTokens, 0, lastKept, frame, c);
            }
            mdct.inverseAdd(c, ola, f * n);
        }
        for (int i = 0; i < n; i++) {
            tail[i] = (float) ola[frames * n + i];
        }
        nextFrame += frames;
        short[] out = new short[layout.sampleCount()];
        // ola[0..frames·n) holds samples [(firstFrame−1)·n, (firstFrame−1+frames)·n); frame 0 starts before 0.
        int skip = (int) (layout.firstSample() - (layout.firstFrame() - 1) * n);
        for (int i = 0; i < out.length; i++) {
            double v = Math.rint(ola[skip + i]);
            out[i] = (short) Math.clamp(v, Short.MIN_VALUE, Short.MAX_VALUE);
        }
        lastSeq = packet.seq();
        if (layout.endOfStream()) {
            reset();
        }
        return PcmChunk.mono16(codebook.sampleRate(), out);
    }

    private void check(AudioLayout layout, TokenPacket packet) {
        if (layout.sampleRate() != codebook.sampleRate() || layout.hopSamples() != n || layout.stagesPerFrame() != slots) {
            throw new MediaFormatException("audio layout " + layout + " does not match the codebook (" + codebook.sampleRate()
                    + " Hz, hop " + n + ", " + slots + " stages per frame)");
        }
        if (packet.tokensPerPosition() != 1 || packet.positionsTotal() != layout.positionsTotal()) {
            throw new MediaFormatException("audio packet has " + packet.positionsTotal() + " positions of "
                    + packet.tokensPerPosition() + " token(s); the layout needs " + layout.positionsTotal() + " of 1");
        }
        long expectedFirst = Math.max(0, (layout.firstFrame() - 1) * n);
        long end = layout.firstSample() + layout.sampleCount();
        long maxEnd = Math.max(0, (layout.firstFrame() + layout.frameCount() - 1) * n);
        boolean countOk = layout.endOfStream() ? end <= maxEnd || layout.frameCount() == 0 && layout.sampleCount() == 0
                : end == maxEnd || layout.frameCount() == 0 && layout.sampleCount() == 0;
        if (layout.firstSample() != expectedFirst || !countOk) {
            throw new MediaFormatException("audio layout samples " + layout.firstSample() + "+" + layout.sampleCount()
                    + " do not match its frames " + layout.firstFrame() + "+" + layout.frameCount());
        }
        for (int i = 0; i < packet.tokens().length; i++) {
            int slot = packet.positions()[i] % slots;
            int t = packet.tokens()[i];
            if (t < 0 || t >= codebook.slotSize(slot)) {
                throw new MediaFormatException("audio token " + t + " at position " + packet.positions()[i]
                        + " is outside slot " + slot + "'s codebook of " + codebook.slotSize(slot));
            }
        }
    }

    /** Per frame: how many slots (a prefix) the packet carries, where its tokens start, and whether it is reused. */
    private void sortPositions(TokenPacket packet, int[] kept, int[] tokenAt, boolean[] reused) {
        int[] positions = packet.positions();
        for (int i = 0; i < positions.length; i++) {
            int f = positions[i] / slots;
            int s = positions[i] % slots;
            if (s != kept[f]) {
                throw new MediaFormatException("audio frame " + f + " of the packet skips stage " + kept[f]
                        + " (stages must be a prefix: the pruner drops the finest first)");
            }
            if (s == 0) {
                tokenAt[f] = i;
            }
            kept[f]++;
        }
        for (int p : packet.reusedPositions()) {
            int f = p / slots;
            if (kept[f] > 0) {
                throw new MediaFormatException("audio frame " + f + " of the packet is both sent and reused");
            }
            reused[f] = true;
        }
    }

    @Override
    public byte[] snapshot() {
        ByteBuffer out = AudioStateHeader.write(AudioStateHeader.ROLE_DECODER, codebook.hash(), lastSeq,
                8 + 4 * n + 4 + 2 * lastKept + 4);
        out.putLong(nextFrame);
        for (float v : tail) {
            out.putFloat(v);
        }
        out.putInt(lastKept);
        for (int s = 0; s < lastKept; s++) {
            out.putShort((short) lastTokens[s]);
        }
        out.putInt(comfortToken);
        return out.array();
    }

    @Override
    public void restore(byte[] snapshot) {
        ByteBuffer in = AudioStateHeader.read(snapshot, AudioStateHeader.ROLE_DECODER, codebook.hash());
        try {
            long seq = in.getLong();
            long frame = in.getLong();
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                t[i] = in.getFloat();
            }
            int kept = in.getInt();
            if (frame < 0 || kept < 0 || kept > slots) {
                throw new SnapshotFormatException("audio decoder snapshot out of range");
            }
            int[] tokens = new int[slots];
            for (int s = 0; s < kept; s++) {
                tokens[s] = Short.toUnsignedInt(in.getShort());
                if (tokens[s] >= codebook.slotSize(s)) {
                    throw new SnapshotFormatException("audio decoder snapshot holds token " + tokens[s]
                            + " outside slot " + s + "'s codebook");
                }
            }
            int comfort = in.getInt();
            if (comfort < -1 || comfort >= codebook.gainLevels() || in.hasRemaining()) {
                throw new SnapshotFormatException("audio decoder snapshot damaged (comfort level " + comfort + ", "
                        + in.remaining() + " trailing bytes)");
            }
            nextFrame = frame;
            tail = t;
            lastTokens = tokens;
            lastKept = kept;
            comfortToken = comfort;
            lastSeq = seq;
        } catch (BufferUnderflowException e) {
            throw new SnapshotFormatException("audio decoder snapshot truncated");
        }
    }
}
