package dev.weir.topology.internals;

import dev.weir.codec.Snapshottable;

/**
 * One stream's state in a processor: its codec (encoder or decoder) and the sequence state every modality
 * shares, kept in the generic snapshot header ({@link dev.weir.codec.SnapshotHeader}).
 */
public final class StreamState<S extends Snapshottable> {

    private final S codec;
    private boolean fresh;
    private long lastSeq;
    private long lastPacket;
    private boolean awaitingKeyframe;

    StreamState(S codec, boolean fresh, long lastSeq, long lastPacket, boolean awaitingKeyframe) {
        this.codec = codec;
        this.fresh = fresh;
        this.lastSeq = lastSeq;
        this.lastPacket = lastPacket;
        this.awaitingKeyframe = awaitingKeyframe;
    }

    /** The stream's encoder or decoder. */
    public S codec() {
        return codec;
    }

    /** Whether the stream had no usable stored state and has not been saved since: its codec is new. */
    public boolean fresh() {
        return fresh;
    }

    /** Seq of the last unit encoded or decoded; −1 before the first. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Number of the last packet emitted (encoder) or applied (decoder); −1 before the first. */
    public long lastPacket() {
        return lastPacket;
    }

    /** Whether the decoder saw a gap and waits for a keyframe. */
    public boolean awaitingKeyframe() {
        return awaitingKeyframe;
    }

    /** A unit of {@code seq} went out as, or came in as, packet number {@code packet}. */
    public void advance(long seq, long packet) {
        lastSeq = seq;
        lastPacket = packet;
        awaitingKeyframe = false;
    }

    /** The state was written to the store. */
    void saved() {
        fresh = false;
    }

    /** The decoder lost packets: nothing is applied until the next keyframe. */
    public void awaitKeyframe() {
        awaitingKeyframe = true;
    }
}
