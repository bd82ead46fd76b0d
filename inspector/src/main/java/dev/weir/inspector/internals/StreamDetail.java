package dev.weir.inspector.internals;

/**
 * One stream's panel (JSON, {@code /inspector/api/stream/ID}): its row of the stream list and its modality's view
 * ({@link VideoView}, {@link AudioView}, {@link TextView}; null for a plug-in modality).
 */
public record StreamDetail(StreamSummary summary, Object view) {
}
