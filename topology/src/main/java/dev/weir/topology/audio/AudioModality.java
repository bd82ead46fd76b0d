package dev.weir.topology.audio;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.AudioFormat;
import dev.weir.avro.DecodedAudio;
import dev.weir.avro.TokenBatch;
import dev.weir.codec.Encoded;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;
import dev.weir.codec.StreamDecoder;
import dev.weir.codec.StreamEncoder;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.audio.AudioCodebook;
import dev.weir.codec.audio.AudioCompressionConfig;
import dev.weir.codec.audio.AudioDecoder;
import dev.weir.codec.audio.AudioEncoder;
import dev.weir.codec.audio.AudioLayout;
import dev.weir.codec.audio.PcmChunk;
import dev.weir.codec.audio.SampleFormat;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VectorKernels;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.modality.ModalityDescriptor;
import dev.weir.topology.modality.ModalityCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.weir.topology.internals.TokenBatches.boxed;
import static dev.weir.topology.internals.TokenBatches.unboxed;

/**
 * Audio as a modality: {@code AudioChunk} events (PCM_S16LE or F32LE, 8–48 kHz, mono or stereo, any length) in,
 * MDCT gain–shape tokens compressed by silence (DTX), the stationarity cache and the rate pruner, and
 * {@code DecodedAudio} out (mono PCM_S16LE at the tokenizer's rate). An {@code AudioChunk} with
 * {@code endOfStream} flushes the stream. Its settings are the {@code weir.audio.*} keys below. See docs/audio.md.
 */
public final class AudioModality implements Modality<AudioChunk, AudioUnit, AudioLayout, DecodedAudio> {

    public static final String NAME = "audio";
    private static final ModalityDescriptor<AudioChunk, DecodedAudio> DESCRIPTOR =
            new ModalityDescriptor<>(NAME, dev.weir.avro.Modality.AUDIO, "chunks", "chunks", AudioChunk.class, DecodedAudio.class);

    /** {@code default} (the built-in 16 kHz codebook) or a codebook file of {@code weir train-codebook --audio}. */
    public static final String CODEBOOK = "weir.audio.codebook";
    /** {@code on} (default): silence, cache and pruner with the tuned defaults; {@code off}: every token of every frame. */
    public static final String COMPRESSION = "weir.audio.compression";
    /** Discontinuous transmission of silence: {@code on} (default) or {@code off}. */
    public static final String SILENCE = "weir.audio.silence";
    /** The token budget: {@code rate:T} (tokens per second, default 600) or {@code unlimited}. */
    public static final String BUDGET = "weir.audio.budget";
    /** Seconds of rate the bank holds (default 2). */
    public static final String BANK_SECONDS = "weir.audio.bank.seconds";
    /**
     * The kernel backend of the codebook search (default {@code jvm}: audio searches one 20 ms frame at a time,
     * too little work for a device round trip).
     */
    public static final String BACKEND = "weir.audio.backend";

    /** Room for the Avro and record framing around a decoded chunk's samples. */
    static final int OUTPUT_OVERHEAD_BYTES = 4 * 1024;

    /** More than the encoder holds back of a chunk for the next batch (two 20 ms frames and the resampler's filter). */
    static final int HOLD_BACK_SECONDS = 1;

    @Override
    public ModalityDescriptor<AudioChunk, DecodedAudio> descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public String streamId(AudioChunk event) {
        return event.getStreamId();
    }

    @Override
    public long seq(AudioChunk event) {
        return event.getSeq();
    }

    @Override
    public Instant timestamp(AudioChunk event) {
        return event.getTimestamp();
    }

    /** The chunk's samples, checked (size first, then rate, channels, whole sample frames, finite floats). */
    @Override
    public AudioUnit media(AudioChunk event, int maxEventBytes) {
        ByteBuffer data = event.getData();
        if (data.remaining() > maxEventBytes) {
            throw new MediaTooLargeException("audio chunk of " + data.remaining() + " bytes is above weir.max.event.bytes = " + maxEventBytes);
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        PcmChunk pcm = PcmChunk.of(event.getSampleRate(), event.getChannels(), SampleFormat.valueOf(event.getFormat().name()),
                bytes, maxEventBytes);
        return new AudioUnit(pcm, event.getEndOfStream());
    }

    /** Audio seldom has a keyframe (silence is skipped): its decoder resumes after a gap with a short silence. */
    @Override
    public boolean decoderResumesAfterGap() {
        return true;
    }

    @Override
    public void check(WeirConfig config) {
        compression(config);
        codebook(config);
    }

    @Override
    public ModalityCodec<AudioUnit, AudioLayout> open(WeirConfig config) {
        return new Codec(codebook(config), compression(config), Kernels.vector(config.get(BACKEND, "jvm")),
                config.getInt(WeirConfig.MAX_EVENT_BYTES));
    }

    /** The audio compression of {@code weir.audio.*}. */
    public static AudioCompressionConfig compression(WeirConfig config) {
        AudioCompressionConfig c = switch (config.get(COMPRESSION, "on")) {
            case "on" -> AudioCompressionConfig.defaults();
            case "off" -> AudioCompressionConfig.none();
            default -> throw new IllegalArgumentException(COMPRESSION + " must be on or off, not " + config.get(COMPRESSION));
        };
        if (config.get(SILENCE, null) != null) {
            c = c.withSilence(switch (config.get(SILENCE)) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException(SILENCE + " must be on or off, not " + config.get(SILENCE));
            });
        }
        if (config.get(BUDGET, null) != null) {
            c = c.withBudget(AudioCompressionConfig.parseBudget(config.get(BUDGET),
                    config.getDouble(BANK_SECONDS, AudioCompressionConfig.DEFAULT_BANK_SECONDS)));
        }
        return c;
    }

    /** The codebook of {@value #CODEBOOK}. */
    public static AudioCodebook codebook(WeirConfig config) {
        String name = config.get(CODEBOOK, "default");
        if (name.equals("default")) {
            return AudioCodebook.defaultCodebook();
        }
        try {
            return AudioCodebook.read(Path.of(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audio codebook " + name, e);
        }
    }

    @Override
    public Object layoutToAvro(AudioLayout l) {
        return dev.weir.avro.AudioLayout.newBuilder()
                .setSampleRate(l.sampleRate())
                .setHopSamples(l.hopSamples())
                .setStagesPerFrame(l.stagesPerFrame())
                .setFirstFrame(l.firstFrame())
                .setFrameCount(l.frameCount())
                .setFirstSample(l.firstSample())
                .setSampleCount(l.sampleCount())
                .setSilentFrames(boxed(l.silentFrames()))
                .setEndOfStream(l.endOfStream())
                .build();
    }

    @Override
    public AudioLayout layoutFromAvro(Object layout) {
        if (!(layout instanceof dev.weir.avro.AudioLayout l)) {
            throw new MediaFormatException("token batch carries " + (layout == null ? "no layout" : "a " + layout.getClass().getSimpleName())
                    + ": the audio decoder needs an AudioLayout");
        }
        return new AudioLayout(l.getSampleRate(), l.getHopSamples(), l.getStagesPerFrame(), l.getFirstFrame(), l.getFrameCount(),
                l.getFirstSample(), l.getSampleCount(), unboxed(l.getSilentFrames()), l.getEndOfStream());
    }

    /** The batch's samples, mono PCM16, and room for its record's framing. */
    @Override
    public long decodedBytes(AudioLayout layout) {
        return 2L * layout.sampleCount() + OUTPUT_OVERHEAD_BYTES;
    }

    /**
     * The least the decoded record of the batch that {@code chunk} makes can take, known before it is encoded: its
     * samples at the tokenizer's {@code codecRate} (a chunk at 8 kHz doubles at 16 kHz), as mono PCM16, less what the
     * encoder may hold back for the next batch (under {@value #HOLD_BACK_SECONDS} s: two 20 ms frames and the
     * resampler's filter), plus the record's framing. The exact size ({@link #decodedBytes}) is checked after encoding.
     */
    static long decodedBytesAtLeast(PcmChunk chunk, int codecRate) {
        long samples = (long) chunk.frames() * codecRate / chunk.sampleRate();
        return 2L * Math.max(0, samples - (long) HOLD_BACK_SECONDS * codecRate) + OUTPUT_OVERHEAD_BYTES;
    }

    @Override
    public DecodedAudio decoded(TokenBatch batch, AudioUnit audio) {
        PcmChunk pcm = audio.pcm();
        long firstSample = batch.getLayout() instanceof dev.weir.avro.AudioLayout l ? l.getFirstSample() : -1;
        return DecodedAudio.newBuilder()
                .setStreamId(batch.getStreamId())
                .setSeq(batch.getSeq())
                .setTimestamp(batch.getTimestamp())
                .setSampleRate(pcm.sampleRate())
                .setChannels(pcm.channels())
                .setFormat(AudioFormat.valueOf(pcm.format().name()))
                .setData(ByteBuffer.wrap(pcm.data()))
                .setTokenizer(batch.getTokenizer())
                .setFirstSample(firstSample)
                .setEndOfStream(audio.endOfStream())
                .build();
    }

    /**
     * One processor's audio codec: the codebook, the compression and the kernels of its codebook search, and
     * {@code weir.max.event.bytes}, which its encoders hold a chunk's decoded size to.
     */
    private record Codec(AudioCodebook codebook, AudioCompressionConfig compression, VectorKernels kernels, int maxEventBytes)
            implements ModalityCodec<AudioUnit, AudioLayout> {

        @Override
        public TokenizerRef tokenizer() {
            return codebook.tokenizerRef();
        }

        @Override
        public String backend() {
            return kernels.backend();
        }

        @Override
        public StreamEncoder<AudioUnit, AudioLayout> newEncoder() {
            return new Encoder(AudioEncoder.create(codebook, kernels, compression), maxEventBytes);
        }

        @Override
        public StreamDecoder<AudioLayout, AudioUnit> newDecoder() {
            return new Decoder(AudioDecoder.create(codebook));
        }

        @Override
        public void close() {
            kernels.close();
        }
    }

    /**
     * The audio encoder as the topology drives it: a chunk that ends its stream is encoded with the flush, and a
     * chunk whose batch could not be decoded within {@code maxEventBytes} is refused before it is encoded.
     */
    private record Encoder(AudioEncoder audio, int maxEventBytes) implements StreamEncoder<AudioUnit, AudioLayout> {

        @Override
        public TokenizerRef tokenizer() {
            return audio.tokenizer();
        }

        @Override
        public Encoded<AudioLayout> encode(long seq, AudioUnit unit) {
            long decodedBytes = decodedBytesAtLeast(unit.pcm(), audio.codebook().sampleRate());
            if (decodedBytes > maxEventBytes) {
                throw new MediaTooLargeException("audio chunk of " + unit.pcm().frames() + " samples at " + unit.pcm().sampleRate()
                        + " Hz decodes to at least " + decodedBytes + " bytes of mono PCM16 at " + audio.codebook().sampleRate()
                        + " Hz, above weir.max.event.bytes = " + maxEventBytes + "; not encoded");
            }
            return audio.encode(seq, unit.pcm(), unit.endOfStream());
        }

        @Override
        public byte[] snapshot() {
            return audio.snapshot();
        }

        @Override
        public void restore(byte[] snapshot) {
            audio.restore(snapshot);
        }
    }

    /** The audio decoder as the topology drives it. */
    private record Decoder(AudioDecoder audio) implements StreamDecoder<AudioLayout, AudioUnit> {

        @Override
        public TokenizerRef tokenizer() {
            return audio.tokenizer();
        }

        @Override
        public AudioUnit decode(AudioLayout layout, TokenPacket packet) {
            return new AudioUnit(audio.decode(layout, packet), layout.endOfStream());
        }

        @Override
        public byte[] snapshot() {
            return audio.snapshot();
        }

        @Override
        public void restore(byte[] snapshot) {
            audio.restore(snapshot);
        }
    }
}
