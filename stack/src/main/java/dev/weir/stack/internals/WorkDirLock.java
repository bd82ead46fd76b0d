package dev.weir.stack.internals;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive lock on a stack's work directory, held from the start of a stack to the end of its close, so that two
 * stacks (in one process or two) never share a directory. The operating system releases it when the holder dies,
 * however it dies, so a killed stack never leaves its directory locked.
 */
public final class WorkDirLock implements AutoCloseable {

    /** Name of the lock file in the work directory; the file stays, only the lock on it comes and goes. */
    public static final String FILE_NAME = ".stack.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir}, or returns empty if a stack (in this or another process) holds it. */
    public static Optional<WorkDirLock> tryAcquire(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new WorkDirLock(channel, lock));
            }
        } catch (OverlappingFileLockException heldInThisJvm) {
            // another stack in this JVM holds it
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        return Optional.empty();
    }

    /** Releases the lock; idempotent. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
