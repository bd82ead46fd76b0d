package dev.weir.stack.internals;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code stack.properties} file a running local stack keeps in its work directory, so that another process
 * (for example {@code ./weir demo} in a second terminal) can find and reuse it.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param registryUrl      Confluent-compatible schema registry base URL
 * @param pid              id of the process that runs the stack
 * @param clusterId        id of the Kafka cluster, to tell this stack's broker from another on a recycled port
 * @param registryPid      id of the registry's child process (0 if unknown), to stop it if the stack's process was
 *                         killed without a chance to (SIGKILL): see {@link #orphanedRegistry()}
 */
public record StackFile(String bootstrapServers, String registryUrl, long pid, String clusterId, long registryPid) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String PID = "pid";
    public static final String CLUSTER_ID = "cluster.id";
    public static final String REGISTRY_PID = "registry.pid";

    /** A stack file is a few hundred bytes; anything larger is not ours and is not read. */
    private static final long MAX_BYTES = 64 * 1024;

    public StackFile {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(clusterId, "clusterId");
    }

    /** Writes the file atomically (write a sibling, then rename), so a reader never sees half of it. */
    public void writeTo(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty(BOOTSTRAP_SERVERS, bootstrapServers);
        p.setProperty(SCHEMA_REGISTRY_URL, registryUrl);
        p.setProperty(PID, Long.toString(pid));
        p.setProperty(CLUSTER_ID, clusterId);
        p.setProperty(REGISTRY_PID, Long.toString(registryPid));
        Path partial = file.resolveSibling(file.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            p.store(writer, "Weir local stack: present while the stack runs, removed when it stops");
        }
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads a stack file; empty when it is missing, too large, unreadable or does not hold valid endpoints
     * (a stale or foreign file is not an error: it just names no running stack).
     */
    public static Optional<StackFile> read(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            Properties p = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(reader);
            }
            String bootstrap = p.getProperty(BOOTSTRAP_SERVERS, "").strip();
            String registry = p.getProperty(SCHEMA_REGISTRY_URL, "").strip();
            String clusterId = p.getProperty(CLUSTER_ID, "").strip();
            long pid = Long.parseLong(p.getProperty(PID, "").strip());
            long registryPid = Long.parseLong(p.getProperty(REGISTRY_PID, "0").strip());
            if (pid <= 0 || registryPid < 0 || clusterId.isEmpty() || hostPort(bootstrap).isEmpty() || !isHttpUrl(registry)) {
                return Optional.empty();
            }
            return Optional.of(new StackFile(bootstrap, registry, pid, clusterId, registryPid));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Deletes the file if it still belongs to process {@code pid} (a newer stack may have replaced it). */
    public static void deleteIfOwnedBy(Path file, long pid) throws IOException {
        Optional<StackFile> current = read(file);
        if (current.isEmpty() || current.get().pid() == pid) {
            Files.deleteIfExists(file);
        }
    }

    /** Whether the process that wrote this file is still running. */
    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The registry process this file names, if it is still running although the stack's own process is not: a stack
     * killed with SIGKILL cannot stop its registry child. The process must look like the registry the file describes
     * (an Apicurio {@code quarkus-run.jar} on the recorded port), so a recycled pid is never mistaken for it.
     */
    public Optional<ProcessHandle> orphanedRegistry() {
        if (registryPid <= 0 || processAlive()) {
            return Optional.empty();
        }
        int port;
        try {
            port = URI.create(registryUrl).getPort();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String portFlag = "-Dquarkus.http.port=" + port;
        return ProcessHandle.of(registryPid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine()
                        .map(line -> line.contains("quarkus-run.jar") && line.contains(portFlag))
                        .orElse(false));
    }

    /** The first {@code host:port} of a {@code bootstrap.servers} list, when it is well formed. */
    public static Optional<URI> hostPort(String bootstrapServers) {
        String first = bootstrapServers.split(",", 2)[0].strip();
        try {
            URI uri = new URI("kafka://" + first);
            if (uri.getHost() == null || uri.getPort() <= 0 || uri.getPort() > 65535) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
