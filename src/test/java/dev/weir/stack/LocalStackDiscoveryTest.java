package dev.weir.stack;

import dev.weir.stack.internals.LoopbackPorts;
import dev.weir.stack.internals.StackFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LocalStack#findRunning(Path)} without a stack: what it must not mistake for one. */
class LocalStackDiscoveryTest {

    @TempDir
    Path workDir;

    @Test
    void anEmptyWorkDirectoryHoldsNoStack() {
        assertEquals(Optional.empty(), LocalStack.findRunning(workDir));
    }

    @Test
    void aStackFileOfAnExitedProcessIsStale() throws Exception {
        // given a stack file left by a process that has exited (killed before it could remove the file)
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        new StackFile("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7", exited.pid(), "c", 0)
                .writeTo(workDir.resolve(LocalStack.STACK_FILE_NAME));

        // then no running stack is found
        assertEquals(Optional.empty(), LocalStack.findRunning(workDir));
    }

    @Test
    void aLiveProcessWhoseEndpointsDoNotAnswerIsNoStack() throws IOException {
        // given a stack file naming this (live) process but ports where nothing listens
        int nothingHere = LoopbackPorts.free();
        new StackFile("127.0.0.1:" + nothingHere, "http://127.0.0.1:" + nothingHere + "/apis/ccompat/v7",
                ProcessHandle.current().pid(), "c", 0).writeTo(workDir.resolve(LocalStack.STACK_FILE_NAME));

        // then no running stack is found
        assertEquals(Optional.empty(), LocalStack.findRunning(workDir));
    }

    @Test
    void aFileWhereTheWorkDirectoryShouldBeIsRefusedWithAClearMessage() throws IOException {
        // given a regular file where the work directory should be
        Path notADirectory = Files.writeString(workDir.resolve("stack"), "not a directory");

        // then starting a stack or a broker there fails before anything starts, saying why
        IOException stack = assertThrows(IOException.class, () -> LocalStack.start(notADirectory));
        assertTrue(stack.getMessage().contains("not a directory"), stack.getMessage());
        IOException broker = assertThrows(IOException.class, () -> LocalKafkaBroker.start(notADirectory));
        assertTrue(broker.getMessage().contains("not a directory"), broker.getMessage());
    }
}
