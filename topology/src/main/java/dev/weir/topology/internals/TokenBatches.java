package dev.weir.topology.internals;

import dev.weir.avro.BatchStats;
import dev.weir.avro.Modality;
import dev.weir.avro.TokenBatch;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Field-by-field mapping between the codec's {@link TokenPacket} and the Avro {@link TokenBatch}. */
public final class TokenBatches {

    private TokenBatches() {
    }

    /**
     * The token batch of {@code packet}, the {@code batchSeq}-th of its stream, with the modality's layout (its
     * branch of the layout union) beside the tokens.
     */
    public static TokenBatch toAvro(String streamId, long timestamp, Modality modality, TokenizerRef tokenizer,
                                    TokenPacket packet, long batchSeq, Object layout, String backend) {
        return TokenBatch.newBuilder()
                .setStreamId(streamId)
                .setSeq(packet.seq())
                .setModality(modality)
                .setTimestamp(Instant.ofEpochMilli(timestamp))
                .setTokenizer(toAvro(tokenizer))
                .setTokensPerPosition(packet.tokensPerPosition())
                .setTokens(boxed(packet.tokens()))
                .setPositions(boxed(packet.positions()))
                .setReusedPositions(boxed(packet.reusedPositions()))
                .setPrunedCount(packet.prunedCount())
                .setKeyframe(packet.keyframe())
                .setStats(BatchStats.newBuilder()
                        .setPositionsTotal(packet.positionsTotal())
                        .setPositionsChanged(packet.positionsChanged())
                        .setPositionsReused(packet.reusedPositions().length)
                        .setPositionsPruned(packet.prunedCount())
                        .setEncodeNanos(packet.encodeNanos())
                        .setBackend(backend)
                        .build())
                .setBatchSeq(batchSeq)
                .setLayout(layout)
                .build();
    }

    public static TokenPacket toPacket(TokenBatch batch) {
        BatchStats stats = batch.getStats();
        return new TokenPacket(batch.getSeq(), batch.getKeyframe(), stats.getPositionsTotal(), batch.getTokensPerPosition(),
                unboxed(batch.getPositions()), unboxed(batch.getTokens()), unboxed(batch.getReusedPositions()),
                batch.getPrunedCount(), stats.getPositionsChanged(), stats.getEncodeNanos());
    }

    public static dev.weir.avro.TokenizerRef toAvro(TokenizerRef ref) {
        return new dev.weir.avro.TokenizerRef(ref.id(), ref.version(), ref.codebookHash());
    }

    public static TokenizerRef fromAvro(dev.weir.avro.TokenizerRef ref) {
        return new TokenizerRef(ref.getId(), ref.getVersion(), ref.getCodebookHash());
    }

    /** An Avro {@code array<int>} field's value. */
    public static List<Integer> boxed(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** An Avro {@code array<int>} field's value as an array. */
    public static int[] unboxed(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
