package dev.weir.codec.audio;

import dev.weir.codec.Encoded;
import dev.weir.codec.audio.internals.OpusAnchor;
import dev.weir.codec.audio.internals.Resampler;
import dev.weir.kernels.VectorKernels;

import java.util.Arrays;

/**
 * Offline evaluation of the audio codec on a clip, with the same {@link AudioEncoder} and {@link AudioDecoder}
 * the topology runs and no Kafka: the clip is cut into chunks of {@code chunkMs}, each chunk encoded and its
 * packet decoded at once, the stream finished, and the decoded samples compared with the reference (the
 * clip downmixed and resampled to the tokenizer's rate by the encoder's own resampler; the codec's output is
 * aligned with it sample for sample). In the same run: the tokenizer without compression, and Opus
 * (Concentus) at 6 kbps and at the bitrate nearest ours that it allows, on the same reference.
 */
public final class AudioEvaluation {

    /** Opus's lowest bitrate (RFC 6716 §2.1.1 gives 6 kb/s as the low end). */
    public static final int OPUS_MIN_BITRATE = 6000;
    /** Encoding and decoding are timed in CPU time of the calling thread: one core, whatever else runs. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Seconds of audio encoded (per configuration) to warm the JIT up before the timed run. */
    public static final double WARM_UP_SECONDS = 60;

    private AudioEvaluation() {
    }

    /** Evaluates {@code clip} cut into {@code chunkMs} chunks, compressed with {@code compression}. */
    public static AudioEvalReport run(PcmChunk clip, AudioCodebook codebook, VectorKernels kernels,
                                      AudioCompressionConfig compression, int chunkMs) {
        return run(clip, codebook, kernels, compression, chunkMs, WARM_UP_SECONDS);
    }

    /**
     * As above, first warming the JIT up with untimed passes of each configuration until {@code warmUpSeconds} of
     * audio went through it (the Vector API search needs thousands of calls before C2 compiles it).
     */
    public static AudioEvalReport run(PcmChunk clip, AudioCodebook codebook, VectorKernels kernels,
                                      AudioCompressionConfig compression, int chunkMs, double warmUpSeconds) {
        if (chunkMs < 1) {
            throw new IllegalArgumentException("chunk length must be ≥ 1 ms: " + chunkMs);
        }
        int rate = codebook.sampleRate();
        float[] reference = resample(clip, rate);
        if (reference.length == 0) {
            throw new dev.weir.codec.MediaFormatException("the clip has no samples");
        }
        double seconds = (double) reference.length / rate;
        // Warm up the JIT on both paths first, so the run timed is not the first.
        for (double warmed = 0; warmed < warmUpSeconds; warmed += clip.seconds()) {
            pass(clip, codebook, kernels, compression, chunkMs);
            pass(clip, codebook, kernels, AudioCompressionConfig.none(), chunkMs);
        }

        Pass ours = pass(clip, codebook, kernels, compression, chunkMs);
        Pass full = pass(clip, codebook, kernels, AudioCompressionConfig.none(), chunkMs);
        double kbps = ours.bits / seconds / 1000;
        int nearest = (int) Math.max(OPUS_MIN_BITRATE, Math.round(kbps * 1000));
        AudioEvalReport.Anchor opus6 = anchor(reference, rate, OPUS_MIN_BITRATE);
        AudioEvalReport.Anchor opusNear = nearest == OPUS_MIN_BITRATE ? opus6 : anchor(reference, rate, nearest);
        return new AudioEvalReport(seconds, clip.sampleRate(), rate, chunkMs, full.tokens / seconds,
                ours.tokens / seconds, (double) ours.tokens / full.tokens, full.bits / seconds / 1000, kbps,
                AudioMetrics.snrDb(reference, ours.decoded), AudioMetrics.segSnrDb(reference, ours.decoded, rate),
                AudioMetrics.segSnrDb(reference, full.decoded, rate), AudioMetrics.lsdDb(reference, ours.decoded),
                AudioMetrics.lsdDb(reference, full.decoded), Stoi.compute(reference, ours.decoded, rate),
                Stoi.compute(reference, full.decoded, rate), (double) ours.silentFrames / ours.frames,
                (double) ours.reusedPositions / ours.positionsTotal,
                ours.changed == 0 ? 0 : (double) ours.pruned / ours.changed, seconds / (ours.nanos / 1e9),
                (double) ours.encoderSnapshotBytes / ours.packets, (double) ours.decoderSnapshotBytes / ours.packets,
                opus6, opusNear, kernels.backend(), codebook.id(), codebook.hash(), describe(compression));
    }

    /** The clip downmixed and resampled to {@code rate} (the encoder's resampler, flushed). */
    public static float[] resample(PcmChunk clip, int rate) {
        Resampler r = new Resampler(clip.sampleRate(), rate);
        float[] a = r.process(clip.mono());
        float[] b = r.flush();
        float[] x = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, x, a.length, b.length);
        return x;
    }

    /** Totals of one pass. */
    static final class Pass {
        long tokens;
        double bits;
        long frames;
        long silentFrames;
        long reusedPositions;
        long positionsTotal;
        long pruned;
        long changed;
        long nanos;
        long packets;
        long encoderSnapshotBytes;
        long decoderSnapshotBytes;
        float[] decoded;
    }

    /** Encodes {@code clip} in chunks, decodes every packet, finishes; {@code decoded} is the whole output. */
    static Pass pass(PcmChunk clip, AudioCodebook codebook, VectorKernels kernels, AudioCompressionConfig compression,
                     int chunkMs) {
        AudioEncoder encoder = AudioEncoder.create(codebook, kernels, compression);
        AudioDecoder decoder = AudioDecoder.create(codebook);
        int frameBytes = clip.format().bytesPerSample() * clip.channels();
        int chunkFrames = Math.max(1, (int) ((long) clip.sampleRate() * chunkMs / 1000));
        Pass pass = new Pass();
        float[] out = new float[1024];
        int outLength = 0;
        long seq = 0;
        for (int at = 0; at <= clip.frames(); at += chunkFrames) {
            boolean last = at + chunkFrames > clip.frames();
            int count = Math.min(chunkFrames, clip.frames() - at);
            long start = CPU.getCurrentThreadCpuTime();
            Encoded<AudioLayout> e = count > 0
                    ? encoder.encode(seq, new PcmChunk(clip.sampleRate(), clip.channels(), clip.format(),
                    Arrays.copyOfRange(clip.data(), at * frameBytes, (at + count) * frameBytes)))
                    : encoder.finish(seq);
            PcmChunk decoded = decoder.decode(e.layout(), e.packet());
            pass.nanos += CPU.getCurrentThreadCpuTime() - start;
            seq++;
            account(pass, codebook, e);
            pass.packets++;
            pass.encoderSnapshotBytes += encoder.snapshot().length;
            pass.decoderSnapshotBytes += decoder.snapshot().length;
            short[] s = decoded.shorts();
            if (outLength + s.length > out.length) {
                out = Arrays.copyOf(out, Math.max(outLength + s.length, 2 * out.length));
            }
            for (short v : s) {
                out[outLength++] = v;
            }
            if (last && count > 0) {
                long start2 = CPU.getCurrentThreadCpuTime();
                Encoded<AudioLayout> end = encoder.finish(seq);
                PcmChunk tail = decoder.decode(end.layout(), end.packet());
                pass.nanos += CPU.getCurrentThreadCpuTime() - start2;
                account(pass, codebook, end);
                short[] t = tail.shorts();
                out = Arrays.copyOf(out, outLength + t.length);
                for (short v : t) {
                    out[outLength++] = v;
                }
                break;
            }
        }
        pass.decoded = Arrays.copyOf(out, outLength);
        return pass;
    }

    private static void account(Pass pass, AudioCodebook codebook, Encoded<AudioLayout> e) {
        int slots = codebook.slotsPerFrame();
        pass.tokens += e.packet().tokens().length;
        for (int p : e.packet().positions()) {
            pass.bits += codebook.slotBits(p % slots);
        }
        pass.frames += e.layout().frameCount();
        pass.silentFrames += e.layout().silentFrames().length;
        pass.reusedPositions += e.packet().reusedPositions().length;
        pass.positionsTotal += e.packet().positionsTotal();
        pass.pruned += e.packet().prunedCount();
        pass.changed += e.packet().positionsChanged();
    }

    private static AudioEvalReport.Anchor anchor(float[] reference, int rate, int bitrate) {
        OpusAnchor.Result r = OpusAnchor.run(reference, rate, bitrate);
        return new AudioEvalReport.Anchor(bitrate, r.kbps(), Stoi.compute(reference, r.decoded(), rate),
                AudioMetrics.lsdDb(reference, r.decoded()), AudioMetrics.segSnrDb(reference, r.decoded(), rate));
    }

    /** The settings as one line. */
    static String describe(AudioCompressionConfig c) {
        String budget = switch (c.budget()) {
            case dev.weir.codec.compress.Budget.Rate r -> r.tokensPerSecond() + " tokens/s, bank " + r.bankSeconds() + " s";
            default -> "unlimited";
        };
        return "silence " + (c.silence() ? "on (margin " + c.silenceMarginDb() + " dB, depth " + c.silenceDepthDb()
                + " dB, hangover " + c.hangoverFrames() + ")" : "off") + ", reuse "
                + (c.reuse() ? "gain " + c.reuseGainSteps() + " step(s), envelope " + c.reuseEnvelope() + ", shape "
                + c.reuseShape() + ", relative " + c.reuseRelative() : "off") + ", quiet "
                + (Double.isInfinite(c.quietDb()) ? "off" : c.quietDb() + " dB: " + c.quietSlots() + " tokens")
                + ", budget " + budget;
    }
}
