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
 * inverse transform, as floats), the next frame index, the token each slot holds (the last sent there, for
 * reused positions) and the comfort-noise level.
 *
 * <p>A packet whose first frame is not the next one follows a gap (batches lost, or a decoder that joined the
 * stream late): the decoder resumes there rather than wait for a keyframe audio seldom has. It starts the overlap
 * from silence and marks every slot's token as lost; a frame that reuses a lost token leaves that stage out (a
 * coarser frame), and a frame whose gain or envelope is lost is silent, until the encoder sends them again. A
 * reuse of a token never sent, with no gap to explain it, is still a damaged packet.
 *
 * <p>Snapshot body (after {@link AudioStateHeader}): 8 bytes next frame, N × 4-byte floats of tail, per slot
 * 1 byte holding (0 none, 1 held, 2 lost in a gap) and the 2-byte token, 4 bytes comfort-noise gain token
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
    private int[] held;
    private byte[] holding;
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
        held = new int[slots];
        holding = new byte[slots];
        comfortToken = -1;
    }

    private static final byte NONE = 0;
    private static final byte HELD = 1;
    private static final byte LOST = 2;

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
        boolean gap = layout.firstFrame() != nextFrame;
        float[] overlap = gap ? new float[n] : tail.clone(); // a gap starts from silence
        int[] tokens = held.clone();
        byte[] hold = gap ? lostAll() : holding.clone();
        int comfort = gap ? -1 : comfortToken;
        int frames = layout.frameCount();
        byte[] state = slotStates(packet, frames);
        short[] out = new short[layout.sampleCount()];
        // Frame f finalizes samples [(firstFrame + f − 1)·n, (firstFrame + f)·n); frame 0 of a stream only [−n, 0).
        long outStart = layout.firstSample();
        double[] window = new double[2 * n];
        double[] c = new double[n];
        boolean[] present = new boolean[slots];
        boolean[] lost = new boolean[slots];
        int next = 0; // index of the next sent token
        for (int f = 0; f < frames; f++) {
            long frame = layout.firstFrame() + f;
            for (int s = 0; s < slots; s++) {
                byte st = state[f * slots + s];
                if (st == SENT) {
                    tokens[s] = packet.tokens()[next++];
                    hold[s] = HELD;
                } else if (st == REUSED && hold[s] == NONE) {
                    throw new MediaFormatException("audio packet reuses the token of stage " + s + " at frame " + frame
                            + ", which the decoder does not hold");
                }
                present[s] = st == SENT || st == REUSED && hold[s] == HELD;
                lost[s] = st == REUSED && hold[s] == LOST;
            }
            if (layout.silent(f)) {
                if (present[0]) {
                    comfort = tokens[0];
                }
                if (comfort < 0) {
                    Arrays.fill(c, 0);
                } else {
                    coder.comfortNoise(comfort, frame, c);
                }
            } else if (lost[0] || lost[1]) {
                Arrays.fill(c, 0); // resuming after a gap: this frame's level or envelope is not known yet
            } else {
                if (!present[0] || !present[1]) {
                    throw new MediaFormatException("audio frame " + frame + " lacks its gain or envelope token; a frame"
                            + " that is not silent needs both (sent or reused)");
                }
                coder.synthesize(tokens, present, frame, c);
            }
            for (int i = 0; i < n; i++) {
                window[i] = overlap[i];
                window[n + i] = 0;
            }
            mdct.inverseAdd(c, window, 0);
            long first = (frame - 1) * n;
            for (int i = 0; i < n; i++) {
                long at = first + i - outStart;
                if (at >= 0 && at < out.length) {
                    out[(int) at] = (short) Math.clamp(Math.rint(window[i]), Short.MIN_VALUE, Short.MAX_VALUE);
                }
                overlap[i] = (float) window[n + i];
            }
        }
        tail = overlap;
        held = tokens;
        holding = hold;
        comfortToken = comfort;
        nextFrame = layout.firstFrame() + frames;
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

    /** After a gap: every slot's token is stale. */
    private byte[] lostAll() {
        byte[] hold = new byte[slots];
        Arrays.fill(hold, LOST);
        return hold;
    }

    private static final byte ABSENT = 0;
    private static final byte SENT = 1;
    private static final byte REUSED = 2;

    /** The state of every (frame, slot) position of the packet. */
    private byte[] slotStates(TokenPacket packet, int frames) {
        byte[] state = new byte[frames * slots];
        for (int p : packet.positions()) {
            state[p] = SENT;
        }
        for (int p : packet.reusedPositions()) {
            if (state[p] == SENT) {
                throw new MediaFormatException("audio position " + p + " is both sent and reused");
            }
            state[p] = REUSED;
        }
        return state;
    }

    @Override
    public byte[] snapshot() {
        ByteBuffer out = AudioStateHeader.write(AudioStateHeader.ROLE_DECODER, codebook.hash(), lastSeq,
                8 + 4 * n + 3 * slots + 4);
        out.putLong(nextFrame);
        for (float v : tail) {
            out.putFloat(v);
        }
        for (int s = 0; s < slots; s++) {
            out.put(holding[s]).putShort((short) held[s]);
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
            if (frame < 0) {
                throw new SnapshotFormatException("audio decoder snapshot out of range");
            }
            int[] tokens = new int[slots];
            byte[] hold = new byte[slots];
            for (int s = 0; s < slots; s++) {
                hold[s] = in.get();
                tokens[s] = Short.toUnsignedInt(in.getShort());
                if (hold[s] < NONE || hold[s] > LOST || tokens[s] >= codebook.slotSize(s)) {
                    throw new SnapshotFormatException("audio decoder snapshot holds token " + tokens[s] + " (state "
                            + hold[s] + ") outside slot " + s + "'s codebook");
                }
            }
            int comfort = in.getInt();
            if (comfort < -1 || comfort >= codebook.gainLevels() || in.hasRemaining()) {
                throw new SnapshotFormatException("audio decoder snapshot damaged (comfort level " + comfort + ", "
                        + in.remaining() + " trailing bytes)");
            }
            nextFrame = frame;
            tail = t;
            held = tokens;
            holding = hold;
            comfortToken = comfort;
            lastSeq = seq;
        } catch (BufferUnderflowException e) {
            throw new SnapshotFormatException("audio decoder snapshot truncated");
        }
    }
}
