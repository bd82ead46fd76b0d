package dev.weir.topology;

import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.stack.LocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real broker and registry of one pipeline IT class: a local stack under the class's temporary folder, a
 * registry client, a state folder, and one application's settings, whose topics are created at start.
 */
final class PipelineStack implements AutoCloseable {

    private final LocalStack stack;
    private final SchemaRegistryClient registry;
    private final Path stateDir;
    private final Map<String, String> settings;

    private PipelineStack(LocalStack stack, Path stateDir, Map<String, String> settings) {
        this.stack = stack;
        this.registry = RestSchemaRegistryClient.forUrl(stack.registryUrl());
        this.stateDir = stateDir;
        this.settings = Map.copyOf(settings);
    }

    /**
     * Starts a stack under {@code dir} for an application with {@code settings} (its id, modalities and the like:
     * the broker, registry, state folder and a 100 ms commit interval are added), and creates its topics.
     */
    static PipelineStack start(Path dir, Map<String, String> settings) throws Exception {
        PipelineStack pipeline = new PipelineStack(LocalStack.start(dir.resolve("stack")), dir.resolve("state"), settings);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack.bootstrapServers()))) {
            TopicSetup.createMissing(admin, pipeline.config());
        }
        return pipeline;
    }

    WeirConfig config() {
        Map<String, String> s = new HashMap<>(settings);
        s.putAll(Map.of(WeirConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(), WeirConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(),
                StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(), StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"));
        return WeirConfig.of(s, Map.of());
    }

    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    SchemaRegistryClient registry() {
        return registry;
    }

    /** The applications' state folder (tests wipe it to restart from the changelogs). */
    Path stateDir() {
        return stateDir;
    }

    @Override
    public void close() {
        registry.close();
        stack.close();
    }
}
