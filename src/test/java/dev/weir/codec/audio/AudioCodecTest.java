package dev.weir.codec.audio;

import dev.weir.codec.Encoded;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audio encoder and decoder with the built-in codebook, on the real speech of samples/. */
class AudioCodecTest {

    private static VideoKernels kernels;
    private static AudioCodebook codebook;

    @BeforeAll
    static void open() {
        kernels = Kernels.video("jvm-scalar");
        codebook = AudioCodebook.defaultCodebook();
    }

    @AfterAll
    static void close() {
        kernels.close();
    }

    // SHA-256 of the tokens of the bundled speech in one chunk (then finish), built-in codebook. They pin the
    // whole pipeline (resampler, MDCT, normalization, search, cacher, pruner): a change that alters every
    // backend alike shows here. Re-pin only for a deliberate tokenizer change (and bump its version).
    static final String GOLDEN_FULL = "bd9c4dfe0491b777392578eb5ba7dccdfbf68da616bc4654920b0c3660cbc2bf";
    static final String GOLDEN_COMPRESSED = "54e3ff83e4074a187d8b833e6cf191dd01adecdcef644991aab9d79960374ce5";

    @Test
    void goldenTokensOfRealSpeechAreTheSameOnEveryBackend() throws Exception {
        // given the bundled speech
        PcmChunk speech = TestAudio.speech();

        // when it is tokenized on the scalar reference and on the Vector API backend, with and without compression
        String fullScalar = tokenHash(kernels, speech, AudioCompressionConfig.none());
        String compressedScalar = tokenHash(kernels, speech, AudioCompressionConfig.defaults());
        String fullJvm;
        String compressedJvm;
        try (VideoKernels jvm = Kernels.video("jvm")) {
            fullJvm = tokenHash(jvm, speech, AudioCompressionConfig.none());
            compressedJvm = tokenHash(jvm, speech, AudioCompressionConfig.defaults());
        }

        // then both backends give the pinned tokens
        assertEquals(GOLDEN_FULL, fullScalar);
        assertEquals(GOLDEN_FULL, fullJvm);
        assertEquals(GOLDEN_COMPRESSED, compressedScalar);
        assertEquals(GOLDEN_COMPRESSED, compressedJvm);
    }

    private static String tokenHash(VideoKernels k, PcmChunk clip, AudioCompressionConfig c) throws Exception {
        AudioEncoder encoder = AudioEncoder.create(codebook, k, c);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Encoded<AudioLayout> e : new Encoded[]{encoder.encode(0, clip), encoder.finish(1)}) {
            for (int[] a : new int[][]{e.packet().positions(), e.packet().tokens(), e.packet().reusedPositions()}) {
                for (int v : a) {
                    sha.update(new byte[]{(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
                }
                sha.update((byte) '|');
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void packetsFollowTheTokenPacketContract() {
        // given an uncompressed encoder and the speech in 200 ms chunks
        PcmChunk speech = TestAudio.speech();
        AudioEncoder encoder = AudioEncoder.create(codebook, kernels, AudioCompressionConfig.none());
        int slots = codebook.slotsPerFrame();

        // when the first chunk is encoded
        Encoded<AudioLayout> e = encoder.encode(7, TestAudio.slice(speech, 0, 3200));

        // then it carries the 10 frames that 200 ms complete (frame t needs samples up to (t+1)·320), every slot
        TokenPacket p = e.packet();
        AudioLayout l = e.layout();
        assertEquals(7, p.seq());
        assertEquals(10, l.frameCount());
        assertEquals(0, l.firstFrame());
        assertEquals(16000, l.sampleRate());
        assertEquals(320, l.hopSamples());
        assertEquals(slots, l.stagesPerFrame());
        assertEquals(10 * slots, p.positionsTotal());
        assertEquals(1, p.tokensPerPosition());
        assertTrue(p.keyframe());
        for (int i = 0; i < p.positionCount(); i++) {
            assertEquals(i, p.positions()[i]);
            int t = p.tokens()[i];
            assertTrue(t >= 0 && t < codebook.slotSize(i % slots), "token " + t + " at " + i);
        }
        // and it finalizes samples [0, 9·320): the last frame's second half waits for the next frame
        assertEquals(0, l.firstSample());
        assertEquals(9 * 320, l.sampleCount());
        // and the tokenizer names the codebook
        assertEquals("audio-mdct-rvq", encoder.tokenizer().id());
        assertEquals(codebook.hash(), encoder.tokenizer().codebookHash());
    }

    @Test
    void oneChunkAndThirtySevenOddChunksDecodeToTheSameSamples() {
        // given the 16 kHz speech
        PcmChunk speech = TestAudio.speech();
        int n = speech.frames();

        // when it is encoded in one chunk and in 37 odd-sized chunks, each stream decoded packet by packet
        TestAudio.Stream whole = TestAudio.run(encoder(), decoder(), speech, new int[]{n});
        TestAudio.Stream cut = TestAudio.run(encoder(), decoder(), speech, TestAudio.oddCuts(n, 37, 11));

        // then the decoded samples are identical and as many as went in
        assertEquals(n, whole.decoded.length);
        assertArrayEquals(whole.decoded, cut.decoded);
        // and the decoded signal lines up with the input (no delay): it is closer to it than to a shifted copy
        float[] x = speech.mono();
        float[] y = whole.decodedFloats();
        assertTrue(AudioMetrics.snrDb(x, y) > 2, "SNR " + AudioMetrics.snrDb(x, y));
        assertTrue(AudioMetrics.snrDb(x, y) > AudioMetrics.snrDb(Arrays.copyOfRange(x, 40, n),
                Arrays.copyOfRange(y, 0, n - 40)) + 2);
    }

    @Test
    void resampledInputIsChunkInvariantToo() {
        // given the speech played at 44.1 kHz (resampled up) and as 48 kHz stereo floats
        PcmChunk speech = TestAudio.speech();
        float[] up441 = AudioEvaluation.resample(speech, 44100);
        PcmChunk at441 = TestAudio.pcm16(44100, up441);
        float[] up48 = AudioEvaluation.resample(speech, 48000);
        float[] quieter = new float[up48.length];
        for (int i = 0; i < up48.length; i++) {
            quieter[i] = 0.5f * up48[i];
        }
        PcmChunk stereo48 = TestAudio.stereoF32(48000, up48, quieter);

        for (PcmChunk clip : new PcmChunk[]{at441, stereo48}) {
            // when each is encoded whole and in 37 odd chunks
            int n = clip.frames();
            TestAudio.Stream whole = TestAudio.run(encoder(), decoder(), clip, new int[]{n});
            TestAudio.Stream cut = TestAudio.run(encoder(), decoder(), clip, TestAudio.oddCuts(n, 37, 5));

            // then both decode to the same 16 kHz samples, ⌈n·16000/rate⌉ of them
            assertArrayEquals(whole.decoded, cut.decoded, "at " + clip.sampleRate());
            assertEquals((int) Math.ceil(n * 16000.0 / clip.sampleRate()), whole.decoded.length);
        }
    }

    @Test
    void aTwentyFourKilohertzTokenizerDecodesAtTwentyFourKilohertz() {
        // given a small codebook trained at 24 kHz (480-sample hop, bands up to 12 kHz) and the speech at 44.1 kHz
        AudioCodebook cb24 = new AudioCodebookTrainer(new AudioCodebookTrainer.Options(24000, new int[]{16},
                new int[]{8}, 2, 1000, 1L), kernels).train("t24", List.of(TestAudio.speech()));
        PcmChunk at441 = TestAudio.pcm16(44100, AudioEvaluation.resample(TestAudio.speech(), 44100));
        int n = at441.frames();

        // when it is encoded whole and in 37 odd chunks
        TestAudio.Stream whole = TestAudio.run(AudioEncoder.create(cb24, kernels, AudioCompressionConfig.none()),
                AudioDecoder.create(cb24), at441, new int[]{n});
        TestAudio.Stream cut = TestAudio.run(AudioEncoder.create(cb24, kernels, AudioCompressionConfig.defaults()),
                AudioDecoder.create(cb24), at441, TestAudio.oddCuts(n, 37, 2));

        // then the frames are 20 ms at 24 kHz, the output is 24 kHz and as long as the input
        assertEquals(480, cb24.hop());
        assertEquals(24000, whole.packets.get(0).layout().sampleRate());
        assertEquals((int) Math.ceil(n * 24000.0 / 44100), whole.decoded.length);
        assertEquals(whole.decoded.length, cut.decoded.length);
        // and the decoded speech follows the input
        float[] reference = AudioEvaluation.resample(at441, 24000);
        assertTrue(AudioMetrics.segSnrDb(reference, whole.decodedFloats(), 24000) > 0);
    }

    @Test
    void snapshotsRestoreMidStreamToByteIdenticalOutput() {
        // given an encoder and a decoder a third of the way into the speech (compression on)
        PcmChunk speech = TestAudio.speech();
        int[] cuts = TestAudio.oddCuts(speech.frames(), 12, 3);
        AudioEncoder a = AudioEncoder.create(codebook, kernels, AudioCompressionConfig.defaults());
        AudioDecoder da = decoder();
        int at = 0;
        for (int i = 0; i < 4; i++) {
            Encoded<AudioLayout> e = a.encode(i, TestAudio.slice(speech, at, cuts[i]));
            da.decode(e.layout(), e.packet());
            at += cuts[i];
        }

        // when fresh codecs restore their snapshots
        AudioEncoder b = AudioEncoder.create(codebook, kernels, AudioCompressionConfig.defaults());
        AudioDecoder db = decoder();
        b.restore(a.snapshot());
        db.restore(da.snapshot());

        // then both pairs produce byte-identical packets and samples for the rest of the stream
        for (int i = 4; i <= cuts.length; i++) {
            Encoded<AudioLayout> ea;
            Encoded<AudioLayout> eb;
            if (i < cuts.length) {
                PcmChunk chunk = TestAudio.slice(speech, at, cuts[i]);
                at += cuts[i];
                ea = a.encode(i, chunk);
                eb = b.encode(i, chunk);
            } else {
                ea = a.finish(i);
                eb = b.finish(i);
            }
            assertEquals(withoutTime(ea.packet()), withoutTime(eb.packet()));
            assertEquals(ea.layout(), eb.layout());
            assertArrayEquals(da.decode(ea.layout(), ea.packet()).data(), db.decode(eb.layout(), eb.packet()).data());
        }
        // and the snapshots stay small: a few KB
        assertTrue(a.snapshot().length < 4096, "encoder snapshot " + a.snapshot().length);
        assertTrue(da.snapshot().length < 2048, "decoder snapshot " + da.snapshot().length);
    }

    private static TokenPacket withoutTime(TokenPacket p) {
        return new TokenPacket(p.seq(), p.keyframe(), p.positionsTotal(), p.tokensPerPosition(), p.positions(),
                p.tokens(), p.reusedPositions(), p.prunedCount(), p.positionsChanged(), 0);
    }

    @Test
    void damagedOrForeignSnapshotsAreRefusedAndLeaveTheStateAlone() {
        // given an encoder and a decoder in mid-stream
        PcmChunk speech = TestAudio.speech();
        AudioEncoder encoder = encoder();
        AudioDecoder decoder = decoder();
        Encoded<AudioLayout> e = encoder.encode(0, TestAudio.slice(speech, 0, 5000));
        decoder.decode(e.layout(), e.packet());
        byte[] encoderState = encoder.snapshot();
        byte[] decoderState = decoder.snapshot();

        // when damaged, truncated and swapped snapshots are restored
        byte[] badMagic = encoderState.clone();
        badMagic[0] = 'X';
        assertThrows(SnapshotFormatException.class, () -> encoder.restore(badMagic));
        assertThrows(SnapshotFormatException.class, () -> encoder.restore(Arrays.copyOf(encoderState, 100)));
        assertThrows(SnapshotFormatException.class, () -> encoder.restore(decoderState));
        assertThrows(SnapshotFormatException.class, () -> decoder.restore(encoderState));
        assertThrows(SnapshotFormatException.class, () -> decoder.restore(Arrays.copyOf(decoderState, decoderState.length + 1)));

        // then the states are what they were
        assertArrayEquals(encoderState, encoder.snapshot());
        assertArrayEquals(decoderState, decoder.snapshot());
    }

    @Test
    void aTinyChunkYieldsAnEmptyPacketAndFinishFlushesTheTail() {
        // given a fresh encoder
        AudioEncoder encoder = encoder();
        AudioDecoder decoder = decoder();

        // when a chunk of 100 samples arrives (a frame needs 320 more than the 320 zeros before sample 0)
        PcmChunk tiny = TestAudio.slice(TestAudio.speech(), 8000, 100);
        Encoded<AudioLayout> e = encoder.encode(0, tiny);

        // then the packet has no frames and finalizes nothing
        assertEquals(0, e.layout().frameCount());
        assertEquals(0, e.packet().positionsTotal());
        assertEquals(0, decoder.decode(e.layout(), e.packet()).frames());

        // and finish pads, emits the last frames and finalizes exactly the 100 samples
        Encoded<AudioLayout> end = encoder.finish(1);
        assertTrue(end.layout().endOfStream());
        assertEquals(2, end.layout().frameCount());
        assertEquals(100, decoder.decode(end.layout(), end.packet()).frames());
        // and the encoder starts a new stream afterwards
        assertEquals(0, encoder.encode(2, tiny).layout().firstFrame());
    }

    @Test
    void packetsThatDoNotFitAreRefused() {
        // given a packet of real tokens
        AudioEncoder encoder = encoder();
        Encoded<AudioLayout> e = encoder.encode(0, TestAudio.slice(TestAudio.speech(), 0, 3200));
        AudioLayout l = e.layout();
        TokenPacket p = e.packet();

        // then a layout with another rate, a token beyond its codebook, and a frame without its gain are refused
        AudioLayout otherRate = new AudioLayout(24000, 480, l.stagesPerFrame(), 0, l.frameCount(), 0, l.sampleCount(),
                new int[0], false);
        assertThrows(MediaFormatException.class, () -> decoder().decode(otherRate, p));
        int[] tokens = p.tokens().clone();
        tokens[0] = codebook.slotSize(0);
        TokenPacket outOfRange = new TokenPacket(0, true, p.positionsTotal(), 1, p.positions(), tokens,
                new int[0], 0, 0, 0);
        assertThrows(MediaFormatException.class, () -> decoder().decode(l, outOfRange));
        int[] positions = Arrays.copyOfRange(p.positions(), 1, p.positionCount());
        TokenPacket noGain = new TokenPacket(0, false, p.positionsTotal(), 1, positions,
                Arrays.copyOfRange(p.tokens(), 1, p.positionCount()), new int[0], 0, 0, 0);
        AudioDecoder decoder = decoder();
        byte[] fresh = decoder.snapshot();
        assertThrows(MediaFormatException.class, () -> decoder.decode(l, noGain));
        // and a refused packet leaves the decoder as it was
        assertArrayEquals(fresh, decoder.snapshot());
        assertEquals(l.sampleCount(), decoder.decode(l, p).frames());
    }

    @Test
    void anEndOfStreamFlagOnTheLastChunkFlushesInOnePacket() {
        // given the speech cut in two, encoded once with encode + finish and once with the flag on the last chunk
        PcmChunk speech = TestAudio.speech();
        PcmChunk head = TestAudio.slice(speech, 0, 20000);
        PcmChunk tail = TestAudio.slice(speech, 20000, speech.frames() - 20000);
        AudioEncoder a = encoder();
        AudioDecoder da = decoder();
        TestAudio.Stream separate = new TestAudio.Stream();
        separate.add(a.encode(0, head), da);
        separate.add(a.encode(1, tail), da);
        separate.add(a.finish(2), da);
        AudioEncoder b = encoder();
        AudioDecoder db = decoder();
        TestAudio.Stream flagged = new TestAudio.Stream();
        flagged.add(b.encode(0, head, false), db);
        flagged.add(b.encode(1, tail, true), db);

        // then both decode to the same samples, the flagged stream in one packet fewer, ending the stream
        assertArrayEquals(separate.decoded, flagged.decoded);
        assertEquals(2, flagged.packets.size());
        assertTrue(flagged.packets.get(1).layout().endOfStream());
    }

    @Test
    void aChangeOfInputRateMidStreamKeepsEverySample() {
        // given 16 kHz speech, then the same speech at 48 kHz, in one stream
        PcmChunk speech = TestAudio.speech();
        PcmChunk at48 = TestAudio.pcm16(48000, AudioEvaluation.resample(speech, 48000));
        AudioEncoder encoder = encoder();
        TestAudio.Stream s = new TestAudio.Stream();

        // when both are encoded one after the other and the stream finished
        AudioDecoder decoder = decoder();
        s.add(encoder.encode(0, speech), decoder);
        s.add(encoder.encode(1, at48), decoder);
        s.add(encoder.finish(2), decoder);

        // then the output holds both parts at 16 kHz, nothing dropped
        assertEquals(speech.frames() + (int) Math.ceil(at48.frames() / 3.0), s.decoded.length);
    }

    private static AudioEncoder encoder() {
        return AudioEncoder.create(codebook, kernels, AudioCompressionConfig.none());
    }

    private static AudioDecoder decoder() {
        return AudioDecoder.create(codebook);
    }

    static boolean anyNonZero(short[] s) {
        for (short v : s) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    static void assertSilent(short[] s, int limit) {
        for (short v : s) {
            assertFalse(Math.abs(v) > limit, "sample " + v + " above " + limit);
        }
    }

    @Test
    void aDecoderResumesAfterAGapAndSoonSoundsLikeOneThatMissedNothing() {
        // given the speech in 200 ms chunks (compression on), decoded once in full
        PcmChunk speech = TestAudio.speech();
        int chunk = speech.sampleRate() / 5;
        AudioEncoder encoder = AudioEncoder.create(codebook, kernels, AudioCompressionConfig.defaults());
        List<Encoded<AudioLayout>> packets = new ArrayList<>();
        for (int at = 0, i = 0; at < speech.frames(); at += chunk, i++) {
            packets.add(encoder.encode(i, TestAudio.slice(speech, at, Math.min(chunk, speech.frames() - at))));
        }
        AudioDecoder whole = decoder();
        List<short[]> reference = packets.stream().map(e -> whole.decode(e.layout(), e.packet()).shorts()).toList();

        // when one decoder loses packet 4 and another joins at packet 7
        AudioDecoder gapped = decoder();
        AudioDecoder late = decoder();
        Map<Integer, short[]> afterGap = new TreeMap<>();
        Map<Integer, short[]> afterJoin = new TreeMap<>();
        for (int i = 0; i < packets.size(); i++) {
            Encoded<AudioLayout> e = packets.get(i);
            if (i != 4) {
                afterGap.put(i, gapped.decode(e.layout(), e.packet()).shorts());
            }
            if (i >= 7) {
                afterJoin.put(i, late.decode(e.layout(), e.packet()).shorts());
            }
        }

        // then every packet they got still gives exactly its samples, and what follows the gap sounds the same
        // within two packets: the stream's stages are sent again soon, and the rest is bit-exact or nearly
        for (var out : List.of(afterGap, afterJoin)) {
            out.forEach((i, s) -> assertEquals(reference.get(i).length, s.length, "packet " + i));
        }
        assertArrayEquals(reference.get(3), afterGap.get(3), "before the gap nothing changes");
        for (int i = 7; i < packets.size(); i++) {
            assertTrue(closeTo(reference.get(i), afterGap.get(i)), "after the gap, packet " + i);
            assertTrue(i < 9 || closeTo(reference.get(i), afterJoin.get(i)), "after joining, packet " + i);
        }
    }

    /** The difference carries under 1% of the reference's energy (20 dB SNR). */
    private static boolean closeTo(short[] reference, short[] decoded) {
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < reference.length; i++) {
            signal += (double) reference[i] * reference[i];
            noise += (double) (reference[i] - decoded[i]) * (reference[i] - decoded[i]);
        }
        return noise <= 0.01 * signal;
    }
}
