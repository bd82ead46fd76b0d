package dev.weir.cli;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TextEvent;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.video.FrameSource;
import dev.weir.codec.video.RgbFrame;
import dev.weir.topology.audio.AudioModality;
import dev.weir.topology.text.TextModality;
import dev.weir.topology.video.VideoModality;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The benchmarks' records, from the bundled samples: video as raw RGB24 frames of the static-camera clip
 * (640×480, what a camera pipeline sends; played forward and back so that a stream never jumps), audio as
 * 500 ms PCM16 chunks of the speech sample, text as the lines of the machine log, each looped as long as asked.
 * Stream {@code s} of a modality starts {@code s} steps into its sample, so that streams differ.
 */
final class BenchWorkload {

    /** One event with its stream and number, as produced. */
    record Event(String streamId, long seq, SpecificRecord value) {
    }

    private static final int AUDIO_CHUNK_MS = 500;

    private final List<byte[]> rgbFrames;
    private final int width;
    private final int height;
    private final List<AudioChunk> audioChunks;
    private final List<String> lines;

    private BenchWorkload(List<byte[]> rgbFrames, int width, int height, List<AudioChunk> audioChunks, List<String> lines) {
        this.rgbFrames = rgbFrames;
        this.width = width;
        this.height = height;
        this.audioChunks = audioChunks;
        this.lines = lines;
    }

    /** Reads the samples under {@code samples} once. */
    static BenchWorkload load(Path samples) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        int[] size = new int[2];
        try (FrameSource source = FrameSource.open(samples.resolve("video/coffee-sprite"))) {
            for (Optional<RgbFrame> frame = source.next(); frame.isPresent(); frame = source.next()) {
                size[0] = frame.get().width();
                size[1] = frame.get().height();
                frames.add(frame.get().rgb());
            }
        }
        List<AudioChunk> chunks = new ArrayList<>();
        try (EventReader<AudioChunk> reader = AudioFiles.open(samples.resolve("audio/librivox-sense-0880.wav"), "sample",
                Integer.MAX_VALUE, AUDIO_CHUNK_MS)) {
            for (Optional<AudioChunk> c = reader.next(); c.isPresent(); c = reader.next()) {
                if (!c.get().getEndOfStream()) { // the short last chunk would end the stream
                    chunks.add(c.get());
                }
            }
        }
        List<String> text = Files.readAllLines(samples.resolve("text/dpkg-excerpt.log"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        return new BenchWorkload(List.copyOf(frames), size[0], size[1], List.copyOf(chunks), text);
    }

    /** What one unit of {@code modality} is, for reports. */
    String describe(String modality) {
        return switch (modality) {
            case VideoModality.NAME -> width + "x" + height + " RGB24 frames (" + (width * height * 3) + " bytes)";
            case AudioModality.NAME -> AUDIO_CHUNK_MS + " ms PCM16 chunks at " + audioChunks.getFirst().getSampleRate() + " Hz";
            case TextModality.NAME -> "machine log lines (" + lines.stream().mapToInt(String::length).sum() / lines.size() + " chars on average)";
            default -> throw new IllegalArgumentException("no benchmark workload for modality " + modality);
        };
    }

    /** Event {@code seq} of stream number {@code stream} of {@code modality}, named {@code streamId}. */
    Event event(String modality, String streamId, int stream, long seq, long timestampMs) {
        Instant timestamp = Instant.ofEpochMilli(timestampMs);
        SpecificRecord value = switch (modality) {
            case VideoModality.NAME -> VideoFrame.newBuilder().setStreamId(streamId).setSeq(seq).setTimestamp(timestamp)
                    .setWidth(width).setHeight(height).setFormat(PixelFormat.RGB24)
                    .setData(ByteBuffer.wrap(rgbFrames.get(pingPong(stream + seq, rgbFrames.size())))).build();
            case AudioModality.NAME -> {
                AudioChunk sample = audioChunks.get((int) ((stream + seq) % audioChunks.size()));
                yield AudioChunk.newBuilder(sample).setStreamId(streamId).setSeq(seq).setTimestamp(timestamp)
                        .setData(sample.getData().duplicate()).setEndOfStream(false).build();
            }
            case TextModality.NAME -> TextEvent.newBuilder().setStreamId(streamId).setSeq(seq).setTimestamp(timestamp)
                    .setText(lines.get((int) ((stream * 7 + seq) % lines.size()))).build();
            default -> throw new IllegalArgumentException("no benchmark workload for modality " + modality);
        };
        return new Event(streamId, seq, value);
    }

    /** {@code streams} streams of {@code units} events each, interleaved (unit 0 of every stream, then unit 1, ...). */
    List<Event> interleaved(String modality, String prefix, int streams, int units) {
        List<Event> events = new ArrayList<>(streams * units);
        long now = System.currentTimeMillis();
        for (int u = 0; u < units; u++) {
            for (int s = 0; s < streams; s++) {
                events.add(event(modality, prefix + "-" + s, s, u, now + u * 40L));
            }
        }
        return events;
    }

    /** 0, 1, ..., n-1, n-2, ..., 1, 0, 1, ...: a clip played forward and back. */
    static int pingPong(long i, int n) {
        if (n == 1) {
            return 0;
        }
        int j = (int) (i % (2L * n - 2));
        return j < n ? j : 2 * n - 2 - j;
    }

}
