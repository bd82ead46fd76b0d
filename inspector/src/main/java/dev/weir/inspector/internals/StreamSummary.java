package dev.weir.inspector.internals;

/**
 * One row of the stream list (JSON): a stream's totals since the inspector first saw it, and the compressor's numbers
 * over its window ({@link Rates}).
 *
 * @param id           the stream id (the record key)
 * @param modality     video, audio, text, or a plug-in's name
 * @param tokenizer    the tokenizer of its latest batch ({@code id/version})
 * @param backend      the kernel backend of its latest batch
 * @param batches      token batches read since the inspector started
 * @param decoded      decoded outputs read since the inspector started
 * @param deadLetters  dead letters keyed by this stream's id read since the inspector started
 * @param lastSeq      the seq of its latest batch
 * @param lastTimestamp the stream time of its latest batch, ms since the epoch
 * @param lastReadMillis when the inspector read its latest record, ms since the epoch (wall clock)
 * @param window       the window's numbers
 */
public record StreamSummary(String id, String modality, String tokenizer, String backend, long batches, long decoded,
                            long deadLetters, long lastSeq, long lastTimestamp, long lastReadMillis, Rates window) {
}
