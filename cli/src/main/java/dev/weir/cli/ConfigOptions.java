package dev.weir.cli;

import dev.weir.topology.WeirConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Options shared by the commands that talk to a cluster: a config file, and the common overrides. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file: Kafka Streams/client settings, schema.registry.* and weir.* keys. "
                    + "Every setting can also come from a WEIR_* environment variable (WEIR_BOOTSTRAP_SERVERS=...).")
    Path configFile;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT,...", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, paramLabel = "URL", description = "Confluent-compatible schema registry URL.")
    String registryUrl;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "Any setting, as in the config file.")
    Map<String, String> settings = new TreeMap<>();

    WeirConfig load() throws IOException {
        Map<String, String> overrides = new TreeMap<>(settings);
        if (bootstrapServers != null) {
            overrides.put(WeirConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (registryUrl != null) {
            overrides.put(WeirConfig.SCHEMA_REGISTRY_URL, registryUrl);
        }
        if (configFile != null && !java.nio.file.Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException("config file " + configFile + (java.nio.file.Files.exists(configFile)
                    ? " is not a file" : " does not exist") + " (--config)");
        }
        return WeirConfig.load(configFile, overrides);
    }
}
