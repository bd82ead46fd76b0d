package dev.weir.inspector.internals;

import java.util.List;
import java.util.Map;

/**
 * The page's header and stream list (JSON, {@code /inspector/api/streams}).
 *
 * @param applicationId   the Weir application whose outputs are read
 * @param now             the inspector's clock, ms since the epoch (to age {@code lastReadMillis})
 * @param window          events kept per stream ({@code weir.inspector.window})
 * @param maxStreams      streams kept ({@code weir.inspector.streams})
 * @param inputsRead      whether the input topics are read ({@code weir.inspector.read.inputs})
 * @param topics          the topics read
 * @param records         records read since the inspector started
 * @param recordsPerSecond records read per second over the last 10 s of wall-clock time
 * @param unreadable      records that could not be deserialized (skipped)
 * @param streams         every stream kept, by modality then id
 * @param deadLetters     dead letters read since the inspector started
 * @param deadLettersByModality by the modality of their source topic ({@code ?} when unknown)
 * @param deadLettersByReason   by reason
 */
public record Overview(String applicationId, long now, int window, int maxStreams, boolean inputsRead, List<String> topics,
                       long records, double recordsPerSecond, long unreadable, List<StreamSummary> streams, long deadLetters,
                       Map<String, Long> deadLettersByModality, Map<String, Long> deadLettersByReason) {
}
