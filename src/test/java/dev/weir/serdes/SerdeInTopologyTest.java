package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

import dev.weir.avro.TextEvent;

/** The serde inside Kafka Streams' TopologyTestDriver, with the in-memory registry, as Weir's topology tests use it. */
class SerdeInTopologyTest {

    @Test
    void unreadableRecordsGoToTheExceptionHandlerAndTheStreamKeepsRunning() {
        // given a topology reading and writing TextEvents with one in-memory registry, and a handler that skips bad records
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        ConfluentAvroSerde<TextEvent> events = ConfluentAvroSerde.forValue(registry, TextEvent.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("chat", Consumed.with(Serdes.String(), events))
                .mapValues(event -> TextEvent.newBuilder(event).setText(event.getText().toUpperCase()).build())
                .to("chat-upper", Produced.with(Serdes.String(), events));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "serde-in-topology");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic("chat", new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, TextEvent> out = driver.createOutputTopic("chat-upper",
                    Serdes.String().deserializer(), events.deserializer());
            TextEvent event = (TextEvent) WeirRecords.all().get(2);

            // when a JSON record, a record with an unknown schema id, and a good record arrive
            raw.pipeInput("chat-1", "{\"text\":\"hi\"}".getBytes());
            raw.pipeInput("chat-1", new byte[] {0, 0, 0, 0, 99, 0});
            raw.pipeInput("chat-1", events.serializer().serialize("chat", event));

            // then the two bad ones were skipped by the handler (NotConfluentFramed, UnknownSchemaId are
            // SerializationExceptions) and the good one went through
            List<TextEvent> results = out.readValuesToList();
            assertEquals(1, results.size());
            assertEquals("HÉLLO WÖRLD", results.getFirst().getText());
            assertEquals(List.of("chat-upper-value", "chat-value"), registry.subjects());
        }
    }
}
