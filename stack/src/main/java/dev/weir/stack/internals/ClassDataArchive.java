package dev.weir.stack.internals;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A dynamic class-data sharing archive (JEP 350) for a child JVM that is started often, such as the schema registry:
 * the first run writes the archive when it exits, later runs map it and start faster.
 *
 * <p>The child writes to a private partial file; only a child that exited by itself (not killed) has its partial file
 * published, by an atomic rename, so a reader never maps a half-written archive. The file name carries the JDK
 * version, so a JDK update starts a new archive instead of reusing one the new JVM would reject.
 */
public final class ClassDataArchive {

    private final Path archive;
    private final Path partial;

    private ClassDataArchive(Path archive, Path partial) {
        this.archive = archive;
        this.partial = partial;
    }

    /** An archive named {@code baseName-jdkVERSION.jsa} in {@code dir}, for one child process started on {@code port}. */
    public static ClassDataArchive in(Path dir, String baseName, int port) {
        String jdk = Runtime.version().toString().replaceAll("[^A-Za-z0-9.]", "_");
        Path archive = dir.resolve(baseName + "-jdk" + jdk + ".jsa");
        Path partial = dir.resolve(archive.getFileName() + ".partial-" + ProcessHandle.current().pid() + "-" + port);
        deleteAbandonedPartials(dir, archive.getFileName() + ".partial-");
        return new ClassDataArchive(archive, partial);
    }

    /** Deletes partial archives of parents that died before publishing them (killed with SIGKILL). */
    private static void deleteAbandonedPartials(Path dir, String prefix) {
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String[] pidAndPort = name.substring(prefix.length()).split("-");
                try {
                    long parent = Long.parseLong(pidAndPort[0]);
                    if (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** JVM options for the child: map the archive if it exists, else write one at exit. */
    public List<String> jvmOptions() {
        return Files.isRegularFile(archive)
                ? List.of("-XX:SharedArchiveFile=" + archive)
                : List.of("-XX:ArchiveClassesAtExit=" + partial);
    }

    /**
     * After the child has exited: publishes the archive it wrote if it {@code exitedByItself}, else discards it.
     * Failures are ignored: the archive only makes starts faster.
     */
    public void publish(boolean exitedByItself) {
        try {
            if (exitedByItself && Files.isRegularFile(partial) && Files.size(partial) > 0 && !Files.exists(archive)) {
                try {
                    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    // same directory, so this does not happen on the file systems we run on; keep no archive then
                }
            }
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // best effort: no archive means a slower start, nothing worse
        }
    }
}
