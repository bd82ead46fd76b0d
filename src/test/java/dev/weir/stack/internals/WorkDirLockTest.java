package dev.weir.stack.internals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkDirLockTest {

    @TempDir
    Path dir;

    @Test
    void oneHolderAtATimeAndReleaseLetsTheNextIn() throws IOException {
        // given a directory locked by one stack
        WorkDirLock first = WorkDirLock.tryAcquire(dir).orElseThrow();

        // then a second stack cannot lock it
        assertEquals(Optional.empty(), WorkDirLock.tryAcquire(dir));

        // and once the first releases it (twice: release is idempotent), the next one can
        first.close();
        first.close();
        Optional<WorkDirLock> next = WorkDirLock.tryAcquire(dir);
        assertTrue(next.isPresent());
        next.get().close();
    }
}
