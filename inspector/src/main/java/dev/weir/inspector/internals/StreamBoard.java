package dev.weir.inspector.internals;

import dev.weir.avro.TokenBatch;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything the inspector holds: a {@link StreamTracker} per stream (at most {@code maxStreams}; the stream read
 * least recently is forgotten first), the last {@value #DEAD_LETTERS} dead letters and their counts. The reader
 * thread writes, HTTP threads read: every method holds the board's lock, and what leaves it is an immutable view or a
 * copy.
 */
public final class StreamBoard {

    /** Dead letters listed on the page. */
    static final int DEAD_LETTERS = 100;
    /** Stream ids whose dead letters are counted, beside the streams kept. */
    static final int DEAD_LETTER_KEYS = 1024;
    /** The wall-clock span of the read rate. */
    static final long RATE_MILLIS = 10_000;

    private final String applicationId;
    private final int window;
    private final int maxStreams;
    private final boolean inputsRead;
    private final List<String> topics;
    private final Map<String, StreamTracker> streams;
    private final BoundedWindow<DeadLetter> deadLetters = new BoundedWindow<>(DEAD_LETTERS);
    private final Map<String, Long> deadLettersByKey = Bounded.map(DEAD_LETTER_KEYS);
    private final Map<String, Long> deadLettersByModality = new TreeMap<>();
    private final Map<String, Long> deadLettersByReason = new TreeMap<>();
    private final ArrayDeque<long[]> reads = new ArrayDeque<>(); // {second, records}
    private long deadLetterCount;
    private long records;
    private long unreadable;

    public StreamBoard(String applicationId, int window, int maxStreams, boolean inputsRead, List<String> topics) {
        this.applicationId = applicationId;
        this.window = window;
        this.maxStreams = maxStreams;
        this.inputsRead = inputsRead;
        this.topics = List.copyOf(topics);
        this.streams = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StreamTracker> eldest) {
                return size() > StreamBoard.this.maxStreams;
            }
        };
    }

    public synchronized void onTokens(String modality, TokenBatch batch, long now) {
        counted(now);
        tracker(modality, batch.getStreamId()).onTokens(batch, now);
    }

    public synchronized void onDecoded(String modality, String streamId, SpecificRecord decoded, long now) {
        counted(now);
        tracker(modality, streamId).onDecoded(decoded, now);
    }

    /** An input event (read only when the inputs may be read). */
    public synchronized void onInput(String modality, String streamId, SpecificRecord event, long now) {
        counted(now);
        tracker(modality, streamId).onInput(event, now);
    }

    public synchronized void onDeadLetter(DeadLetter letter, long now) {
        counted(now);
        deadLetters.add(letter);
        deadLetterCount++;
        deadLettersByKey.merge(letter.key(), 1L, Long::sum);
        deadLettersByModality.merge(letter.modality().isEmpty() ? "?" : letter.modality(), 1L, Long::sum);
        deadLettersByReason.merge(letter.reason().isEmpty() ? "?" : letter.reason(), 1L, Long::sum);
    }

    /** A record that could not be read (not Avro, an unknown schema). */
    public synchronized void onUnreadable(long now) {
        counted(now);
        unreadable++;
    }

    public synchronized Overview overview(long now) {
        List<StreamSummary> rows = new ArrayList<>();
        for (StreamTracker t : streams.values()) {
            rows.add(summary(t));
        }
        rows.sort(Comparator.comparing(StreamSummary::modality, Comparator.comparingInt(StreamBoard::modalityOrder)
                .thenComparing(Comparator.naturalOrder())).thenComparing(StreamSummary::id));
        return new Overview(applicationId, now, window, maxStreams, inputsRead, topics, records, readRate(now), unreadable, rows,
                deadLetterCount, new TreeMap<>(deadLettersByModality), new TreeMap<>(deadLettersByReason));
    }

    /** The stream's summary and its modality's view. */
    public synchronized Optional<StreamDetail> detail(String streamId) {
        StreamTracker t = streams.get(streamId);
        if (t == null) {
            return Optional.empty();
        }
        return Optional.of(new StreamDetail(summary(t), t.detail()));
    }

    /** A stream's row; the dead letters of its key that came before the stream was kept count too. */
    private StreamSummary summary(StreamTracker t) {
        return t.summary(deadLettersByKey.getOrDefault(t.id(), 0L));
    }

    /** The last dead letters, newest first. */
    public synchronized List<DeadLetter> deadLetters() {
        return deadLetters.items().reversed();
    }

    /** Runs {@code f} on the stream's tracker under the board's lock (for pictures and sound, copied out by {@code f}). */
    public synchronized <T> Optional<T> withTracker(String streamId, Function<StreamTracker, Optional<T>> f) {
        StreamTracker t = streams.get(streamId);
        return t == null ? Optional.empty() : f.apply(t);
    }

    private StreamTracker tracker(String modality, String streamId) {
        StreamTracker t = streams.get(streamId);
        if (t == null || !t.modality().equals(modality)) {
            t = switch (modality) {
                case "video" -> new VideoTracker(streamId, window, inputsRead);
                case "audio" -> new AudioTracker(streamId, window, inputsRead);
                case "text" -> new TextTracker(streamId, window);
                default -> new StreamTracker(streamId, modality, window);
            };
            streams.put(streamId, t);
        }
        return t;
    }

    private void counted(long now) {
        records++;
        long second = now / 1000;
        long[] last = reads.peekLast();
        if (last != null && last[0] == second) {
            last[1]++;
        } else {
            reads.addLast(new long[] {second, 1});
        }
        while (!reads.isEmpty() && reads.peekFirst()[0] <= second - RATE_MILLIS / 1000) {
            reads.removeFirst();
        }
    }

    private double readRate(long now) {
        long second = now / 1000;
        long n = 0;
        for (long[] r : reads) {
            if (r[0] > second - RATE_MILLIS / 1000) {
                n += r[1];
            }
        }
        return n * 1000.0 / RATE_MILLIS;
    }

    private static int modalityOrder(String modality) {
        return switch (modality) {
            case "video" -> 0;
            case "audio" -> 1;
            case "text" -> 2;
            default -> 3;
        };
    }
}
