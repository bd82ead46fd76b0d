package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weir.avro.TextEvent;
import dev.weir.serdes.ScriptedHttpServer.Answer;
import dev.weir.serdes.ScriptedHttpServer.Request;

/** The REST client against a scripted loopback HTTP server: retries, what is never retried, auth headers, caches. */
class RestSchemaRegistryClientTest {

    private static final String REGISTERED = "{\"id\":7}";

    private static Map<String, Object> config(String url) {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url);
        config.put(AvroSerdeConfig.MAX_RETRIES, 3);
        config.put(AvroSerdeConfig.RETRIES_WAIT_MS, 1L);
        config.put(AvroSerdeConfig.RETRIES_MAX_WAIT_MS, 4L);
        return config;
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetriedUntilTheRegistryAnswers() throws IOException {
        // given a registry that answers 503, then 429, then registers
        AtomicInteger calls = new AtomicInteger();
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> switch (calls.getAndIncrement()) {
            case 0 -> new Answer(503, "{\"message\":\"starting\"}");
            case 1 -> new Answer(429, "");
            default -> new Answer(200, REGISTERED);
        });
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server.url()))) {

            // when a schema is registered
            int id = client.register("chat-value", TextEvent.getClassSchema());

            // then the third request succeeded, and each was the same registration
            assertEquals(7, id);
            assertEquals(3, server.requests().size());
            assertTrue(server.requests().stream().allMatch(r -> r.method().equals("POST")
                    && r.path().equals("/subjects/chat-value/versions")));
        }
    }

    @Test
    void persistentServerErrorsGiveUpAfterTheBoundedRetries() throws IOException {
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> new Answer(500, "{\"error_code\":50001}"));
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server.url()))) {
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                    () -> client.register("chat-value", TextEvent.getClassSchema()));
            // max.retries = 3: one request plus three retries, then a message that says what to check
            assertEquals(4, e.attempts());
            assertEquals(4, server.requests().size());
            assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
            assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
        }
    }

    @Test
    void aResponseSlowerThanTheReadTimeoutIsRetried() throws IOException {
        // given a registry whose first answer comes after 1 s, and a client that waits 200 ms
        AtomicInteger calls = new AtomicInteger();
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> {
            if (calls.getAndIncrement() == 0) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Answer(200, REGISTERED);
        })) {
            Map<String, Object> config = config(server.url());
            config.put(AvroSerdeConfig.HTTP_READ_TIMEOUT_MS, 200);
            try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
                // when a schema is registered, then the timed-out request was retried and the retry answered
                assertEquals(7, client.register("chat-value", TextEvent.getClassSchema()));
            }
            assertEquals(2, server.requests().size());
        }
    }

    @Test
    void clientErrorsAreNeverRetried() throws IOException {
        for (int status : List.of(400, 401, 403, 422)) {
            try (ScriptedHttpServer server = new ScriptedHttpServer(
                    request -> new Answer(status, "{\"error_code\":" + status + "01,\"message\":\"no\"}"));
                 RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server.url()))) {
                RegistryRequestException e = assertThrows(RegistryRequestException.class,
                        () -> client.register("chat-value", TextEvent.getClassSchema()));
                assertEquals(status, e.status());
                assertEquals(status * 100 + 1, e.errorCode());
                assertEquals(1, server.requests().size(), "HTTP " + status + " must not be retried");
            }
        }
    }

    @Test
    void anUnreachableRegistryIsUnavailableAfterTheBoundedRetries() throws IOException {
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                config("http://127.0.0.1:" + ScriptedHttpServer.deadPort()))) {
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.getById(1));
            assertEquals(4, e.attempts());
            assertInstanceOf(IOException.class, e.getCause());
            assertInstanceOf(SerializationException.class, e);
        }
    }

    @Test
    void anUnreachableUrlFailsOverToTheNextInTheList() throws IOException {
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> new Answer(200, REGISTERED));
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                     config("http://127.0.0.1:" + ScriptedHttpServer.deadPort() + "," + server.url()))) {
            assertEquals(7, client.register("chat-value", TextEvent.getClassSchema()));
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void basicAuthFromUserInfoIsSent() throws IOException {
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> new Answer(200, REGISTERED))) {
            Map<String, Object> config = config(server.url());
            config.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            config.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, "weir:s3cret:x");
            try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
                client.register("chat-value", TextEvent.getClassSchema());
            }
            assertEquals("Basic " + base64("weir:s3cret:x"), server.requests().getFirst().authorization());
        }
    }

    @Test
    void basicAuthFromTheUrlIsSentAndRemovedFromTheUrl() throws IOException {
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> new Answer(200, REGISTERED))) {
            String url = server.url().replace("http://", "http://weir:p%40ss@");
            try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(url))) {
                client.register("chat-value", TextEvent.getClassSchema());
            }
            assertEquals("Basic " + base64("weir:p@ss"), server.requests().getFirst().authorization());
        }
    }

    @Test
    void aBearerTokenIsSent() throws IOException {
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> new Answer(200, REGISTERED))) {
            Map<String, Object> config = config(server.url());
            config.put(AvroSerdeConfig.BEARER_AUTH_TOKEN, "tok-123");
            try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
                client.register("chat-value", TextEvent.getClassSchema());
            }
            assertEquals("Bearer tok-123", server.requests().getFirst().authorization());
        }
    }

    @Test
    void withoutCredentialsNoAuthorizationHeaderIsSentAndTheBodyIsTheSchema() throws IOException {
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> new Answer(200, REGISTERED));
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server.url()))) {
            client.register("chat-value", TextEvent.getClassSchema());
            Request request = server.requests().getFirst();
            assertNull(request.authorization());
            assertEquals("application/vnd.schemaregistry.v1+json", request.contentType());
            String sent = new ObjectMapper().readTree(request.body()).path("schema").asText();
            assertEquals(TextEvent.getClassSchema(), new org.apache.avro.Schema.Parser().parse(sent));
        }
    }

    @Test
    void serializingAndDeserializingAgainMakesNoFurtherRequests() throws IOException {
        // given a registry that registers TextEvent as id 7 and serves it by id
        String schemaJson = new ObjectMapper().createObjectNode().put("schema", TextEvent.getClassSchema().toString()).toString();
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> request.path().equals("/schemas/ids/7")
                ? new Answer(200, schemaJson) : new Answer(200, REGISTERED));
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server.url()))) {
            ConfluentAvroSerde<TextEvent> serde = ConfluentAvroSerde.forValue(client, TextEvent.class);
            TextEvent event = (TextEvent) WeirRecords.all().get(2);

            // when two records are written
            byte[] first = serde.serializer().serialize("chat", event);
            serde.serializer().serialize("chat", event);
            // then only the first registered
            assertEquals(1, server.requests().size());

            // when a fresh client reads twice, then only the first read fetched the schema
            try (RestSchemaRegistryClient reader = new RestSchemaRegistryClient(config(server.url()))) {
                ConfluentAvroDeserializer<TextEvent> deserializer = new ConfluentAvroDeserializer<>(reader, TextEvent.class);
                assertEquals(event, deserializer.deserialize("chat", first));
                assertEquals(event, deserializer.deserialize("chat", first));
            }
            assertEquals(List.of("POST /subjects/chat-value/versions", "GET /schemas/ids/7"),
                    server.requests().stream().map(r -> r.method() + " " + r.path()).toList());
        }
    }

    @Test
    void aLevelThatAnotherClientCreatedFirstIsWrittenAgainAsAnUpdate() throws IOException {
        // given a registry whose first answer to PUT /config/{subject} is Apicurio's 409 for a rule created meanwhile
        AtomicInteger puts = new AtomicInteger();
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> puts.getAndIncrement() == 0
                ? new Answer(409, "{\"error_code\":0,\"message\":\"A rule named 'COMPATIBILITY' already exists.\"}")
                : new Answer(200, "{\"compatibility\":\"BACKWARD\"}"));
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server.url()))) {

            // when the level is set
            client.setSubjectCompatibility("chat-value", CompatibilityLevel.BACKWARD);

            // then the write was made again, and succeeded
            assertEquals(List.of("PUT /config/chat-value", "PUT /config/chat-value"),
                    server.requests().stream().map(r -> r.method() + " " + r.path()).toList());
        }
    }

    @Test
    void aLevelThatKeepsConflictingFailsAfterBoundedWrites() throws IOException {
        // given a registry that answers every write of the level with 409
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> new Answer(409, "{\"message\":\"conflict\"}"));
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server.url()))) {

            // when the level is set, then it fails with the registry's status after the first write and 3 more
            RegistryRequestException e = assertThrows(RegistryRequestException.class,
                    () -> client.setSubjectCompatibility("chat-value", CompatibilityLevel.BACKWARD));
            assertEquals(409, e.status());
            assertEquals(4, server.requests().size());
        }
    }

    @Test
    void notFoundAnswersMapToTypedResults() throws IOException {
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> request.method().equals("POST")
                && request.path().endsWith("/versions")
                ? new Answer(409, "{\"error_code\":409,\"message\":\"Incompatible artifact: [language at /fields/4]\"}")
                : new Answer(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"));
             RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server.url()))) {
            assertEquals(5, assertThrows(UnknownSchemaIdException.class, () -> client.getById(5)).schemaId());
            assertTrue(client.lookup("chat-value", TextEvent.getClassSchema()).isEmpty());
            assertTrue(client.latest("chat-value").isEmpty());
            assertTrue(client.subjectCompatibility("chat-value").isEmpty());
            IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                    () -> client.register("chat-value", TextEvent.getClassSchema()));
            assertTrue(e.getMessage().contains("language"), e.getMessage());
        }
    }

    @Test
    void aSerdeConfiguredLikeKafkaDoesItCreatesItsOwnRestClient() throws IOException {
        // given a registry that registers TextEvent as id 7 and serves it by id
        String schemaJson = new ObjectMapper().createObjectNode().put("schema", TextEvent.getClassSchema().toString()).toString();
        try (ScriptedHttpServer server = new ScriptedHttpServer(request -> request.path().equals("/schemas/ids/7")
                ? new Answer(200, schemaJson) : new Answer(200, REGISTERED))) {
            // when a serde is built as Kafka builds default.value.serde: no-arg constructor, then configure()
            TextEvent event = (TextEvent) WeirRecords.all().get(2);
            try (ConfluentAvroSerde<TextEvent> serde = new ConfluentAvroSerde<>()) {
                serde.configure(config(server.url()), false);
                byte[] bytes = serde.serializer().serialize("chat", event);

                // then it talked to the configured URL, and its deserializer shares the client (and its cache of
                // the id just registered) and reads into the class the writer schema names
                assertEquals(event, serde.deserializer().deserialize("chat", bytes));
            }
            assertEquals(List.of("POST /subjects/chat-value/versions"),
                    server.requests().stream().map(r -> r.method() + " " + r.path()).toList());
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
