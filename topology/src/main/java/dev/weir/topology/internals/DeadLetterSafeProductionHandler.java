package dev.weir.topology.internals;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The last line of defence when a record cannot be written: a dead letter that the broker refuses is
 * dropped with an error in the log (and counted in Kafka Streams' {@code dropped-records} metric) instead of
 * failing the stream thread, since a dead letter that cannot be written must not stop the good records
 * behind it. Every other failure fails the task, as Kafka Streams' default does.
 *
 * <p>Under exactly-once this is rarely reached: a refused record aborts the producer's transaction whatever
 * the handler answers, so Weir sizes every record before it forwards it ({@link DeadLetters}, the start-up
 * check of the topics' limits) and this handler matters for at-least-once deployments.
 */
public final class DeadLetterSafeProductionHandler implements ProductionExceptionHandler {

    /** Streams setting naming the dead-letter topic, set by the application. */
    public static final String DEAD_LETTER_TOPIC_CONFIG = "weir.dead.letter.topic";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterSafeProductionHandler.class);

    private String deadLetterTopic = "";

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(DEAD_LETTER_TOPIC_CONFIG);
        deadLetterTopic = topic == null ? "" : topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (record.topic().equals(deadLetterTopic) && !(exception instanceof RetriableException)) {
            log.error("a dead letter from {} offset {} could not be written to {} and is dropped: {}", context.topic(),
                    context.offset(), record.topic(), exception.toString());
            return Response.resume();
        }
        return Response.fail();
    }
}
