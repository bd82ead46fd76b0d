package dev.weir.inspector.internals;

import dev.weir.avro.TokenBatch;

/**
 * What one token batch says about the compressor's work on one unit of media (a frame, a chunk, a message), as every
 * modality's batch carries it.
 *
 * @param seq           the source event's seq
 * @param batchSeq      the batch's number in its stream (-1 when unknown)
 * @param timestamp     the source event's time, ms since the epoch (stream time)
 * @param keyframe      every position sent
 * @param tokensFull    tokens a full tokenization would emit: positions × tokens per position
 * @param tokensEmitted tokens the batch carries
 * @param positions     positions of the unit (patches, audio frame slots, text ids)
 * @param sent          positions sent
 * @param reused        positions served from the cache (cache hits)
 * @param pruned        changed positions the pruner dropped
 * @param encodeNanos   time spent tokenizing and compressing the unit
 * @param backend       the kernel backend that computed the tokens
 */
public record BatchFacts(long seq, long batchSeq, long timestamp, boolean keyframe, long tokensFull, long tokensEmitted,
                         long positions, long sent, long reused, long pruned, long encodeNanos, String backend) {

    public static BatchFacts of(TokenBatch b) {
        long positions = b.getStats().getPositionsTotal();
        return new BatchFacts(b.getSeq(), b.getBatchSeq(), b.getTimestamp().toEpochMilli(), b.getKeyframe(),
                positions * Math.max(1, b.getTokensPerPosition()), b.getTokens().size(), positions, b.getPositions().size(),
                b.getReusedPositions().size(), b.getStats().getPositionsPruned(), b.getStats().getEncodeNanos(),
                b.getStats().getBackend());
    }
}
