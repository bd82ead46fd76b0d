package dev.weir.topology;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.AudioFormat;
import dev.weir.avro.BatchStats;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TextEvent;
import dev.weir.avro.TextLayoutKind;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.avro.VideoGeometry;
import dev.weir.codec.Encoded;
import dev.weir.codec.audio.AudioCodebook;
import dev.weir.codec.audio.AudioCompressionConfig;
import dev.weir.codec.audio.AudioEncoder;
import dev.weir.codec.audio.AudioLayout;
import dev.weir.codec.audio.PcmChunk;
import dev.weir.codec.audio.SampleFormat;
import dev.weir.codec.audio.WavReader;
import dev.weir.codec.text.BpeEncoding;
import dev.weir.codec.text.TextTokenizer;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.codec.video.FrameGeometry;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoEncoder;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VectorKernels;
import dev.weir.kernels.VideoKernels;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.audio.AudioModality;
import dev.weir.topology.internals.TokenBatches;
import dev.weir.topology.text.TextModality;
import dev.weir.topology.video.VideoModality;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The hostile-input corpus of issue 14, under {@code src/test/resources/hostile/}: one file per bad record (the
 * record's value as it would be on the topic, or its Avro body when it needs Confluent framing), and
 * {@code corpus.tsv}, which names for each its topic, key, framing and the dead-letter reason Weir must give it.
 *
 * <p>{@link #main} makes every file from the samples and from Weir's own codecs (see the folder's README.md);
 * {@link #load} reads the committed corpus back, and {@link #value} frames a case's body with the schema id the
 * registry at hand gives its schema, so the same files run against the in-memory registry and a real one. The
 * cases "near the size limit" are megabytes each: they are made at run time ({@link #generated}), not committed.
 *
 * <p>Events use the good streams' ids ({@value #CAMERA}, {@value #MICROPHONE}, {@value #LOG}) and seqs from 1001,
 * so they sit in the partitions of those streams, between their good records; a bad record that Weir wrongly
 * accepted would move its stream past every good record still to come. Token batches use ids of their own: a
 * forged batch on a live stream's key can legitimately restart that stream's decoder.
 */
final class HostileCorpus {

    static final Path DIR = Path.of("src/test/resources/hostile");
    static final Path MANIFEST = DIR.resolve("corpus.tsv");

    /** The limits the reasons of corpus.tsv assume: {@code weir.max.event.bytes}. */
    static final int MAX_EVENT_BYTES = 2 * 1024 * 1024;
    /** ... and {@code weir.text.max.message.bytes}. */
    static final int MAX_TEXT_MESSAGE_BYTES = 64 * 1024;

    /** The good streams the events of the corpus are sent into. */
    static final String CAMERA = "cam-a";
    static final String MICROPHONE = "mic-a";
    static final String LOG = "log-a";

    static final String FRAMES = "weir.video.frames";
    static final String CHUNKS = "weir.audio.chunks";
    static final String EVENTS = "weir.text.events";
    static final String VIDEO_TOKENS = "weir.video.tokens";
    static final String AUDIO_TOKENS = "weir.audio.tokens";
    static final String TEXT_TOKENS = "weir.text.tokens";

    /** A schema id no registry has given out (Apicurio and Confluent count ids up from 1). */
    static final int UNKNOWN_SCHEMA_ID = Integer.MAX_VALUE;

    private static final Instant WHEN = Instant.ofEpochMilli(1_700_000_000_000L);

    /** The settings under which every case gets the reason corpus.tsv names (the limits above, all three modalities). */
    static Map<String, String> settings() {
        return Map.of(WeirConfig.MODALITIES, "video,audio,text",
                WeirConfig.MAX_EVENT_BYTES, Integer.toString(MAX_EVENT_BYTES),
                TextModality.MAX_MESSAGE_BYTES, Integer.toString(MAX_TEXT_MESSAGE_BYTES),
                WeirConfig.KERNEL_BACKEND, "jvm");
    }

    /**
     * One bad record.
     *
     * @param name    the case, unique
     * @param topic   the topic it is sent to
     * @param key     the record key, or null
     * @param value   the file under {@link #DIR}, {@code (null)} for a tombstone, or {@code generated:NAME}
     * @param framing {@code raw} (the file is the value), {@code avro:RECORD} (an Avro body of Weir's schema RECORD,
     *                framed with the id the registry gives that schema), {@code avro:schemas/FILE.avsc} (a body of
     *                that writer schema, registered under the topic's subject), or {@code id:N} (framed with id N)
     * @param reason  the {@code weir.error.reason} Weir must give it
     * @param how     how the file was made, for a person
     */
    record Case(String name, String topic, byte[] key, String value, String framing, String reason, String how) {

        boolean tombstone() {
            return value.equals("(null)");
        }

        boolean generated() {
            return value.startsWith("generated:");
        }

        /** The modality whose topic it is sent to: {@code video}, {@code audio} or {@code text}. */
        String modality() {
            return topic.split("\\.")[1];
        }

        /** The processor that must set it aside. */
        String processor() {
            return modality() + (topic.endsWith(".tokens") ? "-decoder" : "-tokenizer");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private HostileCorpus() {
    }

    // --- reading the committed corpus

    /** Every case of corpus.tsv, in its order. */
    static List<Case> load() {
        try {
            List<Case> cases = new ArrayList<>();
            for (String line : Files.readAllLines(MANIFEST, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 7) {
                    throw new IllegalStateException("corpus.tsv: 7 tab-separated fields expected: " + line);
                }
                cases.add(new Case(f[0], f[1], parseKey(f[2]), f[3], f[4], f[5], f[6]));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The record value of {@code c} as it goes on the topic: the file itself, or its Avro body behind the Confluent
     * header of the schema id {@code registry} gives it.
     */
    static byte[] value(Case c, SchemaRegistryClient registry) {
        if (c.tombstone()) {
            return null;
        }
        byte[] body = c.generated() ? generated(c.value().substring("generated:".length())) : read(c.value());
        String framing = c.framing();
        if (framing.equals("raw")) {
            return body;
        }
        int id;
        if (framing.startsWith("id:")) {
            id = Integer.parseInt(framing.substring(3));
        } else if (framing.startsWith("avro:schemas/")) {
            id = registry.register(c.topic() + "-value", schema(framing.substring("avro:".length())));
        } else if (framing.startsWith("avro:")) {
            String record = framing.substring(5);
            id = registry.register(homeTopic(record, c.topic()) + "-value", weirSchema(record));
        } else {
            throw new IllegalStateException(c + ": unknown framing " + framing);
        }
        byte[] framed = new byte[5 + body.length];
        ByteBuffer.wrap(framed).put((byte) 0).putInt(id).put(body);
        return framed;
    }

    /** The topic whose subject holds Weir's schema {@code record}: the target topic when it carries it. */
    private static String homeTopic(String record, String topic) {
        String home = switch (record) {
            case "VideoFrame" -> FRAMES;
            case "AudioChunk" -> CHUNKS;
            case "TextEvent" -> EVENTS;
            case "TokenBatch" -> topic.endsWith(".tokens") ? topic : VIDEO_TOKENS;
            default -> throw new IllegalStateException("no Weir schema " + record);
        };
        return home;
    }

    private static Schema weirSchema(String record) {
        return switch (record) {
            case "VideoFrame" -> VideoFrame.getClassSchema();
            case "AudioChunk" -> AudioChunk.getClassSchema();
            case "TextEvent" -> TextEvent.getClassSchema();
            case "TokenBatch" -> TokenBatch.getClassSchema();
            default -> throw new IllegalStateException("no Weir schema " + record);
        };
    }

    private static Schema schema(String file) {
        try {
            return new Schema.Parser().parse(DIR.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] parseKey(String field) {
        return switch (field) {
            case "(null)" -> null;
            case "(empty)" -> new byte[0];
            default -> field.startsWith("hex:") ? HexFormat.of().parseHex(field.substring(4)) : field.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String formatKey(byte[] key) {
        if (key == null) {
            return "(null)";
        }
        if (key.length == 0) {
            return "(empty)";
        }
        String text = new String(key, StandardCharsets.UTF_8);
        return Arrays.equals(text.getBytes(StandardCharsets.UTF_8), key) && !text.contains("\t") ? text : "hex:" + HexFormat.of().formatHex(key);
    }

    // --- the good streams the corpus is sent between

    /** Frame {@code seq} (from 1) of a video stream: the tree sample's 30 frames, round and round. */
    static VideoFrame goodFrame(String streamId, long seq) {
        return frame(streamId, seq, 320, 240, PixelFormat.JPEG, SampleFrames.treeJpeg((int) ((seq - 1) % 30) + 1));
    }

    /** Chunk {@code seq} (from 1) of an audio stream: 200 ms of the speech sample, round and round. */
    static AudioChunk goodChunk(String streamId, long seq) {
        return chunk(streamId, seq, 16000, 1, AudioFormat.PCM_S16LE, speech((seq - 1) * 6400, 6400));
    }

    /** Message {@code seq} (from 1) of a text stream: the dpkg log sample's lines, round and round. */
    static TextEvent goodMessage(String streamId, long seq) {
        try {
            List<String> lines = Files.readAllLines(Path.of("samples/text/dpkg-excerpt.log"), StandardCharsets.UTF_8);
            return text(streamId, seq, lines.get((int) ((seq - 1) % lines.size())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The good event {@code seq} of {@code streamId} of {@code modality}. */
    static SpecificRecord goodEvent(String modality, String streamId, long seq) {
        return switch (modality) {
            case "video" -> goodFrame(streamId, seq);
            case "audio" -> goodChunk(streamId, seq);
            case "text" -> goodMessage(streamId, seq);
            default -> throw new IllegalArgumentException(modality);
        };
    }

    /** The input topic of {@code modality}. */
    static String inputTopic(String modality) {
        return switch (modality) {
            case "video" -> FRAMES;
            case "audio" -> CHUNKS;
            case "text" -> EVENTS;
            default -> throw new IllegalArgumentException(modality);
        };
    }

    /** The good stream of {@code modality} the corpus's events are sent into. */
    static String goodStream(String modality) {
        return switch (modality) {
            case "video" -> CAMERA;
            case "audio" -> MICROPHONE;
            case "text" -> LOG;
            default -> throw new IllegalArgumentException(modality);
        };
    }

    // --- the cases near the size limit, made at run time

    /** The value of a generated case (megabytes: too large to commit), from {@link #MAX_EVENT_BYTES}. */
    static byte[] generated(String name) {
        return switch (name) {
            // random bytes just inside the limit: not Avro, and too large to copy whole into a dead letter
            case "noise-at-size-limit" -> {
                byte[] noise = new byte[MAX_EVENT_BYTES - 4096];
                new Random(14).nextBytes(noise);
                yield noise;
            }
            // one byte above the limit, zeros, which the broker takes lz4-compressed
            case "zeros-over-size-limit" -> new byte[MAX_EVENT_BYTES + 1];
            // an RGB24 frame whose bytes fit a record, but whose decoded frame (and its framing) would not
            case "rgb24-decodes-over-size-limit" -> {
                int width = 1024;
                int height = (MAX_EVENT_BYTES - 4096) / (3 * width);
                yield body(frame(CAMERA, 1090, width, height, PixelFormat.RGB24, tiled(3 * width * height)));
            }
            // 8 kHz mono PCM16 within the limit, whose decoded 16 kHz audio is twice as large
            case "pcm16-8khz-decodes-over-size-limit" -> {
                byte[] pcm = tiled(MAX_EVENT_BYTES * 3 / 5 & ~1);
                yield body(chunk(MICROPHONE, 1090, 8000, 1, AudioFormat.PCM_S16LE, pcm));
            }
            // one byte above weir.text.max.message.bytes
            case "text-over-message-limit" -> body(text(LOG, 1090, "a".repeat(MAX_TEXT_MESSAGE_BYTES + 1)));
            default -> throw new IllegalArgumentException("no generated case " + name);
        };
    }

    /** {@code n} bytes of the tree frame's pixels, repeated: real picture content, not zeros. */
    private static byte[] tiled(int n) {
        byte[] source = SampleFrames.treeRgb(2).rgb();
        byte[] out = new byte[n];
        for (int i = 0; i < n; i += source.length) {
            System.arraycopy(source, 0, out, i, Math.min(source.length, n - i));
        }
        return out;
    }

    // --- making the corpus

    /** How to make one case's file. */
    private record Recipe(Case c, Supplier<byte[]> bytes) {
    }

    /** Regenerates every file of the corpus and corpus.tsv (run from the repository root). */
    public static void main(String[] args) throws IOException {
        Map<String, byte[]> files = files();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path file = DIR.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, f.getValue());
        }
        System.out.println(files.size() + " files written to " + DIR);
    }

    /**
     * What {@link #main} writes, made in memory: every committed file of the corpus and corpus.tsv, by their path
     * under {@link #DIR}. The same on every run on the JDK the build requires (the PNGs are deflated by its zlib).
     */
    static Map<String, byte[]> files() {
        Map<String, byte[]> files = new TreeMap<>();
        StringBuilder tsv = new StringBuilder("""
                # The hostile-input corpus (see README.md), written by HostileCorpus.main: one bad record per line.
                # Reasons assume weir.max.event.bytes=%d and weir.text.max.message.bytes=%d (HostileCorpus.settings()).
                # case\ttopic\tkey\tvalue\tframing\treason\thow
                """.formatted(MAX_EVENT_BYTES, MAX_TEXT_MESSAGE_BYTES));
        for (Recipe r : recipes()) {
            Case c = r.c();
            if (!c.tombstone() && !c.generated()) {
                byte[] bytes = r.bytes().get();
                byte[] before = files.put(c.value(), bytes);
                if (before != null && !Arrays.equals(before, bytes)) {
                    throw new IllegalStateException(c + ": " + c.value() + " is made twice, differently");
                }
            }
            tsv.append(String.join("\t", c.name(), c.topic(), formatKey(c.key()), c.value(), c.framing(), c.reason(), c.how()))
                    .append('\n');
        }
        files.put(MANIFEST.getFileName().toString(), tsv.toString().getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static List<Recipe> recipes() {
        List<Recipe> r = new ArrayList<>();
        byte[] cam = key(CAMERA);
        byte[] mic = key(MICROPHONE);
        byte[] log = key(LOG);

        // video: JPEG and PNG
        byte[] jpeg = treeJpeg();
        r.add(avro("jpeg-truncated", FRAMES, cam, "VideoFrame", "invalid-media",
                "tree frame 2 (320x240 JPEG) cut after 40% of its bytes",
                () -> body(frame(CAMERA, 1001, 320, 240, PixelFormat.JPEG, Arrays.copyOf(jpeg, jpeg.length * 2 / 5)))));
        r.add(avro("jpeg-corrupt-scan", FRAMES, cam, "VideoFrame", "invalid-media",
                "tree frame 2 with every 7th byte of 1000 bytes of its entropy-coded scan replaced (seeded random)",
                () -> body(frame(CAMERA, 1002, 320, 240, PixelFormat.JPEG, corruptScan(jpeg)))));
        r.add(avro("jpeg-sof-65500x65500", FRAMES, cam, "VideoFrame", "invalid-media",
                "tree frame 2 whose SOF0 header is patched to declare 65500x65500; the frame says 320x240",
                () -> body(frame(CAMERA, 1003, 320, 240, PixelFormat.JPEG, jpegDeclaring(jpeg, 65500, 65500)))));
        r.add(avro("jpeg-size-disagrees", FRAMES, cam, "VideoFrame", "invalid-media",
                "tree frame 2 (320x240) in a frame that says 640x480",
                () -> body(frame(CAMERA, 1004, 640, 480, PixelFormat.JPEG, jpeg))));
        byte[] smallRgb = treeCorner(64, 48);
        byte[] smallPng = png(64, 48, 8, 2, filtered(smallRgb, 64 * 3, 48));
        r.add(avro("png-truncated", FRAMES, cam, "VideoFrame", "invalid-media",
                "the 64x48 top-left corner of tree frame 2 as an RGB PNG, cut after 60% of its bytes",
                () -> body(frame(CAMERA, 1005, 64, 48, PixelFormat.PNG, Arrays.copyOf(smallPng, smallPng.length * 3 / 5)))));
        r.add(avro("png-bomb-100000x100000", FRAMES, cam, "VideoFrame", "invalid-media",
                "a PNG whose IHDR declares 100000x100000 RGB (30 GB of pixels) with a 10-byte IDAT; the frame says 320x240",
                () -> body(frame(CAMERA, 1006, 320, 240, PixelFormat.PNG, png(100_000, 100_000, 8, 2, deflate(new byte[2]))))));
        byte[] bomb = png(8192, 8192, 1, 0, deflate(new byte[8192 * (1 + 8192 / 8)]));
        r.add(avro("png-bomb-8192x8192", FRAMES, cam, "VideoFrame", "oversized",
                "a complete, valid 1-bit grey PNG of 8192x8192 zeros (8 KB; 201 MB as RGB), in a frame that says 8192x8192",
                () -> body(frame(CAMERA, 1007, 8192, 8192, PixelFormat.PNG, bomb))));
        r.add(avro("png-bomb-8192x8192-says-320x240", FRAMES, cam, "VideoFrame", "invalid-media",
                "the same 8 KB PNG in a frame that says 320x240",
                () -> body(frame(CAMERA, 1008, 320, 240, PixelFormat.PNG, bomb))));
        r.add(avro("png-tagged-jpeg", FRAMES, cam, "VideoFrame", "invalid-media",
                "the 64x48 PNG in a frame whose format says JPEG",
                () -> body(frame(CAMERA, 1009, 64, 48, PixelFormat.JPEG, smallPng))));
        r.add(avro("gif-tagged-png", FRAMES, cam, "VideoFrame", "invalid-media",
                "a 1x1 GIF89a in a frame whose format says PNG",
                () -> body(frame(CAMERA, 1010, 1, 1, PixelFormat.PNG, gif1x1()))));

        // video: raw pixels, sizes
        r.add(avro("rgb24-one-byte-short", FRAMES, cam, "VideoFrame", "invalid-media",
                "the 64x48 corner as RGB24, its last byte missing",
                () -> body(frame(CAMERA, 1011, 64, 48, PixelFormat.RGB24, Arrays.copyOf(smallRgb, smallRgb.length - 1)))));
        r.add(avro("gray8-one-byte-long", FRAMES, cam, "VideoFrame", "invalid-media",
                "64x48 GRAY8 with 64*48+1 bytes",
                () -> body(frame(CAMERA, 1012, 64, 48, PixelFormat.GRAY8, Arrays.copyOf(smallRgb, 64 * 48 + 1)))));
        r.add(avro("i420-chroma-rounded-down", FRAMES, cam, "VideoFrame", "invalid-media",
                "65x49 I420 sized w*h*3/2 (4777 bytes): its chroma planes must be rounded up (4835)",
                () -> body(frame(CAMERA, 1013, 65, 49, PixelFormat.I420, Arrays.copyOf(smallRgb, 65 * 49 * 3 / 2)))));
        r.add(avro("zero-width", FRAMES, cam, "VideoFrame", "invalid-media",
                "RGB24 0x48, no data",
                () -> body(frame(CAMERA, 1014, 0, 48, PixelFormat.RGB24, new byte[0]))));
        r.add(avro("negative-height", FRAMES, cam, "VideoFrame", "invalid-media",
                "RGB24 64x-48 with 64*48*3 bytes",
                () -> body(frame(CAMERA, 1015, 64, -48, PixelFormat.RGB24, smallRgb))));
        r.add(avro("side-above-8192", FRAMES, cam, "VideoFrame", "invalid-media",
                "GRAY8 9000x1 with its 9000 bytes: a side above the 8192 limit",
                () -> body(frame(CAMERA, 1016, 9000, 1, PixelFormat.GRAY8, new byte[9000]))));
        r.add(avro("rgb24-100000x100000", FRAMES, cam, "VideoFrame", "oversized",
                "RGB24 that says 100000x100000 (30 GB) with 3 bytes",
                () -> body(frame(CAMERA, 1017, 100_000, 100_000, PixelFormat.RGB24, new byte[3]))));

        // video: formats
        r.add(avro("pixel-format-unknown-bgr24", FRAMES, cam, "schemas/VideoFrame-bgr24.avsc", "invalid-media",
                "64x48 of 64*48*3 bytes in format BGR24, a symbol of a newer writer schema (schemas/VideoFrame-bgr24.avsc) "
                        + "that this Weir does not know; PixelFormat's default (RGB24) must not be read in its place",
                () -> bgr24Body(smallRgb)));
        r.add(avro("pixel-format-index-9", FRAMES, cam, "VideoFrame", "not-avro",
                "a VideoFrame body whose format enum index is 9 (the schema has 5 symbols)",
                () -> videoBody(1019, 64, 48, 9, smallRgb.length, smallRgb)));
        r.add(avro("bytes-length-2^62", FRAMES, cam, "VideoFrame", "not-avro",
                "a VideoFrame body whose data claims 2^62 bytes, followed by 16",
                () -> videoBody(1020, 64, 48, 0, 1L << 62, new byte[16])));

        // video: keys, stream ids, seqs, tombstones
        r.add(avro("stale-seq", FRAMES, cam, "VideoFrame", "stale-seq",
                "tree frame 1 again as seq 1 of cam-a, sent after cam-a's frame 1",
                () -> body(frame(CAMERA, 1, 320, 240, PixelFormat.JPEG, treeJpeg(1)))));
        r.add(avro("key-is-not-stream-id", FRAMES, key("cam-b"), "VideoFrame", "bad-key",
                "a good 64x48 RGB24 frame of cam-a under key cam-b",
                () -> body(frame(CAMERA, 1021, 64, 48, PixelFormat.RGB24, smallRgb))));
        r.add(avro("video-null-key", FRAMES, null, "VideoFrame", "bad-key",
                "a good 64x48 RGB24 frame of cam-a with no key",
                () -> body(frame(CAMERA, 1022, 64, 48, PixelFormat.RGB24, smallRgb))));
        r.add(avro("video-empty-stream-id", FRAMES, new byte[0], "VideoFrame", "bad-key",
                "a good 64x48 RGB24 frame whose streamId and key are empty",
                () -> body(frame("", 1023, 64, 48, PixelFormat.RGB24, smallRgb))));
        r.add(tombstone("video-tombstone", FRAMES, cam));
        r.add(unknownSchemaId("video-unknown-schema-id", FRAMES, cam, "framing/good-video-frame.avro",
                () -> body(frame(CAMERA, 1024, 64, 48, PixelFormat.RGB24, smallRgb))));

        // audio
        r.add(avro("pcm16-odd-byte-count", CHUNKS, mic, "AudioChunk", "invalid-media",
                "16 kHz mono PCM_S16LE of 3201 bytes (half a sample left over), from the speech sample",
                () -> body(chunk(MICROPHONE, 1001, 16000, 1, AudioFormat.PCM_S16LE, speech(3201)))));
        r.add(avro("f32-stereo-partial-frame", CHUNKS, mic, "AudioChunk", "invalid-media",
                "16 kHz stereo F32LE of 12 bytes (one and a half sample frames)",
                () -> body(chunk(MICROPHONE, 1002, 16000, 2, AudioFormat.F32LE, floats(0.1f, 0.2f, 0.3f)))));
        r.add(avro("f32-nan", CHUNKS, mic, "AudioChunk", "invalid-media",
                "16 kHz mono F32LE, 160 samples of a 440 Hz tone, sample 80 NaN",
                () -> body(chunk(MICROPHONE, 1003, 16000, 1, AudioFormat.F32LE, toneWith(80, Float.NaN)))));
        r.add(avro("f32-infinity", CHUNKS, mic, "AudioChunk", "invalid-media",
                "16 kHz mono F32LE, 160 samples of a 440 Hz tone, sample 80 -Infinity",
                () -> body(chunk(MICROPHONE, 1004, 16000, 1, AudioFormat.F32LE, toneWith(80, Float.NEGATIVE_INFINITY)))));
        r.add(avro("rate-7999", CHUNKS, mic, "AudioChunk", "invalid-media",
                "PCM_S16LE mono at 7999 Hz, below the 8 kHz floor",
                () -> body(chunk(MICROPHONE, 1005, 7999, 1, AudioFormat.PCM_S16LE, speech(3200)))));
        r.add(avro("rate-192000", CHUNKS, mic, "AudioChunk", "invalid-media",
                "PCM_S16LE mono at 192 kHz, above the 48 kHz ceiling",
                () -> body(chunk(MICROPHONE, 1006, 192_000, 1, AudioFormat.PCM_S16LE, speech(3200)))));
        r.add(avro("rate-negative", CHUNKS, mic, "AudioChunk", "invalid-media",
                "PCM_S16LE mono at -16000 Hz",
                () -> body(chunk(MICROPHONE, 1007, -16000, 1, AudioFormat.PCM_S16LE, speech(3200)))));
        r.add(avro("channels-0", CHUNKS, mic, "AudioChunk", "invalid-media",
                "PCM_S16LE, 16 kHz, 0 channels",
                () -> body(chunk(MICROPHONE, 1008, 16000, 0, AudioFormat.PCM_S16LE, speech(3200)))));
        r.add(avro("channels-6", CHUNKS, mic, "AudioChunk", "invalid-media",
                "PCM_S16LE, 16 kHz, 6 channels (3204 bytes: whole sample frames)",
                () -> body(chunk(MICROPHONE, 1009, 16000, 6, AudioFormat.PCM_S16LE, speech(3204)))));
        r.add(avro("audio-format-unknown-f64le", CHUNKS, mic, "schemas/AudioChunk-f64le.avsc", "invalid-media",
                "160 bytes in format F64LE, a symbol of a newer writer schema (schemas/AudioChunk-f64le.avsc) that this "
                        + "Weir does not know; AudioFormat's default (PCM_S16LE) must not be read in its place",
                () -> f64leBody(speech(160))));
        r.add(avro("audio-null-key", CHUNKS, null, "AudioChunk", "bad-key",
                "a good 100 ms speech chunk of mic-a with no key",
                () -> body(chunk(MICROPHONE, 1011, 16000, 1, AudioFormat.PCM_S16LE, speech(3200)))));
        r.add(avro("audio-body-truncated", CHUNKS, mic, "AudioChunk", "not-avro",
                "the body of a good 100 ms chunk cut after 60% of its bytes",
                () -> {
                    byte[] good = body(chunk(MICROPHONE, 1012, 16000, 1, AudioFormat.PCM_S16LE, speech(3200)));
                    return Arrays.copyOf(good, good.length * 3 / 5);
                }));
        r.add(avro("audio-empty-stream-id", CHUNKS, new byte[0], "AudioChunk", "bad-key",
                "a good 100 ms speech chunk whose streamId and key are empty",
                () -> body(chunk("", 1013, 16000, 1, AudioFormat.PCM_S16LE, speech(3200)))));
        r.add(tombstone("audio-tombstone", CHUNKS, mic));
        r.add(unknownSchemaId("audio-unknown-schema-id", CHUNKS, mic, "framing/good-audio-chunk.avro",
                () -> body(chunk(MICROPHONE, 1014, 16000, 1, AudioFormat.PCM_S16LE, speech(3200)))));

        // text
        r.add(avro("utf8-invalid", EVENTS, log, "TextEvent", "invalid-media",
                "a message holding the bytes C3 28 (a lead byte and no continuation)",
                () -> textBody(LOG, 1001, bytes("dpkg: status ", 0xC3, 0x28, " installed"))));
        r.add(avro("utf8-overlong", EVENTS, log, "TextEvent", "invalid-media",
                "a message holding C0 AF, an overlong '/'",
                () -> textBody(LOG, 1002, bytes("path ", 0xC0, 0xAF, "etc"))));
        r.add(avro("utf8-surrogate", EVENTS, log, "TextEvent", "invalid-media",
                "a message holding ED A0 80, a UTF-16 surrogate encoded as UTF-8 (CESU-8)",
                () -> textBody(LOG, 1003, bytes("half a pair: ", 0xED, 0xA0, 0x80))));
        r.add(avro("utf8-invalid-stream-id", EVENTS, log, "TextEvent", "invalid-media",
                "a good message whose streamId is the byte FF",
                () -> textBodyWithStreamId(new byte[] {(byte) 0xFF}, 1004, "a good line")));
        r.add(avro("text-empty-stream-id", EVENTS, new byte[0], "TextEvent", "bad-key",
                "a good message whose streamId and key are empty",
                () -> body(text("", 1005, "a good line"))));
        r.add(avro("text-null-key", EVENTS, null, "TextEvent", "bad-key",
                "a good message of log-a with no key",
                () -> body(text(LOG, 1009, "a good line"))));
        r.add(tombstone("text-tombstone", EVENTS, log));
        r.add(raw("json-not-avro", EVENTS, log, "not-avro",
                "a TextEvent written as JSON",
                () -> "{\"streamId\":\"log-a\",\"seq\":1006,\"timestamp\":1700000000000,\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8)));
        r.add(avro("text-trailing-bytes", EVENTS, log, "TextEvent", "not-avro",
                "the body of a good message followed by 3 more bytes",
                () -> {
                    byte[] good = body(text(LOG, 1007, "a good line"));
                    byte[] out = Arrays.copyOf(good, good.length + 3);
                    out[good.length] = 1;
                    return out;
                }));
        r.add(avro("header-only", EVENTS, log, "TextEvent", "not-avro",
                "an empty body: the 5-byte Confluent header and nothing else",
                () -> new byte[0]));

        // any topic: framing
        r.add(raw("garbage", FRAMES, cam, "not-avro", "the ASCII line 'this is not a frame'",
                () -> "this is not a frame\n".getBytes(StandardCharsets.UTF_8)));
        r.add(raw("empty-value", CHUNKS, mic, "not-avro", "a value of 0 bytes", () -> new byte[0]));
        r.add(raw("four-bytes", EVENTS, log, "not-avro", "00 00 00 01: shorter than the Confluent header",
                () -> new byte[] {0, 0, 0, 1}));
        r.add(unknownSchemaId("text-unknown-schema-id", EVENTS, log, "framing/good-text-event.avro",
                () -> body(text(LOG, 1008, "a good line"))));
        r.add(new Recipe(new Case("text-event-on-frames", FRAMES, cam, "framing/good-text-event.avro", "avro:TextEvent", "not-avro",
                "the same good TextEvent, framed with its own (registered) id, on the frames topic"),
                () -> body(text(LOG, 1008, "a good line"))));

        // token topics: what the decoders read
        r.addAll(tokenRecipes());
        // near the size limit, made at run time
        r.add(generated("noise-at-size-limit", FRAMES, cam, "raw", "not-avro",
                "random bytes, weir.max.event.bytes less 4 KiB: the dead letter keeps a 64 KiB prefix"));
        r.add(generated("zeros-over-size-limit", FRAMES, cam, "raw", "oversized",
                "weir.max.event.bytes + 1 zeros, sent lz4-compressed (so the broker takes them)"));
        r.add(generated("rgb24-decodes-over-size-limit", FRAMES, cam, "avro:VideoFrame", "oversized",
                "a 1024x681 RGB24 frame: it fits a record, its decoded frame with its framing would not"));
        r.add(generated("pcm16-8khz-decodes-over-size-limit", CHUNKS, mic, "avro:AudioChunk", "oversized",
                "8 kHz mono PCM16 of 3/5 of the limit: decoded at 16 kHz it would be twice as large"));
        r.add(generated("text-over-message-limit", EVENTS, log, "avro:TextEvent", "oversized",
                "a message one byte above weir.text.max.message.bytes"));
        return r;
    }

    private static List<Recipe> tokenRecipes() {
        List<Recipe> r = new ArrayList<>();
        VideoCodebook codebook = VideoCodebook.defaultFor(16);
        Supplier<TokenBatch> video = () -> {
            try (VideoKernels kernels = Kernels.video("jvm")) {
                RgbFrame corner = new RgbFrame(64, 48, treeCorner(64, 48));
                Encoded<FrameGeometry> e = VideoEncoder.create(codebook, kernels, CompressionConfig.none()).encode(0, corner);
                return timeless(TokenBatches.toAvro("forged-video", WHEN.toEpochMilli(), dev.weir.avro.Modality.VIDEO,
                        codebook.tokenizerRef(), e.packet(), 0, new VideoModality().layoutToAvro(e.layout()), "jvm"));
            }
        };
        r.add(avro("video-batch-declares-8192x8192", VIDEO_TOKENS, key("forged-video-1"), "TokenBatch", "oversized",
                "a stream's first video batch (not a keyframe, no tokens) whose geometry is 8192x8192: 201 MB to decode",
                () -> {
                    TokenBatch real = video.get();
                    return body(TokenBatch.newBuilder(real).setStreamId("forged-video-1").setKeyframe(false)
                            .setTokens(List.of()).setPositions(List.of()).setReusedPositions(List.of())
                            .setStats(BatchStats.newBuilder(real.getStats()).setPositionsTotal(512 * 512).build())
                            .setLayout(new VideoGeometry(8192, 8192, 16)).build());
                }));
        r.add(avro("video-batch-position-out-of-range", VIDEO_TOKENS, key("forged-video-2"), "TokenBatch", "undecodable-tokens",
                "a real keyframe of the 64x48 corner (12 patches) whose last position is 99",
                () -> {
                    TokenBatch real = video.get();
                    List<Integer> positions = new ArrayList<>(real.getPositions());
                    positions.set(positions.size() - 1, 99);
                    return body(TokenBatch.newBuilder(real).setStreamId("forged-video-2").setKeyframe(false).setPositions(positions).build());
                }));
        r.add(avro("video-batch-other-tokenizer", VIDEO_TOKENS, key("forged-video-3"), "TokenBatch", "undecodable-tokens",
                "a real keyframe of the 64x48 corner whose tokenizer id is video-patch-other",
                () -> {
                    TokenBatch real = video.get();
                    return body(TokenBatch.newBuilder(real).setStreamId("forged-video-3")
                            .setTokenizer(new dev.weir.avro.TokenizerRef("video-patch-other", real.getTokenizer().getVersion(),
                                    real.getTokenizer().getCodebookHash())).build());
                }));
        r.add(avro("token-array-count-2^60", VIDEO_TOKENS, key("forged-video-4"), "TokenBatch", "not-avro",
                "a real keyframe's body whose tokens array claims a block of 2^60 items",
                () -> tokenArrayBomb(video.get())));
        r.add(avro("audio-batch-declares-5-minutes", AUDIO_TOKENS, key("forged-audio-1"), "TokenBatch", "oversized",
                "a stream's first audio batch of 15000 frames (the layout's bound) and no tokens: 9.6 MB of PCM to decode",
                () -> body(audioBomb())));
        TextTokenizer bpe = TextTokenizer.of(BpeEncoding.CL100K_BASE);
        r.add(avro("text-batch-1024-longest-tokens", TEXT_TOKENS, key("forged-text-1"), "TokenBatch", "oversized",
                "a stream's first text batch: 1024 times the longest cl100k_base token (128 bytes), 128 KiB of text",
                () -> {
                    int longest = longestToken(bpe);
                    return body(textBatch("forged-text-1", bpe, IntStream.generate(() -> longest).limit(1024).toArray()));
                }));
        r.add(avro("text-batch-unknown-token", TEXT_TOKENS, key("forged-text-2"), "TokenBatch", "undecodable-tokens",
                "a stream's first text batch holding the id 999999, outside the vocabulary",
                () -> body(textBatch("forged-text-2", bpe, new int[] {999_999}))));
        return r;
    }

    private static Recipe avro(String name, String topic, byte[] key, String record, String reason, String how, Supplier<byte[]> body) {
        String folder = switch (topic) {
            case FRAMES -> "video";
            case CHUNKS -> "audio";
            case EVENTS -> "text";
            default -> "tokens";
        };
        return new Recipe(new Case(name, topic, key, folder + "/" + name + ".avro", "avro:" + record, reason, how), body);
    }

    private static Recipe raw(String name, String topic, byte[] key, String reason, String how, Supplier<byte[]> bytes) {
        return new Recipe(new Case(name, topic, key, "framing/" + name + ".bin", "raw", reason, how), bytes);
    }

    private static Recipe tombstone(String name, String topic, byte[] key) {
        return new Recipe(new Case(name, topic, key, "(null)", "raw", "not-avro",
                "key " + new String(key, StandardCharsets.UTF_8) + ", null value"), () -> null);
    }

    /** A good event's body behind the Confluent header of {@link #UNKNOWN_SCHEMA_ID}. */
    private static Recipe unknownSchemaId(String name, String topic, byte[] key, String file, Supplier<byte[]> body) {
        return new Recipe(new Case(name, topic, key, file, "id:" + UNKNOWN_SCHEMA_ID, "unknown-schema",
                "the body of a good event framed with schema id " + UNKNOWN_SCHEMA_ID + ", which no registry has"), body);
    }

    private static Recipe generated(String name, String topic, byte[] key, String framing, String reason, String how) {
        return new Recipe(new Case(name, topic, key, "generated:" + name, framing, reason, how), () -> null);
    }

    // --- events

    static VideoFrame frame(String streamId, long seq, int width, int height, PixelFormat format, byte[] data) {
        return VideoFrame.newBuilder().setStreamId(streamId).setSeq(seq).setTimestamp(WHEN.plusMillis(seq)).setWidth(width)
                .setHeight(height).setFormat(format).setData(ByteBuffer.wrap(data)).build();
    }

    static AudioChunk chunk(String streamId, long seq, int rate, int channels, AudioFormat format, byte[] data) {
        return AudioChunk.newBuilder().setStreamId(streamId).setSeq(seq).setTimestamp(WHEN.plusMillis(seq)).setSampleRate(rate)
                .setChannels(channels).setFormat(format).setData(ByteBuffer.wrap(data)).build();
    }

    static TextEvent text(String streamId, long seq, String text) {
        return TextEvent.newBuilder().setStreamId(streamId).setSeq(seq).setTimestamp(WHEN.plusMillis(seq)).setText(text).build();
    }

    /** The Avro binary body of {@code record} (no Confluent header). */
    static byte[] body(SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] body(Schema schema, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes Avro by hand, for bodies no writer would make. */
    private interface AvroWriting {
        void write(BinaryEncoder encoder) throws IOException;
    }

    private static byte[] handWritten(AvroWriting writing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writing.write(encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A VideoFrame body with any enum index and any declared data length, followed by {@code data}. */
    private static byte[] videoBody(long seq, int width, int height, int formatIndex, long dataLength, byte[] data) {
        return handWritten(e -> {
            e.writeString(CAMERA);
            e.writeLong(seq);
            e.writeLong(WHEN.toEpochMilli() + seq);
            e.writeInt(width);
            e.writeInt(height);
            e.writeEnum(formatIndex);
            e.writeLong(dataLength);
            e.writeFixed(data);
        });
    }

    private static byte[] bgr24Body(byte[] rgb) {
        Schema schema = schema("schemas/VideoFrame-bgr24.avsc");
        GenericRecord frame = new GenericData.Record(schema);
        frame.put("streamId", CAMERA);
        frame.put("seq", 1018L);
        frame.put("timestamp", WHEN.toEpochMilli() + 1018);
        frame.put("width", 64);
        frame.put("height", 48);
        frame.put("format", new GenericData.EnumSymbol(schema.getField("format").schema(), "BGR24"));
        frame.put("data", ByteBuffer.wrap(rgb));
        return body(schema, frame);
    }

    private static byte[] f64leBody(byte[] data) {
        Schema schema = schema("schemas/AudioChunk-f64le.avsc");
        GenericRecord chunk = new GenericData.Record(schema);
        chunk.put("streamId", MICROPHONE);
        chunk.put("seq", 1010L);
        chunk.put("timestamp", WHEN.toEpochMilli() + 1010);
        chunk.put("sampleRate", 16000);
        chunk.put("channels", 1);
        chunk.put("format", new GenericData.EnumSymbol(schema.getField("format").schema(), "F64LE"));
        chunk.put("data", ByteBuffer.wrap(data));
        chunk.put("endOfStream", false);
        return body(schema, chunk);
    }

    private static byte[] textBody(String streamId, long seq, byte[] text) {
        return textBodyWithStreamId(streamId.getBytes(StandardCharsets.UTF_8), seq, text);
    }

    private static byte[] textBodyWithStreamId(byte[] streamId, long seq, String text) {
        return textBodyWithStreamId(streamId, seq, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A TextEvent body with any bytes in its strings (Avro's writers only write valid UTF-8). */
    private static byte[] textBodyWithStreamId(byte[] streamId, long seq, byte[] text) {
        return handWritten(e -> {
            e.writeBytes(streamId); // a string is written as its length and bytes, like bytes
            e.writeLong(seq);
            e.writeLong(WHEN.toEpochMilli() + seq);
            e.writeBytes(text);
        });
    }

    private static byte[] tokenArrayBomb(TokenBatch real) {
        return handWritten(e -> {
            e.writeString("forged-video-4");
            e.writeLong(real.getSeq());
            e.writeEnum(real.getModality().ordinal());
            e.writeLong(real.getTimestamp().toEpochMilli());
            e.writeString(real.getTokenizer().getId());
            e.writeString(real.getTokenizer().getVersion());
            e.writeString(real.getTokenizer().getCodebookHash());
            e.writeInt(real.getTokensPerPosition());
            e.writeLong(1L << 60); // the tokens array's first block: 2^60 items
            for (int token : real.getTokens()) {
                e.writeInt(token);
            }
        });
    }

    private static TokenBatch audioBomb() {
        AudioCodebook codebook = AudioCodebook.defaultCodebook();
        try (VectorKernels kernels = Kernels.vector("jvm")) {
            AudioEncoder encoder = AudioEncoder.create(codebook, kernels, AudioCompressionConfig.none());
            PcmChunk second = PcmChunk.of(16000, 1, SampleFormat.PCM_S16LE, speech(32_000), Integer.MAX_VALUE);
            Encoded<AudioLayout> e = encoder.encode(0, second);
            AudioLayout l = e.layout();
            int frames = AudioLayout.MAX_FRAMES;
            AudioLayout forged = new AudioLayout(l.sampleRate(), l.hopSamples(), l.stagesPerFrame(), 0, frames, 0,
                    (frames - 1) * l.hopSamples(), new int[0], false);
            TokenBatch real = timeless(TokenBatches.toAvro("forged-audio-1", WHEN.toEpochMilli(), dev.weir.avro.Modality.AUDIO,
                    codebook.tokenizerRef(), e.packet(), 0, new AudioModality().layoutToAvro(forged), "jvm"));
            return TokenBatch.newBuilder(real).setKeyframe(false).setTokens(List.of()).setPositions(List.of())
                    .setReusedPositions(List.of()).setPrunedCount(0)
                    .setStats(BatchStats.newBuilder(real.getStats()).setPositionsTotal(forged.positionsTotal()).build()).build();
        }
    }

    /** {@code batch} without its encode time, so that a regenerated file is the same. */
    private static TokenBatch timeless(TokenBatch batch) {
        return TokenBatch.newBuilder(batch).setStats(BatchStats.newBuilder(batch.getStats()).setEncodeNanos(0).build()).build();
    }

    private static TokenBatch textBatch(String streamId, TextTokenizer bpe, int[] ids) {
        List<Integer> tokens = Arrays.stream(ids).boxed().toList();
        return TokenBatch.newBuilder().setStreamId(streamId).setSeq(0).setModality(dev.weir.avro.Modality.TEXT).setTimestamp(WHEN)
                .setTokenizer(TokenBatches.toAvro(bpe.ref())).setTokensPerPosition(1).setTokens(tokens)
                .setPositions(IntStream.range(0, ids.length).boxed().toList()).setKeyframe(true)
                .setStats(BatchStats.newBuilder().setPositionsTotal(ids.length).build()).setBatchSeq(0)
                .setLayout(dev.weir.avro.TextLayout.newBuilder().setKind(TextLayoutKind.LITERAL).build()).build();
    }

    /** The id of the vocabulary's longest token (the first, if several are as long). */
    private static int longestToken(TextTokenizer bpe) {
        int longest = 0;
        int length = 0;
        for (int id = 0; id < bpe.vocabularySize(); id++) {
            int n = bpe.decodeBytes(new int[] {id}, 0, 1).length;
            if (n > length) {
                longest = id;
                length = n;
            }
        }
        return longest;
    }

    // --- media

    private static byte[] treeJpeg() {
        return SampleFrames.treeJpeg(2);
    }

    private static byte[] treeJpeg(int number) {
        return SampleFrames.treeJpeg(number);
    }

    /** The top-left {@code width}x{@code height} of tree frame 2, RGB24. */
    private static byte[] treeCorner(int width, int height) {
        RgbFrame tree = SampleFrames.treeRgb(2);
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(tree.rgb(), y * tree.width() * 3, out, y * width * 3, width * 3);
        }
        return out;
    }

    /** {@code jpeg} with every 7th byte of the 1000 bytes 200 after its SOS marker replaced (seed 14). */
    private static byte[] corruptScan(byte[] jpeg) {
        byte[] out = jpeg.clone();
        int sos = marker(out, 0xDA);
        Random random = new Random(14);
        for (int i = sos + 200; i < sos + 1200; i += 7) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    /** {@code jpeg} with the size in its SOF0 segment replaced. */
    private static byte[] jpegDeclaring(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        int sof = marker(out, 0xC0);
        ByteBuffer.wrap(out, sof + 5, 4).putShort((short) height).putShort((short) width);
        return out;
    }

    private static int marker(byte[] jpeg, int code) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == code) {
                return i;
            }
        }
        throw new IllegalStateException("no marker FF " + Integer.toHexString(code));
    }

    /** Rows of {@code rowBytes}, each behind PNG filter byte 0 (none). */
    private static byte[] filtered(byte[] pixels, int rowBytes, int rows) {
        byte[] out = new byte[rows * (rowBytes + 1)];
        for (int y = 0; y < rows; y++) {
            System.arraycopy(pixels, y * rowBytes, out, y * (rowBytes + 1) + 1, rowBytes);
        }
        return out;
    }

    private static byte[] deflate(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG file: signature, IHDR, one IDAT of {@code zlib}, IEND. */
    private static byte[] png(int width, int height, int bitDepth, int colourType, byte[] zlib) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colourType);
        out.writeBytes(pngChunk("IHDR", ihdr.array()));
        out.writeBytes(pngChunk("IDAT", zlib));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] pngChunk(String type, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] name = type.getBytes(StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(name);
            crc.update(data);
            out.writeInt(data.length);
            out.write(name);
            out.write(data);
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The smallest GIF: 1x1, a two-colour global table, one image. */
    private static byte[] gif1x1() {
        return HexFormat.of().parseHex("4749463839610100010080000000000000ffffff21f90401000000002c00000000010001000002024401003b");
    }

    /** The first {@code n} bytes of the speech sample's PCM16 data. */
    private static byte[] speech(int n) {
        return speech(0, n);
    }

    /** {@code n} bytes of the speech sample's PCM16 data from byte {@code from}, wrapping round at its end. */
    private static byte[] speech(long from, int n) {
        byte[] pcm;
        try {
            pcm = WavReader.read(Path.of("samples/audio/librivox-sense-0880.wav")).data();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = pcm[(int) ((from + i) % pcm.length)];
        }
        return out;
    }

    private static byte[] floats(float... values) {
        ByteBuffer out = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            out.putFloat(v);
        }
        return out.array();
    }

    /** 160 samples (10 ms at 16 kHz) of a 440 Hz tone at half scale, sample {@code at} replaced by {@code value}. */
    private static byte[] toneWith(int at, float value) {
        float[] tone = new float[160];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = 0.5f * (float) Math.sin(2 * Math.PI * 440 * i / 16000);
        }
        tone[at] = value;
        return floats(tone);
    }

    /** Text, with raw bytes (ints 0..255) between the pieces. */
    private static byte[] bytes(Object... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object piece : pieces) {
            if (piece instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(piece.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
