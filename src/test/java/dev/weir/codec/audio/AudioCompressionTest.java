package dev.weir.codec.audio;

import dev.weir.codec.Encoded;
import dev.weir.codec.TokenPacket;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cacher (silence and reuse) and the pruner, on the bundled speech. */
class AudioCompressionTest {

    private static VideoKernels kernels;
    private static AudioCodebook codebook;
    private static final float[] SPEECH = TestAudio.speech().mono();

    @BeforeAll
    static void open() {
        kernels = Kernels.video("jvm");
        codebook = AudioCodebook.defaultCodebook();
    }

    @AfterAll
    static void close() {
        kernels.close();
    }

    @Test
    void silenceSendsOneTokenThenNothingAndPlaysQuietComfortNoise() {
        // given speech, then 1.5 s of a faint hiss (about 70 dB below the speech), then the speech again
        float[] hiss = new float[24000];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < hiss.length; i++) {
            hiss[i] = (float) (3 * r.nextGaussian());
        }
        float[] x = concat(SPEECH, hiss, SPEECH);
        AudioCompressionConfig dtxOnly = AudioCompressionConfig.none().withSilence(true);

        // when it is encoded with the silence detector only, in 100 ms chunks
        TestAudio.Stream s = run(dtxOnly, x, 1600);

        // then the hiss becomes one silence run: its first frame sends one token (the gain), the rest nothing
        int slots = codebook.slotsPerFrame();
        int silentFrames = 0;
        int silentTokens = 0;
        for (Encoded<AudioLayout> e : s.packets) {
            for (int f : e.layout().silentFrames()) {
                silentFrames++;
                for (int p : e.packet().positions()) {
                    silentTokens += p / slots == f ? 1 : 0;
                }
            }
        }
        assertTrue(silentFrames > 60, silentFrames + " silent frames in 1.5 s of hiss");
        assertEquals(1, silentTokens);
        // and the decoder plays comfort noise at about the hiss's level there, not the speech's
        double rms = 0;
        for (int i = SPEECH.length + 4000; i < SPEECH.length + 20000; i++) {
            rms += (double) s.decoded[i] * s.decoded[i];
        }
        rms = Math.sqrt(rms / 16000);
        assertTrue(rms > 0.5 && rms < 12, "comfort noise RMS " + rms);
        // and the speech around it is still sent in full
        assertEquals(x.length, s.decoded.length);
    }

    @Test
    void reusingOnlyIdenticalTokensChangesNothing() {
        // given a cacher that keeps a held token only when it is the best anyway (no slack)
        AudioCompressionConfig exact = AudioCompressionConfig.none().withReuse(true, 0, 0, 0, 0);

        // when the speech is encoded with it and without compression
        TestAudio.Stream cached = run(exact, SPEECH, 3200);
        TestAudio.Stream full = run(AudioCompressionConfig.none(), SPEECH, 3200);

        // then it sends fewer tokens and decodes to exactly the same samples
        assertTrue(cached.tokens() < full.tokens(), cached.tokens() + " vs " + full.tokens());
        assertArrayEquals(full.decoded, cached.decoded);
        // and what it did not send is listed as reused
        long reused = cached.packets.stream().mapToLong(e -> e.packet().reusedPositions().length).sum();
        assertEquals(full.tokens() - cached.tokens(), reused);
    }

    @Test
    void defaultsSendFewerTokensForLittleLoss() {
        // when the speech is encoded with the defaults and without compression, in 200 ms chunks
        TestAudio.Stream ours = run(AudioCompressionConfig.defaults(), SPEECH, 3200);
        TestAudio.Stream full = run(AudioCompressionConfig.none(), SPEECH, 3200);

        // then at least 35% fewer tokens go out (measured: 38.1% on this clip), segmental SNR within 0.5 dB and
        // STOI within 0.01 of the uncompressed tokenizer
        double ratio = (double) ours.tokens() / full.tokens();
        double segSnrLoss = AudioMetrics.segSnrDb(SPEECH, full.decodedFloats(), 16000)
                - AudioMetrics.segSnrDb(SPEECH, ours.decodedFloats(), 16000);
        double stoiLoss = Stoi.compute(SPEECH, full.decodedFloats(), 16000)
                - Stoi.compute(SPEECH, ours.decodedFloats(), 16000);
        assertTrue(ratio < 0.65, "token ratio " + ratio);
        assertTrue(segSnrLoss < 0.5, "segSNR loss " + segSnrLoss);
        assertTrue(stoiLoss < 0.01, "STOI loss " + stoiLoss);
    }

    @Test
    void aTightBudgetCapsTheRateAndPrunesFinestStagesFirst() {
        // given a budget of 200 tokens/s with a bank of half a second (full rate is 750 tokens/s)
        double rate = 200;
        double bankSeconds = 0.5;
        AudioCompressionConfig tight = AudioCompressionConfig.none()
                .withBudget(new dev.weir.codec.compress.Budget.Rate(rate, AudioCompressionConfig.FRAMES_PER_SECOND, bankSeconds));

        // when the speech is encoded in 100 ms chunks
        TestAudio.Stream s = run(tight, SPEECH, 1600);

        // then over the stream at most bank + frames · rate/50 tokens went out
        long frames = s.packets.stream().mapToLong(e -> e.layout().frameCount()).sum();
        assertTrue(s.tokens() <= rate * bankSeconds + frames * rate / 50, s.tokens() + " tokens in " + frames + " frames");
        // and every frame kept its gain and first envelope token, and a shape stage only after the one it refines
        int slots = codebook.slotsPerFrame();
        int regions = codebook.regions();
        long pruned = 0;
        for (Encoded<AudioLayout> e : s.packets) {
            TokenPacket p = e.packet();
            pruned += p.prunedCount();
            boolean[] sent = new boolean[p.positionsTotal()];
            for (int pos : p.positions()) {
                sent[pos] = true;
            }
            for (int f = 0; f < e.layout().frameCount(); f++) {
                assertTrue(sent[f * slots] && sent[f * slots + 1], "frame " + f + " lost a mandatory token");
                for (int slot = 3 + regions; slot < slots; slot++) {
                    assertTrue(!sent[f * slots + slot] || sent[f * slots + slot - regions], "stage without its parent");
                }
            }
        }
        assertTrue(pruned > 0);
        // and the speech is still intelligible-ish from gain, envelope and the stages that survived
        assertTrue(Stoi.compute(SPEECH, s.decodedFloats(), 16000) > 0.7);
    }

    private static TestAudio.Stream run(AudioCompressionConfig c, float[] x, int chunk) {
        PcmChunk clip = TestAudio.pcm16(16000, x);
        int n = clip.frames();
        int[] cuts = new int[(n + chunk - 1) / chunk];
        Arrays.fill(cuts, chunk);
        cuts[cuts.length - 1] = n - chunk * (cuts.length - 1);
        return TestAudio.run(AudioEncoder.create(codebook, kernels, c), AudioDecoder.create(codebook), clip, cuts);
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
