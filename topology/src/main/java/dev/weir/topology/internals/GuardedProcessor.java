package dev.weir.topology.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;
import dev.weir.kernels.KernelDeviceException;
import dev.weir.kernels.KernelUnavailableException;
import dev.weir.serdes.InvalidUtf8Exception;
import dev.weir.serdes.NotConfluentFramedException;
import dev.weir.serdes.SchemaRegistryException;
import dev.weir.serdes.UnknownSchemaIdException;
import dev.weir.serdes.UnknownSymbolException;
import dev.weir.topology.DeadLetterHeaders;
import dev.weir.topology.DeadLetterReason;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The shape every Weir processor shares: raw bytes in, then size check, Avro deserialization, key
 * check, and the modality's own work in {@link #handle}. Any record that fails one of those steps goes,
 * unchanged, to the dead-letter sink with the reason in {@link DeadLetterHeaders}, is counted, and the
 * stream goes on with the next record. Errors that are not about the record (a failed produce, a
 * fenced transaction) are not caught here: Kafka Streams handles those.
 *
 * @param <E> the Avro event type read from the source topic
 */
public abstract class GuardedProcessor<E> implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(GuardedProcessor.class);

    private final String name;
    private final String deadLetterSink;
    private final Deserializer<E> deserializer;
    private final int maxEventBytes;
    private final int deadLetterMaxBytes;

    private ProcessorContext<Object, Object> context;
    private ProcessorMetrics metrics;
    private Sensor recordsIn;
    private Sensor deadLetters;
    private final Map<DeadLetterReason, Sensor> deadLettersByReason = new EnumMap<>(DeadLetterReason.class);

    /**
     * @param deadLetterMaxBytes the largest dead letter the producer and the dead-letter topic accept
     *                           (see {@link DeadLetters})
     */
    protected GuardedProcessor(String name, String deadLetterSink, Deserializer<E> deserializer, int maxEventBytes,
                               int deadLetterMaxBytes) {
        this.name = name;
        this.deadLetterSink = deadLetterSink;
        this.deserializer = deserializer;
        this.maxEventBytes = maxEventBytes;
        this.deadLetterMaxBytes = deadLetterMaxBytes;
    }

    @Override
    public final void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.metrics = new ProcessorMetrics(context.metrics(), context.taskId().toString(), name);
        this.recordsIn = metrics.sum("records-in", "records read");
        this.deadLetters = metrics.sum("dead-letters", "records sent to the dead-letter topic");
        open(context, metrics);
    }

    /** Called once from {@link #init}: get state stores and register the processor's own metrics. */
    protected abstract void open(ProcessorContext<Object, Object> context, ProcessorMetrics metrics);

    /** The stream id of a deserialized event: the record key must equal it. */
    protected abstract String streamIdOf(E event);

    /** The processor's own work for one valid event: forward outputs, update state. */
    protected abstract void handle(String streamId, E event, Record<byte[], byte[]> source) throws BadRecordException;

    @Override
    public final void process(Record<byte[], byte[]> record) {
        recordsIn.record(1);
        try {
            E event = deserialize(record);
            String streamId = streamIdOf(event);
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (streamId.isEmpty()) {
                throw new BadRecordException(DeadLetterReason.BAD_KEY, "the event's streamId is empty: every stream needs a non-empty id, which is also the record key");
            }
            if (!streamId.equals(key)) {
                throw new BadRecordException(DeadLetterReason.BAD_KEY, "record key " + (key == null ? "is null" : "'" + key + "'")
                        + " but the event's streamId is '" + streamId + "': produce with key = streamId so a stream stays on one task");
            }
            handle(streamId, event, record);
        } catch (BadRecordException e) {
            deadLetter(record, e);
        }
    }

    private E deserialize(Record<byte[], byte[]> record) throws BadRecordException {
        byte[] value = record.value();
        if (value == null) {
            throw new BadRecordException(DeadLetterReason.NOT_AVRO, "record has no value (a tombstone); Weir topics carry events, not deletions");
        }
        if (value.length > maxEventBytes) {
            throw new BadRecordException(DeadLetterReason.OVERSIZED, "record of " + value.length + " bytes is above weir.max.event.bytes = " + maxEventBytes);
        }
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        try {
            return deserializer.deserialize(topic, record.headers(), value);
        } catch (UnknownSchemaIdException e) {
            throw new BadRecordException(DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            // the registry is down or refuses us (credentials, 5xx): not this record's fault, so it is not a
            // dead letter; the task fails and Kafka Streams retries it from the last commit
            throw e;
        } catch (InvalidUtf8Exception | UnknownSymbolException e) {
            // text that is not UTF-8, a pixel or sample format this Weir does not know: the media, not the framing
            throw new BadRecordException(DeadLetterReason.INVALID_MEDIA, e.getMessage(), e);
        } catch (NotConfluentFramedException e) {
            throw new BadRecordException(DeadLetterReason.NOT_AVRO, e.getMessage(), e);
        } catch (SerializationException | ClassCastException e) {
            throw new BadRecordException(DeadLetterReason.NOT_AVRO, "cannot read the record as " + name + " input: " + e.getMessage(), e);
        }
    }

    /**
     * Forwards a record to the dead-letter sink: original key, value and headers, plus the reason, cut to
     * what the dead-letter topic accepts ({@link DeadLetters#fit}).
     */
    protected final void deadLetter(Record<byte[], byte[]> record, BadRecordException e) {
        deadLetters.record(1);
        deadLettersByReason.computeIfAbsent(e.reason(), r -> metrics.sum("dead-letters-" + r.header(),
                "records sent to the dead-letter topic as " + r.header())).record(1);
        Headers headers = new RecordHeaders();
        put(headers, DeadLetterHeaders.REASON, e.reason().header());
        put(headers, DeadLetterHeaders.MESSAGE, abbreviate(String.valueOf(e.getMessage())));
        put(headers, DeadLetterHeaders.EXCEPTION, e.exceptionClass());
        put(headers, DeadLetterHeaders.PROCESSOR, name);
        context.recordMetadata().ifPresent(m -> {
            put(headers, DeadLetterHeaders.SOURCE_TOPIC, m.topic());
            put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(m.partition()));
            put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(m.offset()));
        });
        DeadLetters.Letter letter = DeadLetters.fit(record.key(), record.value(), record.headers(), headers, deadLetterMaxBytes);
        log.warn("{}: record set aside to the dead-letter topic ({}): {}", name, e.reason().header(), e.getMessage());
        context.forward(new Record<Object, Object>(letter.key(), letter.value(), record.timestamp(), letter.headers()), deadLetterSink);
    }

    /** The largest event accepted, {@code weir.max.event.bytes}; outputs must fit it too. */
    protected final int maxEventBytes() {
        return maxEventBytes;
    }

    /**
     * The {@code oversized} dead letter of what would decode to a record of {@code decodedBytes} (a modality's
     * {@code decodedBytes}) above {@link #maxEventBytes}: the producer would refuse that record, and under
     * exactly-once that fails the transaction on every retry.
     *
     * @param what what would be decoded, for the message
     */
    protected final BadRecordException decodedTooLarge(long decodedBytes, String what) {
        return new BadRecordException(DeadLetterReason.OVERSIZED, what + " would decode to a record of " + decodedBytes
                + " bytes, above weir.max.event.bytes = " + maxEventBytes + " (the decoded output must fit a record)");
    }

    /**
     * A codec failure on one record, as the dead letter it makes: too large ({@link MediaTooLargeException}) is
     * {@code oversized}, other bad input ({@link MediaFormatException}, {@link IllegalArgumentException}) is
     * {@code badInput}; any other fault is a
     * {@link DeadLetterReason#PROCESSING_ERROR}, so one record's fault never becomes a poison pill that stops
     * the stream thread. A failure of the device itself (lost GPU, driver error: {@link #isDeviceFailure}) is
     * not the record's fault and is rethrown, so the task restarts instead of dead-lettering every record.
     *
     * @param work what was being done, for the message, e.g. {@code "tokenizing"}
     */
    protected static BadRecordException codecFailure(RuntimeException e, DeadLetterReason badInput, String work) {
        if (e instanceof MediaTooLargeException) {
            return new BadRecordException(DeadLetterReason.OVERSIZED, e.getMessage(), e);
        }
        if (e instanceof MediaFormatException || e instanceof IllegalArgumentException) {
            return new BadRecordException(badInput, e.getMessage(), e);
        }
        if (isDeviceFailure(e)) {
            throw e;
        }
        return new BadRecordException(DeadLetterReason.PROCESSING_ERROR, work + " failed: " + e, e);
    }

    /**
     * Whether an exception from the kernel layer means the device itself failed (lost GPU, driver error):
     * such a failure is not the record's fault and must not turn every record into a dead letter.
     */
    private static boolean isDeviceFailure(RuntimeException e) {
        return e instanceof KernelUnavailableException || e instanceof KernelDeviceException;
    }

    protected final ProcessorContext<Object, Object> context() {
        return context;
    }

    /** Messages are for people: a few lines at most, whatever the exception says. */
    static final int MAX_MESSAGE_CHARS = 4096;

    private static String abbreviate(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }

    private static void put(Headers headers, String key, String value) {
        DeadLetters.put(headers, key, value);
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
