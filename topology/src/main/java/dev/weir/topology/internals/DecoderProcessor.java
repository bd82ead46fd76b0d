package dev.weir.topology.internals;

import dev.weir.avro.TokenBatch;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.SnapshotHeader;
import dev.weir.codec.StreamDecoder;
import dev.weir.codec.TokenizerRef;
import dev.weir.topology.DeadLetterReason;
import dev.weir.topology.ProcessorNames;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.modality.ModalityCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;

/**
 * Token batches in, decoded media out, for any modality: rebuilds each stream from the token topic alone,
 * as a downstream consumer would, with the decoder's state in a changelogged store.
 *
 * <p>Batches are numbered per stream by the tokenizer ({@code batchSeq}). A decoder that holds nothing for a
 * stream (it joined late, or its state was lost or expired), or that sees a number skipped (a batch set aside
 * or lost: a gap), applies nothing until the next keyframe, rather than paint changes over a picture that is
 * not the one they were made against; each such batch is an {@code undecodable-tokens} dead letter, and a
 * gap is counted ({@code gaps}). A batch whose number was already applied is a {@code stale-seq} dead letter.
 *
 * @param <M> the modality's unit of media
 * @param <L> its layout
 * @param <D> its decoded record
 */
public final class DecoderProcessor<M, L, D extends SpecificRecord> extends GuardedProcessor<TokenBatch> {

    /** The decoder keeps an idle stream this many times the configured timeout (see {@link #open}). */
    static final int DECODER_TIMEOUT_FACTOR = 2;

    private final Modality<?, M, L, D> modality;
    private final WeirConfig config;
    private final String storeName;
    private final Duration idleTimeout;
    private final String decodedSink;

    private ModalityCodec<M, L> codec;
    private StreamStates<StreamDecoder<L, M>> decoders;
    private IdleStreamExpiry expiry;
    private Sensor unitsDecoded;
    private Sensor gaps;

    public DecoderProcessor(Modality<?, M, L, D> modality, WeirConfig config, ProcessorNames names, Deserializer<TokenBatch> deserializer) {
        super(names.decoder(), names.decoderDeadLetters(), deserializer, config.getInt(WeirConfig.MAX_EVENT_BYTES),
                config.deadLetterMaxBytes());
        this.modality = modality;
        this.config = config;
        this.storeName = names.decoderStore();
        this.idleTimeout = config.streamIdleTimeout();
        this.decodedSink = names.decodedSink();
    }

    @Override
    protected void open(ProcessorContext<Object, Object> context, ProcessorMetrics metrics) {
        codec = modality.open(config);
        decoders = new StreamStates<>(context.getStateStore(storeName), codec::newDecoder, modality.name(),
                SnapshotHeader.Role.DECODER, codec.tokenizer());
        // Twice the tokenizer's timeout: the tokenizer always restarts an idle stream (with a keyframe, which
        // replaces whatever this decoder still holds) before the decoder forgets it, even when the two tasks'
        // stream times differ; a decoder that forgot first would refuse the tokenizer's next delta.
        Duration decoderTimeout = idleTimeout.toMillis() > Long.MAX_VALUE / DECODER_TIMEOUT_FACTOR
                ? idleTimeout : idleTimeout.multipliedBy(DECODER_TIMEOUT_FACTOR);
        expiry = IdleStreamExpiry.start(context, storeName, decoderTimeout, decoders::remove, metrics);
        metrics.tag("backend", codec.backend());
        unitsDecoded = metrics.sum(modality.units() + "-decoded", modality.units() + " rebuilt from tokens");
        gaps = metrics.sum("gaps", "times a stream's batch numbers skipped (batches lost or set aside) or a decoder joined a stream late: it waited for a keyframe, or resumed where the modality allows");
    }

    @Override
    protected String streamIdOf(TokenBatch batch) {
        return batch.getStreamId();
    }

    @Override
    protected void handle(String streamId, TokenBatch batch, Record<byte[], byte[]> source) throws BadRecordException {
        L layout = layoutOf(batch);
        long decodedBytes = modality.decodedBytes(layout);
        if (decodedBytes > maxEventBytes()) { // refused before anything is allocated or any state touched
            throw decodedTooLarge(decodedBytes, "token batch " + batch.getBatchSeq() + " of stream " + streamId);
        }
        StreamState<StreamDecoder<L, M>> stream = state(streamId);
        if (startsStream(batch) && !stream.fresh()) {
            decoders.remove(streamId); // the tokenizer started this stream afresh (first seen, or restarted after idling)
            stream = state(streamId);
        }
        requireInSequence(streamId, batch, stream);
        M media;
        try {
            media = stream.codec().decode(layout, TokenBatches.toPacket(batch));
        } catch (RuntimeException e) {
            decoders.evict(streamId);
            throw codecFailure(e, DeadLetterReason.UNDECODABLE_TOKENS, "decoding");
        }
        stream.advance(batch.getSeq(), batch.getBatchSeq());
        decoders.save(streamId, stream);
        expiry.recordActivity(streamId, source.timestamp());
        unitsDecoded.record(1);
        context().forward(new Record<Object, Object>(streamId, modality.decoded(batch, media), source.timestamp()), decodedSink);
    }

    /** The batch's layout, once it is known to be this modality's and this tokenizer's. */
    private L layoutOf(TokenBatch batch) throws BadRecordException {
        if (batch.getModality() != modality.symbol()) {
            throw new BadRecordException(DeadLetterReason.UNDECODABLE_TOKENS, "token batch is " + batch.getModality()
                    + ": the " + modality.name() + " decoder needs " + modality.symbol() + " batches");
        }
        TokenizerRef ref = TokenBatches.fromAvro(batch.getTokenizer());
        if (!ref.equals(codec.tokenizer())) {
            throw new BadRecordException(DeadLetterReason.UNDECODABLE_TOKENS, "tokens made by " + ref + " but this decoder has "
                    + codec.tokenizer() + ": configure the same tokenizer settings on both sides");
        }
        try {
            return modality.layoutFromAvro(batch.getLayout());
        } catch (MediaFormatException e) {
            throw new BadRecordException(DeadLetterReason.UNDECODABLE_TOKENS, e.getMessage(), e);
        }
    }

    private StreamState<StreamDecoder<L, M>> state(String streamId) throws BadRecordException {
        try {
            return decoders.get(streamId);
        } catch (RuntimeException e) {
            decoders.evict(streamId);
            throw codecFailure(e, DeadLetterReason.UNDECODABLE_TOKENS, "restoring the stream's state");
        }
    }

    /**
     * A stream's first batch was encoded by a fresh encoder, so a fresh decoder can apply it whether or not it is
     * a keyframe (an audio stream's first batch skips silence; a text stream's may be empty).
     */
    private static boolean startsStream(TokenBatch batch) {
        return batch.getBatchSeq() == 0;
    }

    /**
     * Refuses a batch that cannot be applied to what the decoder holds: a delta for a stream it holds nothing
     * of, a delta after a gap (remembered until the next keyframe), a batch already applied. A keyframe is
     * always applied: it replaces everything.
     */
    private void requireInSequence(String streamId, TokenBatch batch, StreamState<StreamDecoder<L, M>> stream)
            throws BadRecordException {
        if (batch.getKeyframe() || startsStream(batch)) {
            return;
        }
        if (stream.fresh() && modality.decoderResumesAfterGap()) {
            gaps.record(1); // joined late or lost its state: the decoder resumes from here
            return;
        }
        if (stream.fresh()) {
            throw undecodable("the decoder holds nothing for stream " + streamId + " yet (it joined late or lost its state): "
                    + "waiting for a keyframe rather than painting changes over nothing");
        }
        if (stream.awaitingKeyframe()) {
            throw undecodable("stream " + streamId + " lost batches before this one: waiting for a keyframe");
        }
        long number = batch.getBatchSeq();
        long last = stream.lastPacket();
        if (number < 0 || last < 0) {
            return; // a batch of a writer that does not number them: nothing to check
        }
        if (number <= last) {
            throw new BadRecordException(DeadLetterReason.STALE_SEQ, "batch " + number + " of stream " + streamId
                    + " was already applied (the last was " + last + "): a replayed batch is not decoded twice");
        }
        if (number > last + 1) {
            gaps.record(1);
            if (modality.decoderResumesAfterGap()) {
                return;
            }
            stream.awaitKeyframe();
            decoders.save(streamId, stream);
            throw undecodable("gap in stream " + streamId + ": batch " + number + " follows " + last + " (" + (number - last - 1)
                    + " lost or set aside); waiting for a keyframe rather than painting changes over a stale picture");
        }
    }

    private static BadRecordException undecodable(String message) {
        return new BadRecordException(DeadLetterReason.UNDECODABLE_TOKENS, message);
    }

    @Override
    public void close() {
        super.close();
        if (codec != null) {
            codec.close();
        }
    }
}
