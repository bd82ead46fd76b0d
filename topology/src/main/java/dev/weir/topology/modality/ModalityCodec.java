package dev.weir.topology.modality;

import dev.weir.codec.StreamDecoder;
import dev.weir.codec.StreamEncoder;
import dev.weir.codec.TokenizerRef;

import java.util.Map;

/**
 * A modality's codec as one processor uses it: a factory of per-stream encoders and decoders sharing the
 * processor's resources (its kernels, its codebook), closed with the processor.
 *
 * @param <M> the unit of media
 * @param <L> the layout
 */
public interface ModalityCodec<M, L> extends AutoCloseable {

    /** The tokenizer its encoders and decoders speak; batches of another are refused. */
    TokenizerRef tokenizer();

    /** Where the work runs (a kernel backend and device, for example {@code jvm} or {@code opencl:...}); a metrics tag. */
    String backend();

    /**
     * Levels the processor reports as metrics after each unit, by name (for video on an accelerator:
     * {@code device-streams}, {@code device-bytes}, {@code device-fallbacks}); none by default.
     */
    default Map<String, Long> gauges() {
        return Map.of();
    }

    /** A fresh encoder for a new stream. */
    StreamEncoder<M, L> newEncoder();

    /** A fresh decoder for a new stream. */
    StreamDecoder<L, M> newDecoder();

    /** Releases the processor's resources (kernels, device memory). */
    @Override
    void close();
}
