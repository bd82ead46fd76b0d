package dev.weir.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code weir} run as its own OS process, the way an operator starts it: a JVM with Weir's flags on the test
 * classpath, its output in a log file. {@link #terminate()} sends SIGTERM, {@link #kill()} SIGKILL.
 */
final class WeirProcess implements AutoCloseable {

    /** The JVM flags of the {@code ./weir} launcher. */
    static final List<String> JVM_FLAGS = List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=java.lang,java.math,java.io,java.net,java.util,org.apache.avro,dev.weir");

    final Process process;
    final Path log;
    final long startedNanos;

    private WeirProcess(Process process, Path log, long startedNanos) {
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** Starts {@code weir run --config FILE} with {@code settings} written to {@code dir/NAME.properties}. */
    static WeirProcess run(Path dir, String name, Map<String, String> settings) throws IOException {
        Properties properties = new Properties();
        properties.putAll(settings);
        Path config = dir.resolve(name + ".properties");
        try (var out = Files.newBufferedWriter(config)) {
            properties.store(out, "weir run " + name);
        }
        return start(dir, name, "run", "--config", config.toString());
    }

    /** Starts {@code weir ARGS...} with its output in {@code dir/NAME.log}. */
    static WeirProcess start(Path dir, String name, String... args) throws IOException {
        return start(dir, name, Map.of(), args);
    }

    /** As {@link #start(Path, String, String...)}, with {@code environment} added to this JVM's. */
    static WeirProcess start(Path dir, String name, Map<String, String> environment, String... args) throws IOException {
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx1g");
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WeirCommand.class.getName());
        command.addAll(List.of(args));
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new WeirProcess(process, log, started);
    }

    /** Waits until the log has a line containing {@code text}; fails when the process exits or time runs out. */
    WeirProcess awaitLine(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("weir exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("weir did not print '" + text + "' within " + timeout + ":\n" + output());
            }
            Thread.sleep(100);
        }
        return this;
    }

    WeirProcess awaitRunning() throws IOException, InterruptedException {
        return awaitLine("is RUNNING", Duration.ofSeconds(120));
    }

    /** SIGTERM, then the exit status once the process has exited, or an error after {@code timeout}. */
    int terminate(Duration timeout) throws InterruptedException, IOException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL: the process ends at once, with no chance to commit or leave its group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("weir did not exit within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
