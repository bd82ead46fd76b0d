package dev.weir.topology.audio;

import dev.weir.codec.audio.PcmChunk;

/**
 * Audio's unit of media in the topology: a chunk of PCM and whether it ends its stream (on the way in, the
 * {@code AudioChunk}'s flag, which makes the encoder flush; on the way out, the decoded samples of the batch
 * that flushed).
 */
public record AudioUnit(PcmChunk pcm, boolean endOfStream) {
}
