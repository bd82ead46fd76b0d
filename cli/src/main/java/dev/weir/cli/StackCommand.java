package dev.weir.cli;

import dev.weir.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Run a real single-node KRaft Kafka broker and Apicurio Registry on loopback until Ctrl-C or SIGTERM.")
final class StackCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", description = "Work directory for broker data and registry logs (default: ${DEFAULT-VALUE}).")
    Path dir = LocalStack.DEFAULT_WORK_DIR;

    @Override
    public Integer call() throws Exception {
        var running = LocalStack.findRunning(dir);
        if (running.isPresent()) {
            System.out.println("a stack is already running from " + dir + ": " + running.get());
            return 1;
        }
        try (LocalStack stack = LocalStack.start(dir)) {
            System.out.println("bootstrap.servers   = " + stack.bootstrapServers());
            System.out.println("schema.registry.url = " + stack.registryUrl());
            System.out.println("work dir            = " + dir.toAbsolutePath());
            System.out.println();
            System.out.println("./weir demo reuses this stack. Other commands: --bootstrap-servers " + stack.bootstrapServers()
                    + " --registry-url " + stack.registryUrl());
            System.out.println("Ctrl-C stops it.");
            stack.awaitShutdownSignal();
        }
        return 0;
    }
}
