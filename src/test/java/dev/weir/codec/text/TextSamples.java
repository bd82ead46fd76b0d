package dev.weir.codec.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** The bundled text excerpts (samples/text) and the development data set (../shared/data/text), for tests. */
final class TextSamples {

    static final Path JARGON_EXCERPT = Path.of("samples/text/jargon-excerpt.txt");
    static final Path DPKG_EXCERPT = Path.of("samples/text/dpkg-excerpt.log");

    private TextSamples() {
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path path) {
        return TextMessages.lines(read(path));
    }

    /** A file of the shared data set, or null when the data set is not beside the repository. */
    static Path shared(String name) {
        String root = System.getProperty("weir.shared.data");
        if (root == null) {
            return null;
        }
        Path path = Path.of(root, "text", name);
        return Files.isRegularFile(path) ? path : null;
    }

    /** Hex SHA-256 of the ids joined by commas, as the shared data README gives tiktoken's. */
    static String idHash(int[] ids) {
        String joined = Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(joined.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
