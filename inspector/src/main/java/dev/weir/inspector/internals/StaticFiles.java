package dev.weir.inspector.internals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The page's own files (no CDN, no framework: HTML, one script, one style sheet), from the module's resources
 * {@code dev/weir/inspector/web/}, loaded once.
 */
final class StaticFiles {

    /** File name → content type. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "inspector.js", "text/javascript; charset=utf-8",
            "inspector.css", "text/css; charset=utf-8");

    /** A file's bytes and type. */
    record File(byte[] bytes, String contentType) {
    }

    private final Map<String, File> files;

    StaticFiles() {
        Map<String, File> loaded = new java.util.HashMap<>();
        FILES.forEach((name, type) -> loaded.put(name, new File(read(name), type)));
        files = Map.copyOf(loaded);
    }

    Optional<File> get(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("/dev/weir/inspector/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the inspector's " + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
