package dev.weir.topology;

import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Resolves {@value WeirConfig#INSTANCE_ID}{@code =auto}: a random id kept in the application's state
 * directory, so an instance restarted on the same state (after a crash, say) rejoins its consumer group as the
 * same static member and gets its partitions back at once, without waiting for its old session to time out.
 * Two instances never share a state directory (Kafka Streams locks it), so they never share an id.
 */
final class StaticMembership {

    static final String FILE = "weir-instance-id";

    private StaticMembership() {
    }

    /** {@code config} with an {@code auto} instance id replaced by the persistent one; other values unchanged. */
    static WeirConfig resolve(WeirConfig config) {
        if (!config.get(WeirConfig.INSTANCE_ID, "none").equals("auto")) {
            return config;
        }
        String stateDir = config.get(StreamsConfig.STATE_DIR_CONFIG, Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString());
        Path file = Path.of(stateDir, config.get(WeirConfig.APPLICATION_ID), FILE);
        return config.with(WeirConfig.INSTANCE_ID, readOrCreate(file));
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            Files.createDirectories(file.getParent());
            String id = "weir-" + UUID.randomUUID();
            Path temp = Files.writeString(file.resolveSibling(FILE + ".tmp"), id, StandardCharsets.UTF_8);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the instance id in " + file + " (weir.instance.id=auto): " + e.getMessage(), e);
        }
    }
}
