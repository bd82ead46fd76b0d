package dev.weir.cli;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * One modality's part of {@code weir demo} (the driver of kafka-streams-examples' app, driver, test): it
 * produces its sample streams and bad records, recognises its outputs, judges them against the originals,
 * prints its rows and writes what people would rather look at than read. {@link DemoDriver} runs every part
 * through one producer and one read_committed consumer.
 */
interface DemoPart {

    /** The topics whose records this part reads (its token and decoded topics). */
    List<String> outputTopics();

    /** Produces this part's samples, interleaved unit by unit with the other parts' through {@code producer}. */
    void produce(KafkaProducer<byte[], byte[]> producer) throws IOException;

    /** Takes an output record; ignores what is not this part's. */
    void accept(ConsumerRecord<byte[], byte[]> record);

    /** Takes a dead letter; returns whether it was one of this part's bad records. */
    boolean acceptDeadLetter(ConsumerRecord<byte[], byte[]> record);

    /** How many bad records this part produced, and the reasons their dead letters came with. */
    int badRecords();

    List<String> deadLetterReasons();

    /** Whether every output of this run arrived. */
    boolean complete();

    /** What this part's units are called, plural: frames, chunks, messages. */
    String units();

    /** Units this part saw decoded. */
    int unitsDecoded();

    /** This part's table. */
    void printSummary(PrintStream out);

    /** Writes decoded samples under {@code dir}. */
    void writeSamples(Path dir) throws IOException;
}
