package dev.weir.topology.internals;

import dev.weir.avro.TokenBatch;
import dev.weir.codec.Encoded;
import dev.weir.codec.MediaTooLargeException;
import dev.weir.codec.SnapshotHeader;
import dev.weir.codec.StreamEncoder;
import dev.weir.codec.TokenPacket;
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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Any modality's events in, token batches out: checks the event's seq against its stream's, decodes its media
 * ({@link Modality#media}), encodes it with the stream's encoder (state in a changelogged store), numbers the
 * batch and forwards it. The state of a stream idle for longer than the idle timeout is deleted
 * ({@link IdleStreamExpiry}); when the stream returns it starts afresh with a keyframe.
 *
 * @param <E> the modality's event
 * @param <M> its unit of media
 * @param <L> its layout
 */
public final class TokenizerProcessor<E extends SpecificRecord, M, L> extends GuardedProcessor<E> {

    private final Modality<E, M, L, ?> modality;
    private final WeirConfig config;
    private final String storeName;
    private final Duration idleTimeout;
    private final String tokenSink;

    private ModalityCodec<M, L> codec;
    private StreamStates<StreamEncoder<M, L>> encoders;
    private IdleStreamExpiry expiry;
    private Sensor unitsIn;
    private Sensor positions;
    private Sensor encodeTime;
    private Sensor tokensFull;
    private Sensor tokensEmitted;
    private Sensor positionsReused;
    private Sensor positionsPruned;
    private final Map<String, Sensor> gauges = new LinkedHashMap<>();

    public TokenizerProcessor(Modality<E, M, L, ?> modality, WeirConfig config, ProcessorNames names, Deserializer<E> deserializer) {
        super(names.tokenizer(), names.tokenizerDeadLetters(), deserializer, config.getInt(WeirConfig.MAX_EVENT_BYTES),
                config.deadLetterMaxBytes());
        this.modality = modality;
        this.config = config;
        this.storeName = names.encoderStore();
        this.idleTimeout = config.streamIdleTimeout();
        this.tokenSink = names.tokensSink();
    }

    @Override
    protected void open(ProcessorContext<Object, Object> context, ProcessorMetrics metrics) {
        codec = modality.open(config);
        encoders = new StreamStates<>(context.getStateStore(storeName), codec::newEncoder, modality.name(),
                SnapshotHeader.Role.ENCODER, codec.tokenizer());
        expiry = IdleStreamExpiry.start(context, storeName, idleTimeout, encoders::remove, metrics);
        metrics.tag("backend", codec.backend());
        unitsIn = metrics.sum(modality.units() + "-tokenized", modality.units() + " tokenized");
        positions = metrics.sum("positions", "positions (patches, frames, words) of the units tokenized");
        encodeTime = metrics.time("encode-time", "time to tokenize and compress one " + modality.units() + " unit");
        tokensFull = metrics.sum("tokens-full", "tokens a full tokenization would emit");
        tokensEmitted = metrics.sum("tokens-emitted", "tokens emitted");
        positionsReused = metrics.sum("positions-reused", "positions served from the cache");
        positionsPruned = metrics.sum("positions-pruned", "changed positions pruned to meet the budget");
        codec.gauges().keySet().forEach(name -> gauges.put(name, metrics.value(name, name.replace('-', ' '))));
    }

    @Override
    protected String streamIdOf(E event) {
        return modality.streamId(event);
    }

    @Override
    protected void handle(String streamId, E event, Record<byte[], byte[]> source) throws BadRecordException {
        M media = media(event);
        expiry.expireIfIdle(streamId, source.timestamp());
        StreamState<StreamEncoder<M, L>> stream = state(streamId);
        long seq = modality.seq(event);
        if (seq <= stream.lastSeq()) {
            throw new BadRecordException(DeadLetterReason.STALE_SEQ, modality.units() + " seq " + seq + " of stream " + streamId
                    + " is not after the last one encoded, " + stream.lastSeq() + ": a replayed or duplicated event is not"
                    + " encoded twice (a producer that restarts its numbering must use a new stream id)");
        }
        Encoded<L> encoded;
        try {
            encoded = stream.codec().encode(seq, media);
        } catch (RuntimeException e) {
            encoders.evict(streamId);
            throw codecFailure(e, DeadLetterReason.INVALID_MEDIA, "tokenizing");
        }
        long decodedBytes = modality.decodedBytes(encoded.layout());
        if (decodedBytes > maxEventBytes()) { // the decoder would refuse the batch (8 kHz audio doubles, decoded at 16 kHz)
            encoders.evict(streamId); // the encoder has moved on; the stream's stored state has not
            throw decodedTooLarge(decodedBytes, modality.units() + " seq " + seq + " of stream " + streamId);
        }
        long batchSeq = stream.lastPacket() + 1;
        stream.advance(seq, batchSeq);
        encoders.save(streamId, stream);
        expiry.recordActivity(streamId, source.timestamp());
        TokenPacket packet = encoded.packet();
        TokenBatch batch = TokenBatches.toAvro(streamId, modality.timestamp(event).toEpochMilli(), modality.symbol(), codec.tokenizer(), packet,
                batchSeq, modality.layoutToAvro(encoded.layout()), codec.backend());
        record(packet);
        context().forward(new Record<Object, Object>(streamId, batch, source.timestamp()), tokenSink);
    }

    private M media(E event) throws BadRecordException {
        try {
            return modality.media(event, maxEventBytes());
        } catch (MediaTooLargeException e) {
            throw new BadRecordException(DeadLetterReason.OVERSIZED, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw codecFailure(e, DeadLetterReason.INVALID_MEDIA, "reading the event's media");
        }
    }

    private StreamState<StreamEncoder<M, L>> state(String streamId) throws BadRecordException {
        try {
            return encoders.get(streamId);
        } catch (RuntimeException e) {
            encoders.evict(streamId);
            throw codecFailure(e, DeadLetterReason.INVALID_MEDIA, "restoring the stream's state");
        }
    }

    private void record(TokenPacket packet) {
        if (!gauges.isEmpty()) {
            codec.gauges().forEach((name, value) -> gauges.get(name).record(value));
        }
        unitsIn.record(1);
        positions.record(packet.positionsTotal());
        encodeTime.record(packet.encodeNanos() / 1e6);
        tokensFull.record((double) packet.positionsTotal() * packet.tokensPerPosition());
        tokensEmitted.record(packet.tokens().length);
        positionsReused.record(packet.reusedPositions().length);
        positionsPruned.record(packet.prunedCount());
    }

    @Override
    public void close() {
        super.close();
        if (encoders != null) {
            encoders.close();
        }
        if (codec != null) {
            codec.close();
        }
    }
}
