package dev.weir.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * The codec's own (Avro-free) form of one token batch: the tokens of one unit of media after
 * compression. Same semantics as the Avro {@code TokenBatch} (see {@code schemas/TokenBatch.avsc});
 * the topology maps one to the other field by field.
 *
 * <p>Arrays are handed over, not copied: neither the producer nor the consumer may change them after
 * construction.
 *
 * @param seq               seq of the source unit
 * @param keyframe          every position is sent: a decoder that joins late can resynchronise here
 * @param positionsTotal    positions in the unit before compression (patches in the frame)
 * @param tokensPerPosition tokens per emitted position: 1 + residual stages for video
 * @param positions         emitted positions, strictly ascending, each in [0, positionsTotal)
 * @param tokens            {@code tokens[i*tokensPerPosition + s]} is stage s of {@code positions[i]}
 * @param reusedPositions   positions the cacher found unchanged (not re-sent), strictly ascending
 * @param prunedCount       changed positions the pruner dropped to meet the budget
 * @param positionsChanged  positions whose change exceeded the cacher's threshold
 * @param encodeNanos       wall time spent tokenizing and compressing the unit
 */
public record TokenPacket(long seq, boolean keyframe, int positionsTotal, int tokensPerPosition,
                          int[] positions, int[] tokens, int[] reusedPositions, int prunedCount,
                          int positionsChanged, long encodeNanos) {

    public TokenPacket {
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(reusedPositions, "reusedPositions");
        if (positionsTotal < 0 || tokensPerPosition < 1 || prunedCount < 0 || positionsChanged < 0) {
            throw new MediaFormatException("token packet counts out of range: positionsTotal=" + positionsTotal
                    + " tokensPerPosition=" + tokensPerPosition + " prunedCount=" + prunedCount
                    + " positionsChanged=" + positionsChanged);
        }
        if ((long) positions.length * tokensPerPosition != tokens.length) {
            throw new MediaFormatException("token packet carries " + tokens.length + " tokens for "
                    + positions.length + " positions at " + tokensPerPosition + " per position; expected "
                    + (long) positions.length * tokensPerPosition);
        }
        checkAscending("positions", positions, positionsTotal);
        checkAscending("reusedPositions", reusedPositions, positionsTotal);
        if (keyframe && positions.length != positionsTotal) {
            throw new MediaFormatException("keyframe packet must carry all " + positionsTotal
                    + " positions, carries " + positions.length);
        }
    }

    /** Number of emitted positions. */
    public int positionCount() {
        return positions.length;
    }

    /** Stage {@code stage} token of the {@code i}-th emitted position. */
    public int token(int i, int stage) {
        return tokens[i * tokensPerPosition + stage];
    }

    private static void checkAscending(String name, int[] values, int total) {
        int previous = -1;
        for (int v : values) {
            if (v <= previous || v >= total) {
                throw new MediaFormatException(name + " must be strictly ascending in [0, " + total
                        + "), found " + v + " after " + previous);
            }
            previous = v;
        }
    }

    /** Equal packets carry the same tokens; the wall time it took to encode them is not part of a packet's identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TokenPacket p && seq == p.seq && keyframe == p.keyframe
                && positionsTotal == p.positionsTotal && tokensPerPosition == p.tokensPerPosition
                && prunedCount == p.prunedCount && positionsChanged == p.positionsChanged
                && Arrays.equals(positions, p.positions)
                && Arrays.equals(tokens, p.tokens) && Arrays.equals(reusedPositions, p.reusedPositions);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(seq);
        h = 31 * h + positionsTotal;
        h = 31 * h + Arrays.hashCode(positions);
        return 31 * h + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "TokenPacket[seq=" + seq + ", keyframe=" + keyframe + ", positions=" + positions.length + "/"
                + positionsTotal + ", tokensPerPosition=" + tokensPerPosition + ", reused="
                + reusedPositions.length + ", pruned=" + prunedCount + ", changed=" + positionsChanged + "]";
    }
}
