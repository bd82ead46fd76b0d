package dev.weir.stack.internals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackFileTest {

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBack() throws IOException {
        // given a stack file written for this process
        StackFile written = new StackFile("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7",
                ProcessHandle.current().pid(), "6DgFOzzPRpyc-pObmUZlnQ", 4242);
        Path file = dir.resolve("stack.properties");
        written.writeTo(file);

        // when it is read
        Optional<StackFile> read = StackFile.read(file);

        // then every field survives, no partial file is left behind, and this process is alive
        assertEquals(Optional.of(written), read);
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count());
        }
        assertTrue(read.get().processAlive());
    }

    @Test
    void aMissingOversizedOrMalformedFileNamesNoStack() throws IOException {
        Path file = dir.resolve("stack.properties");
        // a missing file
        assertEquals(Optional.empty(), StackFile.read(file));

        // a pid that is not a number
        Files.writeString(file, "bootstrap.servers=127.0.0.1:9092\nschema.registry.url=http://127.0.0.1:8081\npid=abc\ncluster.id=x\n");
        assertEquals(Optional.empty(), StackFile.read(file));

        // a bootstrap address without a port
        Files.writeString(file, "bootstrap.servers=localhost\nschema.registry.url=http://127.0.0.1:8081\npid=1\ncluster.id=x\n");
        assertEquals(Optional.empty(), StackFile.read(file));

        // a registry URL that is not http
        Files.writeString(file, "bootstrap.servers=127.0.0.1:9092\nschema.registry.url=file:///etc/passwd\npid=1\ncluster.id=x\n");
        assertEquals(Optional.empty(), StackFile.read(file));

        // a file far larger than any stack file, even if it starts well
        Files.writeString(file, "bootstrap.servers=127.0.0.1:9092\nschema.registry.url=http://127.0.0.1:8081\npid=1\ncluster.id=x\n#"
                + "x".repeat(200_000));
        assertEquals(Optional.empty(), StackFile.read(file));

        // a directory where the file should be
        Files.delete(file);
        Files.createDirectory(file);
        assertEquals(Optional.empty(), StackFile.read(file));
    }

    @Test
    void aFileLeftByAnExitedProcessNamesADeadProcess() throws Exception {
        // given a process that has exited
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        StackFile stale = new StackFile("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7", exited.pid(), "c", 0);

        // then its stack file names a dead process
        assertFalse(stale.processAlive());
    }

    @Test
    void deletingLeavesAFileThatAnotherProcessWrote() throws IOException {
        // given a stack file that another process (pid + 1 here, alive or not) wrote
        Path file = dir.resolve("stack.properties");
        long me = ProcessHandle.current().pid();
        new StackFile("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7", me + 1, "c", 0).writeTo(file);

        // when this process cleans up after itself, the other's file stays
        StackFile.deleteIfOwnedBy(file, me);
        assertTrue(Files.exists(file));

        // and when the owner cleans up, it is gone
        StackFile.deleteIfOwnedBy(file, me + 1);
        assertFalse(Files.exists(file));
    }

    @Test
    void aLiveProcessThatIsNotTheRecordedRegistryIsNeverTakenForAnOrphan() throws Exception {
        // given a file left by an exited stack whose registry pid now belongs to an unrelated live process
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Process unrelated = new ProcessBuilder("sleep", "600").start();
        try {
            StackFile stale = new StackFile("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7", exited.pid(), "c", unrelated.pid());

            // then it is not an orphaned registry, and is left alone
            assertEquals(Optional.empty(), stale.orphanedRegistry());
            assertTrue(unrelated.isAlive());
        } finally {
            unrelated.destroyForcibly().waitFor();
        }
    }

    @Test
    void noRegistryIsOrphanedWhileTheStackProcessLives() throws Exception {
        // given a file whose stack process (this one) is alive
        StackFile live = new StackFile("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7",
                ProcessHandle.current().pid(), "c", ProcessHandle.current().pid());

        // then its registry is that stack's business, not an orphan
        assertEquals(Optional.empty(), live.orphanedRegistry());
    }
}
