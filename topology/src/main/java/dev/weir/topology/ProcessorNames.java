package dev.weir.topology;

import dev.weir.topology.internals.IdleStreamExpiry;

/**
 * The names of one modality's nodes and state stores in the topology (they name changelog topics and metric
 * tags, so they stay stable across versions).
 *
 * @param modality the modality's name
 * @param input    the last part of its input topic's name, for the source node
 */
public record ProcessorNames(String modality, String input) {

    public String eventsSource() {
        return modality + "-" + input + "-source";
    }

    public String tokenizer() {
        return modality + "-tokenizer";
    }

    public String tokensSink() {
        return modality + "-tokens-sink";
    }

    public String tokenizerDeadLetters() {
        return modality + "-tokenizer-dead-letters-sink";
    }

    public String tokensSource() {
        return modality + "-tokens-source";
    }

    public String decoder() {
        return modality + "-decoder";
    }

    public String decodedSink() {
        return modality + "-decoded-sink";
    }

    public String decoderDeadLetters() {
        return modality + "-decoder-dead-letters-sink";
    }

    /** Changelogged store: stream id → encoder snapshot. */
    public String encoderStore() {
        return "weir-" + modality + "-encoder";
    }

    /** Changelogged store: stream id → decoder snapshot. */
    public String decoderStore() {
        return "weir-" + modality + "-decoder";
    }

    /** Changelogged store: stream id → time of the last event tokenized, for the idle timeout. */
    public String encoderLastSeenStore() {
        return IdleStreamExpiry.lastSeenStoreName(encoderStore());
    }

    /** Changelogged store: stream id → time of the last batch decoded, for the idle timeout. */
    public String decoderLastSeenStore() {
        return IdleStreamExpiry.lastSeenStoreName(decoderStore());
    }
}
