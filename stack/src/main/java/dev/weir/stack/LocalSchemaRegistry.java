package dev.weir.stack;

import dev.weir.stack.internals.ClassDataArchive;
import dev.weir.stack.internals.LoopbackPorts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Confluent-compatible schema registry on loopback: Apicurio Registry (in-memory storage) in a
 * child process, serving the Confluent REST API at {@code /apis/ccompat/v7}.
 *
 * <p>The distribution is found, in order, at the system property {@code weir.apicurio.dir}, the
 * environment variable {@code WEIR_APICURIO_DIR}, {@code target/apicurio-registry-VERSION} (unpacked by
 * the build), or unpacked from the Maven repository's {@code apicurio-registry-app-VERSION-all.tar.gz}
 * into {@code ~/.cache/weir}.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    public static final String VERSION = "3.3.3";
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int START_ATTEMPTS = 3;
    private static final String CDS_ARCHIVE_NAME = "weir-registry-cds";

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread shutdownHook;
    private final ClassDataArchive classData;
    private volatile boolean served;

    private LocalSchemaRegistry(Process process, int port, Path log, ClassDataArchive classData) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.classData = classData;
        this.shutdownHook = new Thread(process::destroy, "weir-apicurio-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a registry on a free loopback port, logging to {@code workDir/apicurio.log}, and waits until it answers.
     * If another process takes the chosen port before the registry binds it, it retries on new ports.
     */
    public static LocalSchemaRegistry start(Path workDir) throws IOException {
        Path distribution = locateDistribution();
        Files.createDirectories(workDir);
        Path log = workDir.resolve("apicurio.log");
        for (int attempt = 1; ; attempt++) {
            LocalSchemaRegistry registry = launch(distribution, log, LoopbackPorts.free(), LoopbackPorts.free());
            try {
                registry.awaitReady();
                registry.served = true;
                return registry;
            } catch (IOException | RuntimeException e) {
                registry.close();
                if (attempt < START_ATTEMPTS && registry.lostPortRace()) {
                    continue;
                }
                throw e;
            }
        }
    }

    private static LocalSchemaRegistry launch(Path distribution, Path log, int port, int managementPort) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.management.host=127.0.0.1",
                "-jar", distribution.resolve("quarkus-run.jar").toString()));
        // A class-data sharing archive of the registry's classes, written by its first run and mapped by the next
        // ones: about 1.5 s faster starts measured on 2 cores.
        ClassDataArchive classData = ClassDataArchive.in(distribution, CDS_ARCHIVE_NAME, port);
        command.addAll(1, classData.jvmOptions());
        Process process = new ProcessBuilder(command)
                .directory(log.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new LocalSchemaRegistry(process, port, log, classData);
    }

    /** Whether a failed start failed because a port was taken (the log shows a bind failure). */
    private boolean lostPortRace() {
        try {
            String output = Files.readString(log);
            return output.contains("java.net.BindException") || output.contains("Address already in use");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Base URL of the Confluent-compatible API, for example {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return log;
    }

    /** Process id of the registry's JVM (a child of this one). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        boolean exitedByItself = false;
        try {
            exitedByItself = process.waitFor(30, TimeUnit.SECONDS);
            if (!exitedByItself) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // only a registry that came up and stopped cleanly wrote an archive of the classes a normal run uses
        classData.publish(exitedByItself && served);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private void awaitReady() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Apicurio Registry exited with " + process.exitValue() + " during start; see " + log
                        + tail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Apicurio Registry", e);
            }
            sleep(250);
        }
        throw new IOException("Apicurio Registry did not answer within " + START_TIMEOUT.toSeconds() + " s; see " + log + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Finds the unpacked Apicurio Registry distribution (the folder holding quarkus-run.jar), unpacking it if needed. */
    public static Path locateDistribution() throws IOException {
        for (String configured : new String[] {System.getProperty("weir.apicurio.dir"), System.getenv("WEIR_APICURIO_DIR")}) {
            if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured, "quarkus-run.jar"))) {
                return Path.of(configured);
            }
        }
        Path built = Path.of("target", "apicurio-registry-" + VERSION);
        if (Files.isRegularFile(built.resolve("quarkus-run.jar"))) {
            return built.toAbsolutePath();
        }
        Path home = Path.of(System.getProperty("user.home"));
        Path cached = home.resolve(".cache/weir/apicurio-registry-" + VERSION);
        if (Files.isRegularFile(cached.resolve("quarkus-run.jar"))) {
            return cached;
        }
        Path tarball = home.resolve(".m2/repository/io/apicurio/apicurio-registry-app/" + VERSION
                + "/apicurio-registry-app-" + VERSION + "-all.tar.gz");
        if (!Files.isRegularFile(tarball)) {
            throw new IOException("Apicurio Registry " + VERSION + " not found: set WEIR_APICURIO_DIR, or fetch it with "
                    + "'mvn dependency:get -Dartifact=io.apicurio:apicurio-registry-app:" + VERSION + ":tar.gz:all' (./weir does this)");
        }
        Path partial = Files.createDirectories(cached.resolveSibling(cached.getFileName() + ".partial-" + ProcessHandle.current().pid()));
        try {
            Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", partial.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) {
                throw new IOException("unpacking " + tarball + " failed: " + output);
            }
            try {
                Files.move(partial, cached);
            } catch (IOException raced) {
                if (!Files.isRegularFile(cached.resolve("quarkus-run.jar"))) {
                    throw raced;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking Apicurio Registry", e);
        }
        return cached;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
