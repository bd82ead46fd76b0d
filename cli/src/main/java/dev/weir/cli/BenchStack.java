package dev.weir.cli;

import dev.weir.stack.LocalStack;
import dev.weir.stack.StackEndpoints;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The broker and registry a benchmark runs against: the local stack already running under the work folder
 * ({@code ./weir stack}, another process), or one started in this JVM for the benchmark and stopped after it.
 */
final class BenchStack implements AutoCloseable {

    private final StackEndpoints endpoints;
    private final LocalStack owned;

    private BenchStack(StackEndpoints endpoints, LocalStack owned) {
        this.endpoints = endpoints;
        this.owned = owned;
    }

    static BenchStack open(Path workDir) throws IOException {
        Path stackDir = workDir.resolve("stack");
        Optional<StackEndpoints> running = LocalStack.findRunning(stackDir);
        if (running.isPresent()) {
            return new BenchStack(running.get(), null);
        }
        LocalStack stack = LocalStack.start(stackDir);
        return new BenchStack(stack.endpoints(), stack);
    }

    StackEndpoints endpoints() {
        return endpoints;
    }

    /** Where the broker runs, for the report. */
    String describe() {
        return owned != null ? "local KRaft broker in this JVM (loopback)" : "local stack of another process (loopback)";
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
