package dev.weir.topology;

import dev.weir.topology.video.VideoModality;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.serdes.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeirConfigTest {

    @Test
    void environmentVariablesOverrideSettingsAndMapToDottedKeys() {
        // given a setting from a file and variables in the environment
        Map<String, String> fromFile = Map.of("bootstrap.servers", "file:9092", "weir.video.patch.size", "8");
        Map<String, String> env = Map.of("WEIR_BOOTSTRAP_SERVERS", "env:9092", "WEIR_WEIR_VIDEO_PATCH_SIZE", "32",
                "WEIR_JAVA_HOME", "/usr/lib/jvm/x", "PATH", "/bin");

        // when the configuration is built
        WeirConfig config = WeirConfig.of(fromFile, env);

        // then the environment wins, keys are lower-cased and dotted, and launcher variables are not settings
        assertEquals("env:9092", config.get(WeirConfig.BOOTSTRAP_SERVERS));
        assertEquals(32, config.getInt(VideoModality.PATCH_SIZE));
        assertFalse(config.asMap().containsKey("java.home"));
        assertFalse(config.asMap().containsKey("path"));
    }

    @Test
    void commandLineOptionsBeatTheEnvironmentWhichBeatsTheFile() {
        WeirConfig config = WeirConfig.of(Map.of("bootstrap.servers", "file:9092", "application.id", "from-file"),
                Map.of("WEIR_BOOTSTRAP_SERVERS", "env:9092", "WEIR_APPLICATION_ID", "from-env", "WEIR_OPENCL_DEVICE", "H100"),
                Map.of("bootstrap.servers", "cli:9092"));

        assertEquals("cli:9092", config.get(WeirConfig.BOOTSTRAP_SERVERS));
        assertEquals("from-env", config.get(WeirConfig.APPLICATION_ID));
        assertFalse(config.asMap().containsKey("opencl.device"), "tool variables are not settings");
    }

    @Test
    void plainClientsGetConnectionAndSecuritySettingsButNotStreamsOnes() {
        WeirConfig config = WeirConfig.of(Map.of("bootstrap.servers", "b:9093", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN", "processing.guarantee", "at_least_once", "schema.registry.url", "http://r"), Map.of());

        Map<String, Object> admin = config.clientConfig(org.apache.kafka.clients.admin.AdminClientConfig.configNames());

        assertEquals("SASL_SSL", admin.get("security.protocol"));
        assertEquals("PLAIN", admin.get("sasl.mechanism"));
        assertEquals("b:9093", admin.get("bootstrap.servers"));
        assertFalse(admin.containsKey("processing.guarantee"));
        assertFalse(admin.containsKey("schema.registry.url"));
    }

    @Test
    void registrySettingsGoToTheSerdesAndTheRestToKafkaStreams() {
        WeirConfig config = WeirConfig.of(Map.of("bootstrap.servers", "b:9092", "schema.registry.url", "http://r:8081",
                "basic.auth.user.info", "u:p", "num.stream.threads", "4", "max.retries", "7", "http.read.timeout.ms", "900"), Map.of());

        Map<String, Object> serde = config.serdeConfig();
        Properties streams = config.streamsProperties();

        assertEquals("http://r:8081", serde.get("schema.registry.url"));
        assertEquals("u:p", serde.get("basic.auth.user.info"));
        assertEquals("7", serde.get("max.retries"));
        assertEquals("900", serde.get("http.read.timeout.ms"));
        assertFalse(streams.containsKey("max.retries"));
        assertFalse(streams.containsKey("schema.registry.url"));
        assertFalse(streams.containsKey("basic.auth.user.info"));
        assertFalse(streams.stringPropertyNames().stream().anyMatch(k -> k.startsWith("weir.")));
        assertEquals("4", streams.getProperty("num.stream.threads"));
        assertEquals("b:9092", streams.getProperty("bootstrap.servers"));
    }

    @Test
    void weirSettingsForKafkaStreamsKeepExactlyOnceAndRoomForVideoUnlessOverridden() {
        Properties props = WeirApp.streamsProperties(WeirConfig.of(Map.of("bootstrap.servers", "b:9092"), Map.of()));

        assertEquals("exactly_once_v2", props.getProperty("processing.guarantee"));
        assertEquals(Integer.toString(WeirConfig.DEFAULT_MAX_EVENT_BYTES), props.getProperty("topic.max.message.bytes"));
        assertTrue(Integer.parseInt(props.getProperty("producer.max.request.size")) > WeirConfig.DEFAULT_MAX_EVENT_BYTES);
    }

    @Test
    void videoCompressionSettingsBecomeTheEncodersConfiguration() {
        // given compression settings as an operator writes them
        WeirConfig config = WeirConfig.of(Map.of("weir.video.cache", "update-ratio:0.2", "weir.video.budget", "rate:900",
                "weir.video.fps", "30", "weir.video.keyframe.interval", "60", "weir.video.alpha", "0.7"), Map.of());

        // when they are read
        CompressionConfig c = VideoModality.compression(config);

        // then each lands where it belongs, and the rest keep the tuned defaults
        assertEquals(new dev.weir.codec.compress.Cacher.UpdateRatio(0.2), c.cache());
        assertEquals(new dev.weir.codec.compress.Budget.Rate(900, 30, 2), c.budget());
        assertEquals(60, c.keyframeInterval());
        assertEquals(0.7, c.alpha());
        assertEquals(CompressionConfig.defaults().sceneChangeShare(), c.sceneChangeShare());
        assertEquals(CompressionConfig.defaults(), VideoModality.compression(WeirConfig.of(Map.of(), Map.of())));
        assertEquals(CompressionConfig.none(), VideoModality.compression(WeirConfig.of(Map.of("weir.video.compression", "off"), Map.of())));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> VideoModality.compression(WeirConfig.of(Map.of("weir.video.budget", "lots"), Map.of())));
        assertTrue(bad.getMessage().contains("ratio:R"), bad.getMessage());
    }

    @Test
    void theStreamIdleTimeoutDefaultsToADayAndZeroTurnsItOff() {
        assertEquals(Duration.ofHours(24), WeirConfig.of(Map.of(), Map.of()).streamIdleTimeout());
        assertEquals(Duration.ofMinutes(5), WeirConfig.of(Map.of(), Map.of("WEIR_WEIR_STREAM_IDLE_TIMEOUT_MS", "300000")).streamIdleTimeout());
        assertEquals(Duration.ZERO, WeirConfig.of(Map.of(WeirConfig.STREAM_IDLE_TIMEOUT_MS, "0"), Map.of()).streamIdleTimeout());
    }

    @Test
    void aStreamIdleTimeoutThatIsNotAWholeNumberOfMillisecondsOrIsNegativeIsRefusedWhenTheTopologyIsBuilt() {
        for (String bad : List.of("-1", "1h", "1.5", "99999999999999999999")) {
            // given a bad timeout
            WeirConfig config = WeirConfig.of(Map.of(WeirConfig.STREAM_IDLE_TIMEOUT_MS, bad), Map.of());

            // when the topology is built, then it fails at once, naming the setting
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> WeirTopology.build(config, new InMemorySchemaRegistryClient()), bad);
            assertTrue(refused.getMessage().contains(WeirConfig.STREAM_IDLE_TIMEOUT_MS), refused.getMessage());
        }
    }

    @Test
    void aConfigFileIsReadAndMissingSettingsAreReportedByTheirVariableName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weir.properties");
        Files.writeString(file, "application.id = from-file\nweir.topic.video.frames=cams\n");

        WeirConfig config = WeirConfig.load(file, Map.of());

        assertEquals("from-file", config.get(WeirConfig.APPLICATION_ID));
        assertEquals("cams", config.topics().of("video").input());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> config.get("weir.nothing"));
        assertTrue(missing.getMessage().contains("WEIR_WEIR_NOTHING"), missing.getMessage());
    }
}
