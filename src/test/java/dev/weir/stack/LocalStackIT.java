package dev.weir.stack;

import dev.weir.stack.internals.LoopbackPorts;
import dev.weir.stack.internals.StackFile;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local stack against the real things: one KRaft broker and one Apicurio registry, started once for the class.
 * The last test closes the stack and checks that it is gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    @TempDir
    static Path workDir;

    private static LocalStack stack;

    @BeforeAll
    static void startStack() throws IOException {
        // given a stale discovery file naming a live process (this one, as after a reboot recycled the pid)
        // whose endpoints do not answer
        int nothingHere = LoopbackPorts.free();
        new StackFile("127.0.0.1:" + nothingHere, "http://127.0.0.1:" + nothingHere + "/apis/ccompat/v7",
                ProcessHandle.current().pid(), "stale-cluster", 0).writeTo(workDir.resolve(LocalStack.STACK_FILE_NAME));

        stack = LocalStack.start(workDir);
    }

    @AfterAll
    static void closeStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(0)
    void aStaleDiscoveryFileDidNotBlockTheStartAndWasReplaced() {
        // then the stack started over the stale file, and the file now names this stack's cluster
        StackFile file = StackFile.read(workDir.resolve(LocalStack.STACK_FILE_NAME)).orElseThrow();
        assertEquals(stack.broker().clusterId(), file.clusterId());
        assertEquals(stack.bootstrapServers(), file.bootstrapServers());
        assertEquals(stack.registry().pid(), file.registryPid());
    }

    @Test
    @Order(1)
    void anAdminClientCreatesATopicAndAutoCreationIsOff() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            // given a topic created with three partitions
            admin.createTopics(List.of(new NewTopic("created", 3, (short) 1))).all().get();

            // when it is described
            TopicDescription described = admin.describeTopics(List.of("created")).allTopicNames().get().get("created");

            // then it has three partitions, each led by the single broker
            assertEquals(3, described.partitions().size());
            described.partitions().forEach(p -> assertEquals(1, p.leader().id()));

            // and asking a producer about a topic nobody created does not create it
            try (KafkaProducer<String, String> producer = stringProducer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000))) {
                assertThrows(org.apache.kafka.common.errors.TimeoutException.class, () -> producer.partitionsFor("never-created"));
            }
            assertFalse(admin.listTopics().names().get().contains("never-created"));
        }
    }

    @Test
    @Order(2)
    void readCommittedSeesCommittedTransactionsAndNotAbortedOnes() throws Exception {
        // given a topic and a transactional producer
        createTopic("transactions");
        try (KafkaProducer<String, String> producer = stringProducer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "weir-stack-it",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
            producer.initTransactions();

            // when one transaction commits two records, one aborts two, and a third commits one more
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", "k", "committed-1"));
            producer.send(new ProducerRecord<>("transactions", "k", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", "k", "aborted-1"));
            producer.send(new ProducerRecord<>("transactions", "k", "aborted-2"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", "k", "committed-3"));
            producer.commitTransaction();
        }

        // then a read_committed consumer sees exactly the committed records, in order
        assertEquals(List.of("committed-1", "committed-2", "committed-3"), readAll("transactions", "read_committed"));
        // and the aborted records did reach the log: read_uncommitted sees them
        assertEquals(List.of("committed-1", "committed-2", "aborted-1", "aborted-2", "committed-3"),
                readAll("transactions", "read_uncommitted"));
    }

    @Test
    @Order(3)
    void aTenMebibyteRecordRoundTrips() throws Exception {
        // given a 10 MiB value of random bytes
        byte[] value = new byte[10 * 1024 * 1024];
        new Random(20261122L).nextBytes(value);
        createTopic("large");

        // when it is produced by a producer allowed to send it
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LocalKafkaBroker.MAX_MESSAGE_BYTES,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("large", "frame-0".getBytes(), value)).get();
        }

        // then a consumer reads back the same bytes
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig("read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition("large", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (records.isEmpty()) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertEquals(1, records.size());
            assertArrayEquals(value, records.getFirst().value());
        }
    }

    @Test
    @Order(4)
    void theRegistryAnswersOnItsConfluentCompatibleUrl() throws Exception {
        // given the registry URL the stack reports
        String url = stack.registryUrl();
        assertTrue(url.endsWith("/apis/ccompat/v7"), url);
        String schema = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"dev.weir.it\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}";
        String body = "{\"schema\":" + quoted(schema) + "}";

        try (HttpClient http = HttpClient.newHttpClient()) {
            // when a schema is registered the Confluent way
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects/probe-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            // then it answers with an id, and the subject is listed
            assertEquals(200, registered.statusCode(), registered.body());
            assertTrue(registered.body().matches("\\{\"id\":\\d+}"), registered.body());
            HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, subjects.statusCode());
            assertTrue(subjects.body().contains("\"probe-value\""), subjects.body());
        }
    }

    @Test
    @Order(5)
    void findRunningFindsTheStackWhileItIsUp() throws IOException {
        // given the running stack's discovery file
        Properties file = new Properties();
        try (var reader = Files.newBufferedReader(workDir.resolve(LocalStack.STACK_FILE_NAME))) {
            file.load(reader);
        }
        assertEquals(stack.bootstrapServers(), file.getProperty("bootstrap.servers"));
        assertEquals(stack.registryUrl(), file.getProperty("schema.registry.url"));
        assertEquals(Long.toString(ProcessHandle.current().pid()), file.getProperty("pid"));

        // when another client looks for a running stack in the same directory
        Optional<StackEndpoints> found = LocalStack.findRunning(workDir);

        // then it finds these endpoints
        assertEquals(Optional.of(stack.endpoints()), found);
    }

    @Test
    @Order(6)
    void aSecondStackInTheSameDirectoryIsRefused() {
        // when a second stack is started where one runs, then it is refused with a message naming the running one
        IOException refused = assertThrows(IOException.class, () -> LocalStack.start(workDir));
        assertTrue(refused.getMessage().contains("already running"), refused.getMessage());
        // and the running stack is untouched
        assertEquals(Optional.of(stack.endpoints()), LocalStack.findRunning(workDir));
    }

    @Test
    @Order(7)
    void closingStopsBothServersFreesThePortsAndForgetsTheStack() throws Exception {
        // given the ports the stack listens on
        int brokerPort = stack.broker().port();
        int controllerPort = stack.broker().controllerPort();
        int registryPort = stack.registry().port();

        // and a thread waiting for the stack to be stopped, as ./weir stack's main thread does
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try {
                stack.awaitShutdownSignal();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(waiter.isDone());

        // when it is closed (twice: close is idempotent)
        stack.close();
        stack.close();

        // then the waiting thread is released (the bound only keeps a broken build from hanging)
        waiter.get(60, TimeUnit.SECONDS);

        // then the discovery file is gone and nothing is found
        assertFalse(Files.exists(workDir.resolve(LocalStack.STACK_FILE_NAME)));
        assertEquals(Optional.empty(), LocalStack.findRunning(workDir));
        // and the registry process has exited, the broker's data is deleted
        assertFalse(stack.registry().isAlive());
        assertFalse(Files.exists(stack.broker().dataDir()));
        // and every port can be bound again
        for (int port : Set.of(brokerPort, controllerPort, registryPort)) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, socket.getLocalPort());
            }
        }
    }

    private static void createTopic(String name) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
    }

    private static KafkaProducer<String, String> stringProducer(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static Map<String, Object> consumerConfig(String isolationLevel) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    /** Reads a one-partition topic from the beginning to its end offset (for this isolation level). */
    private static List<String> readAll(String topic, String isolationLevel) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(isolationLevel),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
