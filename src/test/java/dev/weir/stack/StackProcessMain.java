package dev.weir.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What {@code ./weir stack} does, as a separate process for {@link LocalStackProcessIT}: start a stack in the
 * directory given as the only argument, publish its ports in {@code ports.txt} there, and wait for a signal.
 */
public final class StackProcessMain {

    private StackProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args[0]);
        LocalStack stack = LocalStack.start(workDir);
        String ports = stack.broker().port() + "," + stack.broker().controllerPort() + "," + stack.registry().port();
        Path partial = Files.writeString(workDir.resolve("ports.txt.partial"), ports);
        Files.move(partial, workDir.resolve("ports.txt"), StandardCopyOption.ATOMIC_MOVE);
        stack.awaitShutdownSignal();
    }
}
