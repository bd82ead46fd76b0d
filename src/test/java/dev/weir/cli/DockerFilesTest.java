package dev.weir.cli;

import dev.weir.stack.LocalKafkaBroker;
import dev.weir.stack.LocalSchemaRegistry;
import dev.weir.stack.internals.BrokerConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/ cannot be run here (no container engine), so it is held to what the tests run instead: the broker and
 * registry versions and the single-node broker settings of the local stack, the JVM flags of {@code ./weir}, and
 * one HTTP port for Weir's endpoints, whose {@code /ready} the compose health check asks
 * ({@code OperationsIT} runs that very check against a real {@code weir run}).
 */
class DockerFilesTest {

    static final Path DOCKER = Path.of("docker");

    @Test
    void composeRunsTheBrokerAndRegistryVersionsOfTheLocalStackWithItsSingleNodeSettings() throws IOException {
        String compose = Files.readString(DOCKER.resolve("compose.yaml"));

        assertTrue(compose.contains("image: apache/kafka:" + LocalKafkaBroker.VERSION + "\n"), "Kafka " + LocalKafkaBroker.VERSION);
        assertTrue(compose.contains("image: apicurio/apicurio-registry:" + LocalSchemaRegistry.VERSION + "\n"), "Apicurio " + LocalSchemaRegistry.VERSION);
        Map<String, String> broker = BrokerConfig.serverProperties(Path.of("/data"), 9092, 9093, LocalKafkaBroker.MAX_MESSAGE_BYTES);
        for (String key : List.of("default.replication.factor", "min.insync.replicas", "num.partitions", "auto.create.topics.enable",
                "offsets.topic.replication.factor", "offsets.topic.num.partitions", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr", "transaction.state.log.num.partitions", "share.coordinator.state.topic.replication.factor",
                "share.coordinator.state.topic.min.isr", "share.coordinator.state.topic.num.partitions", "group.initial.rebalance.delay.ms",
                "message.max.bytes", "replica.fetch.max.bytes", "process.roles")) {
            String env = "KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
            Matcher m = Pattern.compile("\n\\s+" + env + ": \"?([^\"\n]*)\"?\n").matcher(compose);
            assertTrue(m.find(), env + " missing from compose.yaml");
            assertEquals(broker.get(key), m.group(1), env);
        }
    }

    @Test
    void theImageRunsWeirWithTheLaunchersJvmFlags() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        List<String> entrypoint = quoted(dockerfile.substring(dockerfile.indexOf("ENTRYPOINT"), dockerfile.indexOf("CMD [")));

        for (String flag : launcherFlags()) {
            assertTrue(entrypoint.contains(flag), "./weir passes " + flag + ", the image does not: " + entrypoint);
        }
        assertEquals(WeirProcess.JVM_FLAGS, launcherFlags(), "the tests' weir processes use the launcher's flags");
    }

    @Test
    void oneHttpPortServesTheEndpointsAndTheHealthCheckAsksReady() throws IOException {
        Properties weir = new Properties();
        try (Reader in = Files.newBufferedReader(DOCKER.resolve("weir.properties"))) {
            weir.load(in);
        }
        String port = weir.getProperty("weir.http.port");
        String compose = Files.readString(DOCKER.resolve("compose.yaml"));

        assertEquals("0.0.0.0", weir.getProperty("weir.http.bind"), "reachable from outside the container");
        assertTrue(Files.readString(DOCKER.resolve("Dockerfile")).contains("EXPOSE " + port + "\n"));
        assertTrue(compose.contains("\"127.0.0.1:" + port + ":" + port + "\""), "published on the host's loopback only");
        assertEquals("/dev/tcp/127.0.0.1/" + port + " GET /ready", healthCheck().replaceAll(".*(/dev/tcp/[0-9./]+).*(GET /ready).*", "$1 $2"));
    }

    /** The compose file's health check of Weir: the bash command line. */
    static String healthCheck() throws IOException {
        Matcher m = Pattern.compile("test: \\[\"CMD\", \"bash\", \"-c\", '([^']*)']").matcher(Files.readString(DOCKER.resolve("compose.yaml")));
        assertTrue(m.find(), "no bash health check in compose.yaml");
        return m.group(1);
    }

    /** The JVM flags of {@code ./weir}'s {@code JVM_FLAGS=( ... )}, without the ones that name the checkout or the user's options. */
    static List<String> launcherFlags() throws IOException {
        String launcher = Files.readString(Path.of("weir"));
        String block = launcher.substring(launcher.indexOf("JVM_FLAGS=("), launcher.indexOf(")", launcher.indexOf("JVM_FLAGS=(")));
        List<String> flags = new ArrayList<>();
        for (String token : block.substring("JVM_FLAGS=(".length()).trim().split("\\s+")) {
            if (!token.startsWith("-Dweir.home") && !token.startsWith("${")) {
                flags.add(token);
            }
        }
        return flags;
    }

    private static List<String> quoted(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
