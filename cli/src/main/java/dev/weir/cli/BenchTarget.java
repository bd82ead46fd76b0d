package dev.weir.cli;

import dev.weir.topology.Modalities;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.Modality;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a benchmark's applications run: the broker, the registry, and a folder for their state. Each application
 * gets topics of its own, named after it ({@code APP.MODALITY.ROLE}), so that runs never share records.
 */
record BenchTarget(String bootstrapServers, String registryUrl, Path stateRoot) {

    /** Settings of application {@code app} running {@code modalities} on {@code backend}, with {@code extra} on top. */
    WeirConfig config(String app, List<String> modalities, String backend, Map<String, String> extra) {
        Map<String, String> s = new TreeMap<>(extra);
        s.put(WeirConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        s.put(WeirConfig.SCHEMA_REGISTRY_URL, registryUrl);
        s.put(WeirConfig.APPLICATION_ID, app);
        s.put(WeirConfig.MODALITIES, String.join(",", modalities));
        s.put(WeirConfig.KERNEL_BACKEND, backend);
        for (String name : modalities) {
            Modality<?, ?, ?, ?> m = Modalities.named(name);
            for (String role : List.of(m.input(), "tokens", "decoded")) {
                s.put(WeirConfig.TOPIC_PREFIX + name + "." + role, app + "." + name + "." + role);
            }
        }
        s.put(WeirConfig.TOPIC_DEAD_LETTERS, app + ".dead-letters");
        s.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(app).toAbsolutePath().toString());
        return WeirConfig.of(s, Map.of());
    }
}
