package dev.weir.cli;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.TextEvent;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.audio.WavReader;
import dev.weir.codec.text.TextEvaluation;
import dev.weir.topology.TopicNames;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A mixed workload from {@code samples/}: video, audio and text streams interleaved record by record, as several
 * producers writing at once would leave them on the topics. Each stream numbers its events from 0.
 *
 * @param events every event, in the order they are produced
 */
record MixedMedia(List<Event> events) {

    /** One event and where it goes. */
    record Event(String modality, String streamId, long seq, SpecificRecord value) {

        String topic(TopicNames topics) {
            return topics.of(modality).input();
        }
    }

    /**
     * {@code streams} streams of each modality: the tree clip's first {@code frames} frames (320×240 JPEG), the
     * bundled speech in 200 ms chunks (15, the last one ending the stream), and {@code messages} dpkg log lines.
     */
    static MixedMedia of(String prefix, int streams, int frames, int messages) throws IOException {
        List<List<Event>> perStream = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            perStream.add(events("video", MediaFiles.openVideoFrames(Path.of("samples/video/tree"), prefix + "-cam-" + s, frames, 15)));
            perStream.add(events("audio", AudioFiles.chunks(WavReader.read(Path.of("samples/audio/librivox-sense-0880.wav")),
                    prefix + "-mic-" + s, Integer.MAX_VALUE, 200)));
            perStream.add(events("text", TextFiles.open(Path.of("samples/text/dpkg-excerpt.log"), prefix + "-log-" + s, messages,
                    TextEvaluation.MessageMode.LINES, 100)));
        }
        return new MixedMedia(roundRobin(perStream));
    }

    private static <E extends SpecificRecord> List<Event> events(String modality, EventReader<E> reader) throws IOException {
        List<Event> out = new ArrayList<>();
        try (reader) {
            for (Optional<E> e = reader.next(); e.isPresent(); e = reader.next()) {
                SpecificRecord value = e.get();
                out.add(new Event(modality, streamIdOf(value), seqOf(value), value));
            }
        }
        return out;
    }

    private static List<Event> roundRobin(List<List<Event>> lists) {
        List<Event> out = new ArrayList<>();
        List<Iterator<Event>> its = new ArrayList<>(lists.stream().map(List::iterator).toList());
        while (!its.isEmpty()) {
            its.removeIf(it -> !it.hasNext());
            its.forEach(it -> out.add(it.next()));
        }
        return out;
    }

    /** The events of each stream, by stream id, in order. */
    java.util.Map<String, List<Long>> seqsByStream() {
        java.util.Map<String, List<Long>> out = new java.util.TreeMap<>();
        events.forEach(e -> out.computeIfAbsent(e.streamId(), s -> new ArrayList<>()).add(e.seq()));
        return out;
    }

    static String streamIdOf(SpecificRecord r) {
        return switch (r) {
            case VideoFrame f -> f.getStreamId();
            case AudioChunk c -> c.getStreamId();
            case TextEvent t -> t.getStreamId();
            default -> String.valueOf(r.get(r.getSchema().getField("streamId").pos()));
        };
    }

    static long seqOf(SpecificRecord r) {
        return (Long) r.get(r.getSchema().getField("seq").pos());
    }
}
