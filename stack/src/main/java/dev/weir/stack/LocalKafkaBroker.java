package dev.weir.stack;

import dev.weir.stack.internals.BrokerConfig;
import dev.weir.stack.internals.Directories;
import dev.weir.stack.internals.LoopbackPorts;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real single-node Apache Kafka broker in KRaft mode, running in this JVM: one {@link KafkaRaftServer} that is
 * both broker and controller (the only voter of its metadata quorum), listening on two free loopback ports.
 *
 * <p>It is configured for one node: all internal topics ({@code __consumer_offsets}, {@code __transaction_state},
 * {@code __share_group_state}) have one replica and one partition, so transactions and {@code read_committed}
 * (exactly-once) work; group rebalances start at once; topics are never auto-created; record batches up to
 * {@link #MAX_MESSAGE_BYTES} are accepted (producers must raise {@code max.request.size} to send them).
 *
 * <p>Each start formats a fresh cluster in {@code workDir/kafka-data} (anything there from a previous run is
 * deleted first, after checking no running broker holds it); {@link #close()} stops the broker cleanly and deletes
 * that directory; a JVM shutdown hook does the same if the JVM exits first (Ctrl-C, SIGTERM). The broker logs through
 * this JVM's slf4j/log4j2 configuration.
 *
 * <pre>{@code
 * try (LocalKafkaBroker kafka = LocalKafkaBroker.start(Path.of(".weir/kafka"))) {
 *     Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 * }
 * }</pre>
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** The Kafka version this broker runs (the {@code kafka_2.13} artifact on the class path). */
    public static final String VERSION = AppInfoParser.getVersion();
    /** Largest record batch the broker accepts ({@code message.max.bytes}, {@code replica.fetch.max.bytes}): 32 MiB. */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
    /** Name of the broker's log directory inside the work directory. */
    public static final String DATA_DIR_NAME = "kafka-data";
    /** Name of the broker's configuration file written into the work directory on start (for reading, not editing). */
    public static final String SERVER_PROPERTIES_NAME = "kafka-server.properties";

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final SaslListener sasl;
    private final int saslPort;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private LocalKafkaBroker(KafkaRaftServer server, Path dataDir, int port, int controllerPort, SaslListener sasl, int saslPort,
                             String clusterId) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.sasl = sasl;
        this.saslPort = saslPort;
        this.clusterId = clusterId;
        this.shutdownHook = new Thread(this::close, "weir-kafka-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Formats a fresh single-node cluster under {@code workDir/kafka-data} and starts it; returns once the broker
     * is registered with its controller, unfenced and serving clients on {@link #bootstrapServers()}.
     *
     * @throws IOException if the work directory cannot be used (not a directory, held by a running broker) or the
     *                     broker fails to start; the message says why
     */
    public static LocalKafkaBroker start(Path workDir) throws IOException {
        return start(workDir, null);
    }

    /**
     * As {@link #start(Path)}, with one more client listener that requires SASL ({@code SASL_PLAINTEXT}, or
     * {@code SASL_SSL} when {@code sasl} has a certificate, on loopback: {@link #saslBootstrapServers()}) and accepts
     * {@code sasl}'s user; a SCRAM user's credentials are stored when the cluster is formatted. {@code null} starts
     * the plain broker.
     */
    public static LocalKafkaBroker start(Path workDir, SaslListener sasl) throws IOException {
        long startNanos = System.nanoTime();
        Path dir = Directories.createWorkDir(workDir);
        Path dataDir = dir.resolve(DATA_DIR_NAME);
        IOException lastBindFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = LoopbackPorts.free();
            int controllerPort = LoopbackPorts.free();
            int saslPort = sasl == null ? -1 : LoopbackPorts.free();
            wipe(dataDir);
            String clusterId = Uuid.randomUuid().toString();
            Properties properties = new Properties();
            properties.putAll(sasl == null ? BrokerConfig.serverProperties(dataDir, port, controllerPort, MAX_MESSAGE_BYTES)
                    : BrokerConfig.serverProperties(dataDir, port, controllerPort, MAX_MESSAGE_BYTES, sasl, saslPort));
            Path serverProperties = writeServerProperties(dir, properties);
            format(serverProperties, clusterId, sasl);
            KafkaConfig config = new KafkaConfig(properties, false);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                stop(server);
                if (isBindFailure(e)) {
                    lastBindFailure = new IOException("port " + port + ", " + controllerPort + (sasl == null ? "" : " or " + saslPort)
                            + " was taken before the broker bound it", e);
                    LOG.debug("Broker start attempt {} lost a port race, retrying", attempt, e);
                    continue;
                }
                wipeQuietly(dataDir);
                throw new IOException("Kafka broker failed to start in " + dataDir + ": " + e.getMessage(), e);
            }
            LOG.info("Kafka {} broker (KRaft, cluster {}) started on 127.0.0.1:{}{} in {} ms (format and start)", VERSION, clusterId, port,
                    sasl == null ? "" : " and " + sasl.protocol() + "/" + sasl.mechanism() + " on 127.0.0.1:" + saslPort, (System.nanoTime() - startNanos) / 1_000_000);
            return new LocalKafkaBroker(server, dataDir, port, controllerPort, sasl, saslPort, clusterId);
        }
        wipeQuietly(dataDir);
        throw new IOException("Kafka broker could not bind free loopback ports in " + START_ATTEMPTS + " attempts", lastBindFailure);
    }

    /** The {@code bootstrap.servers} value for clients, for example {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * The {@code bootstrap.servers} of the SASL listener (clients need {@link SaslListener#clientSettings}), or empty
     * when the broker was started without one.
     */
    public java.util.Optional<String> saslBootstrapServers() {
        return sasl == null ? java.util.Optional.empty() : java.util.Optional.of("127.0.0.1:" + saslPort);
    }

    /** Loopback port of the client listener. */
    public int port() {
        return port;
    }

    /** Loopback port of the KRaft controller listener (not for clients; exposed so callers can check it is freed). */
    public int controllerPort() {
        return controllerPort;
    }

    /** The id of the freshly formatted cluster. */
    public String clusterId() {
        return clusterId;
    }

    /** The broker's log directory, {@code workDir/kafka-data}; deleted on {@link #close()}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the broker and controller cleanly (controlled shutdown, log flush, ports released) and deletes the
     * data directory. Idempotent: later calls (also concurrent ones) return at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: this may be the hook itself
        }
        stop(server);
        wipeQuietly(dataDir);
        LOG.info("Kafka broker on 127.0.0.1:{} stopped in {} ms", port, (System.nanoTime() - startNanos) / 1_000_000);
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + bootstrapServers() + ", cluster " + clusterId + (closed.get() ? ", closed]" : "]");
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker did not shut down cleanly", e);
        }
    }

    /** Writes the broker's configuration where a person can read it: {@code workDir/kafka-server.properties}. */
    private static Path writeServerProperties(Path dir, Properties properties) throws IOException {
        Path file = dir.resolve(SERVER_PROPERTIES_NAME);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "Weir local Kafka " + VERSION + " broker (KRaft, single node); written on every start");
        }
        return file;
    }

    /**
     * Formats the log directory exactly as {@code kafka-storage.sh format -t CLUSTER_ID -c server.properties} does,
     * with {@code --add-scram} for a SCRAM user.
     */
    private static void format(Path serverProperties, String clusterId, SaslListener sasl) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("format", "-t", clusterId, "-c", serverProperties.toString()));
        if (sasl != null && sasl.scram()) {
            args.addAll(java.util.List.of("--add-scram", sasl.scramCredential()));
        }
        try (PrintStream formatterOutput = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(args.toArray(String[]::new), formatterOutput);
        } catch (Exception e) {
            throw new IOException("formatting the Kafka log directory failed (" + serverProperties + "): " + e.getMessage(), e);
        }
        String printed = output.toString(StandardCharsets.UTF_8).strip();
        if (status != 0) {
            throw new IOException("formatting the Kafka log directory failed (" + serverProperties + "), status " + status + ": " + printed);
        }
        LOG.debug("{}", printed);
    }

    /**
     * Deletes a previous run's data, unless a running broker still holds the directory's lock file (the same
     * {@code .lock} Kafka itself takes), which means another stack is using this work directory.
     */
    private static void wipe(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve(".lock");
        if (Files.isRegularFile(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw inUse(dataDir, null);
                }
            } catch (OverlappingFileLockException e) {
                throw inUse(dataDir, e);
            }
        }
        Directories.deleteRecursively(dataDir);
    }

    private static IOException inUse(Path dataDir, Exception cause) {
        return new IOException("Kafka log directory " + dataDir + " is in use by a running broker: stop that stack "
                + "(or use another work directory) first", cause);
    }

    private static void wipeQuietly(Path dataDir) {
        try {
            Directories.deleteRecursively(dataDir);
        } catch (IOException e) {
            LOG.warn("Could not delete Kafka data directory {}", dataDir, e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
