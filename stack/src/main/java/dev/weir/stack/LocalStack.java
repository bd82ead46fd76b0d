package dev.weir.stack;

import dev.weir.stack.internals.Directories;
import dev.weir.stack.internals.EndpointProbes;
import dev.weir.stack.internals.StackFile;
import dev.weir.stack.internals.WorkDirLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local stack: a real single-node KRaft Kafka broker ({@link LocalKafkaBroker}, in this JVM) and a real
 * Confluent-compatible schema registry ({@link LocalSchemaRegistry}, Apicurio in a child process), both on loopback,
 * under one work directory (by default {@link #DEFAULT_WORK_DIR}).
 *
 * <p>While it runs, the stack keeps {@code workDir/stack.properties} ({@code bootstrap.servers},
 * {@code schema.registry.url}, {@code pid}, {@code cluster.id}) so that another process can find it with
 * {@link #findRunning(Path)} and reuse it instead of starting its own. {@link #close()} stops both servers and
 * removes the file; a JVM shutdown hook does the same when the JVM exits (Ctrl-C, SIGTERM, end of {@code main}).
 *
 * <p>The stack is ephemeral: the registry keeps schemas in memory, so the broker starts from an empty cluster each
 * time too (records kept across restarts would carry schema ids the new registry never issued).
 *
 * <pre>{@code
 * // ./weir stack
 * try (LocalStack stack = LocalStack.start(LocalStack.DEFAULT_WORK_DIR)) {
 *     out.println("bootstrap.servers=" + stack.bootstrapServers());
 *     out.println("schema.registry.url=" + stack.registryUrl());
 *     stack.awaitShutdownSignal();
 * }
 *
 * // ./weir demo, in another terminal
 * StackEndpoints endpoints = LocalStack.findRunning(LocalStack.DEFAULT_WORK_DIR).orElseGet(...start one...);
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

    /** The default work directory, {@code ./.weir/stack}, relative to the current directory. */
    public static final Path DEFAULT_WORK_DIR = Path.of(".weir", "stack");
    /** Name of the discovery file in the work directory. */
    public static final String STACK_FILE_NAME = "stack.properties";

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Path workDir;
    private final WorkDirLock lock;
    private final LocalKafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread shutdownHook;

    private LocalStack(Path workDir, WorkDirLock lock, LocalKafkaBroker broker, LocalSchemaRegistry registry) {
        this.workDir = workDir;
        this.lock = lock;
        this.broker = broker;
        this.registry = registry;
        this.shutdownHook = new Thread(this::closeFromShutdownHook, "weir-stack-shutdown");
    }

    /**
     * Starts the broker and the registry (in parallel) under {@code workDir}, writes {@code workDir/stack.properties}
     * and returns once both answer.
     *
     * @throws IOException if a stack (of this or another process) holds {@code workDir} (reuse it with
     *                     {@link #findRunning(Path)}), the directory cannot be used, or either server fails to start
     *                     (the other is then stopped)
     */
    public static LocalStack start(Path workDir) throws IOException {
        Path dir = Directories.createWorkDir(workDir);
        WorkDirLock lock = WorkDirLock.tryAcquire(dir).orElseThrow(() -> alreadyRunning(dir));
        try {
            return start(dir, lock);
        } catch (IOException | RuntimeException e) {
            releaseQuietly(lock);
            throw e;
        }
    }

    private static LocalStack start(Path dir, WorkDirLock lock) throws IOException {
        Path stackFile = dir.resolve(STACK_FILE_NAME);
        // We hold the directory, so a stack file here is stale; if its stack was killed, its registry may live on.
        StackFile.read(stackFile).flatMap(StackFile::orphanedRegistry).ifPresent(LocalStack::stopOrphanedRegistry);
        long startNanos = System.nanoTime();

        // The registry is a separate JVM that takes seconds to boot: start it while the broker formats and starts here.
        FutureTask<LocalSchemaRegistry> registryStart = new FutureTask<>(() -> LocalSchemaRegistry.start(dir));
        Thread.ofPlatform().name("weir-registry-start").daemon().start(registryStart);

        LocalKafkaBroker broker;
        try {
            broker = LocalKafkaBroker.start(dir);
        } catch (IOException | RuntimeException e) {
            awaitRegistry(registryStart).ifPresent(LocalSchemaRegistry::close);
            throw e;
        }
        LocalSchemaRegistry registry;
        try {
            registry = joinRegistry(registryStart);
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }

        LocalStack stack = new LocalStack(dir, lock, broker, registry);
        try {
            new StackFile(broker.bootstrapServers(), registry.url(), ProcessHandle.current().pid(), broker.clusterId(), registry.pid())
                    .writeTo(stackFile);
            Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
        LOG.info("Local stack up in {} ms: bootstrap.servers={} schema.registry.url={} (work dir {})",
                (System.nanoTime() - startNanos) / 1_000_000, broker.bootstrapServers(), registry.url(), dir);
        return stack;
    }

    /**
     * Finds a stack started (by this or another process) in {@code workDir}: reads {@code workDir/stack.properties}
     * and returns its endpoints only if the process that wrote it is alive, the broker answers with the recorded
     * cluster id and the registry answers. Takes up to a few seconds when something does not answer.
     */
    public static Optional<StackEndpoints> findRunning(Path workDir) {
        Optional<StackFile> file = StackFile.read(workDir.resolve(STACK_FILE_NAME));
        if (file.isEmpty() || !file.get().processAlive()) {
            return Optional.empty();
        }
        StackFile stack = file.get();
        return answers(stack) ? Optional.of(new StackEndpoints(stack.bootstrapServers(), stack.registryUrl())) : Optional.empty();
    }

    /** Whether the registry and the broker (with the recorded cluster id) a stack file names both answer. */
    private static boolean answers(StackFile stack) {
        try {
            return EndpointProbes.registryAnswers(stack.registryUrl(), PROBE_TIMEOUT)
                    && EndpointProbes.kafkaAnswers(stack.bootstrapServers(), stack.clusterId(), PROBE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Both endpoints. */
    public StackEndpoints endpoints() {
        return new StackEndpoints(bootstrapServers(), registryUrl());
    }

    /** Kafka {@code bootstrap.servers}, for example {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Base URL of the Confluent-compatible registry API, for example {@code http://127.0.0.1:41235/apis/ccompat/v7}. */
    public String registryUrl() {
        return registry.url();
    }

    /** The (absolute) work directory. */
    public Path workDir() {
        return workDir;
    }

    /** The stack's Kafka broker. */
    public LocalKafkaBroker broker() {
        return broker;
    }

    /** The stack's schema registry. */
    public LocalSchemaRegistry registry() {
        return registry;
    }

    /**
     * Blocks until the stack is closed: when the JVM is asked to stop (Ctrl-C / SIGINT, SIGTERM), its shutdown hook
     * closes the stack and this method returns; {@link #close()} from another thread also releases it. After a
     * signal the JVM is exiting, so code after this call may be cut short: the stack is already closed by then.
     *
     * @throws InterruptedException if the waiting thread is interrupted (the stack keeps running)
     */
    public void awaitShutdownSignal() throws InterruptedException {
        closed.await();
    }

    /**
     * Removes {@code stack.properties}, then stops the broker and the registry (in parallel) and waits for both.
     * Idempotent; a concurrent second call returns once the first has finished.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosedUninterruptibly();
            return;
        }
        try {
            removeShutdownHook();
            stopAll();
        } finally {
            closed.countDown();
        }
    }

    @Override
    public String toString() {
        return "LocalStack[bootstrap.servers=" + bootstrapServers() + ", schema.registry.url=" + registryUrl() + ", " + workDir + "]";
    }

    /** On JVM exit: close the stack, or wait for a close already under way so the JVM does not halt in the middle of it. */
    private void closeFromShutdownHook() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosedUninterruptibly();
            return;
        }
        try {
            stopAll();
        } finally {
            closed.countDown();
        }
    }

    private void stopAll() {
        long startNanos = System.nanoTime();
        try {
            StackFile.deleteIfOwnedBy(workDir.resolve(STACK_FILE_NAME), ProcessHandle.current().pid());
        } catch (IOException e) {
            LOG.warn("Could not remove {}", workDir.resolve(STACK_FILE_NAME), e);
        }
        Thread registryStop = Thread.ofPlatform().name("weir-registry-stop").start(registry::close);
        broker.close();
        boolean interrupted = false;
        while (registryStop.isAlive()) {
            try {
                registryStop.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        releaseQuietly(lock);
        LOG.info("Local stack stopped in {} ms", (System.nanoTime() - startNanos) / 1_000_000);
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs (or ran) closeFromShutdownHook, which finds the stack closing
        }
    }

    private void awaitClosedUninterruptibly() {
        boolean interrupted = false;
        while (closed.getCount() > 0) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static IOException alreadyRunning(Path dir) {
        String which = StackFile.read(dir.resolve(STACK_FILE_NAME))
                .map(f -> " (pid " + f.pid() + ", bootstrap.servers=" + f.bootstrapServers() + ")")
                .orElse(" (starting or stopping)");
        return new IOException("a Weir stack is already running in " + dir + which
                + ": reuse it, stop it, or choose another work directory");
    }

    private static void releaseQuietly(WorkDirLock lock) {
        try {
            lock.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not release the work directory lock", e);
        }
    }

    /**
     * Stops the registry left running by a stack whose process was killed (SIGKILL): SIGTERM, then SIGKILL, and
     * waits for it to be gone (its port and files are the new stack's).
     */
    private static void stopOrphanedRegistry(ProcessHandle orphan) {
        LOG.warn("Stopping schema registry pid {} left running by a stack that was killed", orphan.pid());
        orphan.destroy();
        if (!exited(orphan, 15)) {
            orphan.destroyForcibly();
            if (!exited(orphan, 10)) {
                LOG.warn("Schema registry pid {} is still running 10 s after SIGKILL", orphan.pid());
            }
        }
    }

    private static boolean exited(ProcessHandle process, int seconds) {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return !process.isAlive();
        }
    }

    private static LocalSchemaRegistry joinRegistry(FutureTask<LocalSchemaRegistry> start) throws IOException {
        try {
            return start.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            awaitRegistry(start).ifPresent(LocalSchemaRegistry::close);
            throw new IOException("interrupted while starting the schema registry", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("schema registry failed to start: " + e.getCause(), e.getCause());
        }
    }

    /** The registry once its start has finished, if it succeeded; used to clean up after a failed broker start. */
    private static Optional<LocalSchemaRegistry> awaitRegistry(FutureTask<LocalSchemaRegistry> start) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return Optional.of(start.get());
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return Optional.empty();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
