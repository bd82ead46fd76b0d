package dev.weir.stack;

import dev.weir.stack.internals.StackFile;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stack run by another process, as {@code ./weir stack} in a second terminal runs it: this JVM finds it, uses it,
 * may not start a second one on its directory, and a SIGTERM to that process closes it cleanly; after a SIGKILL, the
 * next stack in that directory stops the registry the killed one left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackProcessIT {

    @TempDir
    static Path workDir;

    private static Process stackProcess;
    private static Path processLog;

    @BeforeAll
    static void startStackInAnotherProcess() throws Exception {
        stackProcess = startStackProcess("stack-process.log");
    }

    /** Runs {@link StackProcessMain} in a new JVM on {@link #workDir}; returns once its stack is up. */
    private static Process startStackProcess(String logName) throws Exception {
        Files.deleteIfExists(workDir.resolve("ports.txt"));
        processLog = workDir.resolve(logName);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx512m", "--sun-misc-unsafe-memory-access=allow",
                "-Dweir.apicurio.dir=" + System.getProperty("weir.apicurio.dir", ""),
                "-cp", System.getProperty("java.class.path"),
                StackProcessMain.class.getName(), workDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(processLog.toFile())
                .start();
        // wait until the process has published its ports (it writes them once the stack is up), or has died
        while (!Files.exists(workDir.resolve("ports.txt"))) {
            if (!process.isAlive()) {
                fail("the stack process exited with " + process.exitValue() + ":\n" + Files.readString(processLog));
            }
            Thread.sleep(100);
        }
        return process;
    }

    @AfterAll
    static void stopStackProcess() throws InterruptedException {
        if (stackProcess != null && stackProcess.isAlive()) {
            stackProcess.destroyForcibly().waitFor();
        }
    }

    @Test
    @Order(1)
    void thisProcessFindsTheOtherProcessStackAndUsesIt() throws Exception {
        // when this JVM looks for a running stack in the other process's work directory
        StackEndpoints found = LocalStack.findRunning(workDir).orElseThrow(() -> new AssertionError("no stack found"));

        // then it finds that process's endpoints (its ports), and a record round-trips through its broker
        int[] ports = ports();
        assertEquals("127.0.0.1:" + ports[0], found.bootstrapServers());
        assertEquals("http://127.0.0.1:" + ports[2] + "/apis/ccompat/v7", found.registryUrl());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, found.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("shared", 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, found.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("shared", "k", "from another process")).get();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, found.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("shared", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            while (values.isEmpty()) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            assertEquals(List.of("from another process"), values);
        }
    }

    @Test
    @Order(2)
    void startingASecondStackOnItsDirectoryIsRefused() {
        IOException refused = assertThrows(IOException.class, () -> LocalStack.start(workDir));
        assertTrue(refused.getMessage().contains("pid " + stackProcess.pid()), refused.getMessage());
    }

    @Test
    @Order(3)
    void sigtermClosesTheStackCleanly() throws Exception {
        // given the other process's ports
        int[] ports = ports();

        // when it receives SIGTERM (what Ctrl-C's SIGINT and `kill` do too: the JVM runs its shutdown hooks)
        stackProcess.destroy();
        int exit = stackProcess.waitFor();

        // then it exited on the signal (128 + 15), having removed its discovery file
        assertEquals(143, exit, () -> "exit " + exit + ", log:\n" + log());
        assertFalse(Files.exists(workDir.resolve(LocalStack.STACK_FILE_NAME)), LocalStack.STACK_FILE_NAME + " left behind");
        assertEquals(Optional.empty(), LocalStack.findRunning(workDir));
        // and the broker's data is deleted and every port (broker, controller, registry child process) is free
        assertFalse(Files.exists(workDir.resolve(LocalKafkaBroker.DATA_DIR_NAME)));
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, socket.getLocalPort());
            }
        }
    }

    @Test
    @Order(4)
    void aStackStartedAfterOneWasKilledStopsTheRegistryItLeftBehind() throws Exception {
        // given a stack process killed with SIGKILL, which cannot stop its registry child
        stackProcess = startStackProcess("killed-stack-process.log");
        StackFile left = StackFile.read(workDir.resolve(LocalStack.STACK_FILE_NAME)).orElseThrow();
        stackProcess.destroyForcibly().waitFor();
        ProcessHandle orphan = ProcessHandle.of(left.registryPid()).orElseThrow(() -> new AssertionError("no registry process"));
        assertTrue(orphan.isAlive(), "the killed stack's registry should outlive it");
        assertEquals(Optional.empty(), LocalStack.findRunning(workDir));

        // when a new stack starts in the same directory
        try (LocalStack stack = LocalStack.start(workDir)) {
            // then the orphaned registry is gone and the new stack is the one found
            assertFalse(orphan.isAlive(), "registry pid " + orphan.pid() + " still running");
            assertEquals(Optional.of(stack.endpoints()), LocalStack.findRunning(workDir));
        }
    }

    private static int[] ports() throws IOException {
        return Arrays.stream(Files.readString(workDir.resolve("ports.txt")).strip().split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static String log() {
        try {
            return Files.readString(processLog);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
