package dev.weir.cli;

import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.stack.LocalKafkaBroker;
import dev.weir.stack.LocalSchemaRegistry;
import dev.weir.stack.SaslListener;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.ops.Operations;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weir against a secured cluster, as an operator runs it: a real broker whose client listener requires SASL/SCRAM
 * (over plain TCP, and over TLS) and a real registry behind HTTP authentication (basic or bearer, {@link AuthProxy}). {@code weir topics},
 * {@code run}, {@code produce} and {@code consume} work with the security settings of a config file, wrong ones
 * are one line naming the problem, and no secret ever appears in what Weir prints, logs (Kafka's own
 * configuration dumps included) or serves as metrics.
 */
class SecurityIT {

    static final String KAFKA_USER = "weir-app";
    static final String KAFKA_PASSWORD = "kafka-Pw-" + Long.toHexString(System.nanoTime());
    static final String REGISTRY_USER = "weir-reg";
    static final String REGISTRY_PASSWORD = "registry-Pw-" + Long.toHexString(System.nanoTime());
    static final String REGISTRY_TOKEN = "registry-Token-" + Long.toHexString(System.nanoTime());
    static final String WRONG_PASSWORD = "wrong-Pw-" + Long.toHexString(System.nanoTime());
    static final String TRUST_PASSWORD = "truststore-Pw-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path dir;
    static LocalKafkaBroker broker;
    static LocalSchemaRegistry registry;
    static AuthProxy proxy;
    static SaslListener sasl = new SaslListener("SCRAM-SHA-256", KAFKA_USER, KAFKA_PASSWORD);
    /** Everything Weir printed in this test class, to search for secrets. */
    static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void startSecuredCluster() throws Exception {
        broker = LocalKafkaBroker.start(dir.resolve("kafka"), sasl);
        registry = LocalSchemaRegistry.start(dir.resolve("registry"));
        proxy = new AuthProxy("http://127.0.0.1:" + registry.port(), REGISTRY_USER, REGISTRY_PASSWORD, REGISTRY_TOKEN);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void topicsRunProduceAndConsumeWorkOverSaslScramWithARegistryBehindBasicAuthAndBearerTokens() throws Exception {
        // given a config file with the SASL login and the registry's basic-auth credentials
        int port = OpsProbe.freePort();
        Path config = configFile("secure", settings("weir-secure", port));

        // when the operator creates the topics
        WeirProcess topics = WeirProcess.start(dir, "secure-topics", kafkaLogs(), "topics", "--config", config.toString());
        assertEquals(0, topics.awaitExit(Duration.ofSeconds(90)), topics.output());
        assertTrue(topics.output().contains("created [weir-secure.frames"), topics.output());
        outputs.add(topics.output());

        // and runs Weir, which registers its schemas through the authenticating registry
        try (WeirProcess run = WeirProcess.start(dir, "secure-run", kafkaLogs(), "run", "--config", config.toString()).awaitRunning()) {
            // and produces frames with basic auth, and more with a bearer token
            WeirProcess produce = WeirProcess.start(dir, "secure-produce", kafkaLogs(), "produce", "video", "--input", "samples/video/tree",
                    "--stream", "secure-cam", "--limit", "2", "--config", config.toString());
            assertEquals(0, produce.awaitExit(Duration.ofSeconds(90)), produce.output());
            WeirProcess bearer = WeirProcess.start(dir, "secure-produce-bearer", kafkaLogs(), "produce", "video", "--input", "samples/video/tree",
                    "--stream", "secure-cam-2", "--limit", "1", "--config", config.toString(),
                    "-D", "basic.auth.credentials.source=URL", "-D", "basic.auth.user.info=", "-D", "bearer.auth.token=" + REGISTRY_TOKEN);
            assertEquals(0, bearer.awaitExit(Duration.ofSeconds(90)), bearer.output());

            // then consume reads the three decoded frames back over SASL
            WeirProcess consume = WeirProcess.start(dir, "secure-consume", kafkaLogs(), "consume", "decoded", "--from-beginning", "--max", "3",
                    "--timeout", "90", "--config", config.toString());
            assertEquals(0, consume.awaitExit(Duration.ofSeconds(150)), consume.output());
            assertEquals(2, consume.output().lines().filter(l -> l.startsWith("secure-cam seq=")).count(), consume.output());
            assertEquals(1, consume.output().lines().filter(l -> l.startsWith("secure-cam-2 seq=")).count(), consume.output());

            // and the metrics endpoint serves no secret
            OpsProbe.Answer metrics = OpsProbe.get(URI.create("http://127.0.0.1:" + port + Operations.METRICS_PATH));
            assertEquals(200, metrics.status());
            outputs.addAll(List.of(produce.output(), bearer.output(), consume.output(), metrics.body()));

            run.terminate(WeirRunProcessIT.STOP_BOUND);
            outputs.add(run.output());
            // Kafka logged its clients' configurations (at INFO here), with the JAAS config masked
            assertTrue(run.output().contains("sasl.jaas.config = [hidden]"), run.output());
            assertTrue(run.output().contains("security.protocol = SASL_PLAINTEXT"), run.output());
        }
        assertTrue(proxy.allowed.get() > 0, "the registry was reached through the proxy");
        assertNoSecretIn(outputs);
    }

    @Test
    void overSaslSslTheTlsSettingsOfTheConfigFileReachEveryClient() throws Exception {
        // given a broker whose SASL listener speaks TLS (SCRAM-SHA-512), with a certificate for 127.0.0.1
        Path certs = Files.createDirectories(dir.resolve("tls"));
        String keyStorePassword = "keystore-Pw-" + Long.toHexString(System.nanoTime());
        Path keyStore = certs.resolve("broker.p12");
        Path trustStore = certs.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", keyStorePassword, "-keypass", keyStorePassword);
        keytool("-exportcert", "-alias", "broker", "-rfc", "-keystore", keyStore.toString(), "-storepass", keyStorePassword,
                "-file", certs.resolve("broker.pem").toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certs.resolve("broker.pem").toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", TRUST_PASSWORD);
        SaslListener tls = new SaslListener("SCRAM-SHA-512", KAFKA_USER, KAFKA_PASSWORD, new SaslListener.Tls(keyStore, keyStorePassword));
        try (LocalKafkaBroker tlsBroker = LocalKafkaBroker.start(dir.resolve("kafka-tls"), tls)) {
            // and a config file with security.protocol=SASL_SSL and the client's trust store
            int port = OpsProbe.freePort();
            Map<String, String> s = settings("weir-tls", port);
            s.putAll(tls.clientSettings(tlsBroker.saslBootstrapServers().orElseThrow()));
            s.put("ssl.truststore.location", trustStore.toString());
            s.put("ssl.truststore.password", TRUST_PASSWORD);
            s.put("ssl.truststore.type", "PKCS12");
            Path config = configFile("tls", s);

            // when the operator creates the topics, runs Weir and produces two frames, all over SASL_SSL
            WeirProcess topics = WeirProcess.start(dir, "tls-topics", kafkaLogs(), "topics", "--config", config.toString());
            assertEquals(0, topics.awaitExit(Duration.ofSeconds(90)), topics.output());
            try (WeirProcess run = WeirProcess.start(dir, "tls-run", kafkaLogs(), "run", "--config", config.toString()).awaitRunning()) {
                WeirProcess produce = WeirProcess.start(dir, "tls-produce", kafkaLogs(), "produce", "video", "--input", "samples/video/tree",
                        "--stream", "tls-cam", "--limit", "2", "--config", config.toString());
                assertEquals(0, produce.awaitExit(Duration.ofSeconds(90)), produce.output());

                // then both are decoded (Weir's own metrics say so), and the clients logged SASL_SSL with the secrets hidden
                OperationsIT.awaitMetric(URI.create("http://127.0.0.1:" + port), "weir_events_decoded_total", Map.of("modality", "video"), 2);
                run.terminate(WeirRunProcessIT.STOP_BOUND);
                assertTrue(run.output().contains("security.protocol = SASL_SSL"), run.output());
                assertTrue(run.output().contains("ssl.truststore.password = [hidden]"), run.output());
                outputs.addAll(List.of(topics.output(), produce.output(), run.output()));
                assertNoSecretIn(List.of(topics.output(), produce.output(), run.output()), keyStorePassword);
            }
        }
    }

    @Test
    void wrongCredentialsAndUnreachableRegistriesAreOneLineWithoutTheSecret() throws Exception {
        // given Weir's topics, created over SASL with the config's settings (in process), and a good config file
        TopicSetup.createMissing(WeirConfig.of(settings("weir-wrong", 0), Map.of()));
        Path good = configFile("good", settings("weir-wrong", 0));
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("Authentication failed", new String[] {"run", "--config", good.toString(), "-D",
                "sasl.jaas.config=" + new SaslListener("SCRAM-SHA-256", KAFKA_USER, WRONG_PASSWORD).clientJaasConfig()});
        cases.put("HTTP 401", new String[] {"run", "--config", good.toString(), "-D", "basic.auth.user.info=" + REGISTRY_USER + ":" + WRONG_PASSWORD});
        cases.put("cannot register Weir's schemas at http://[hidden]@127.0.0.1:1", new String[] {"run", "--config", good.toString(),
                "-D", "schema.registry.url=http://" + REGISTRY_USER + ":" + WRONG_PASSWORD + "@127.0.0.1:1/apis/ccompat/v7",
                "-D", "basic.auth.credentials.source=URL", "-D", "max.retries=0"});
        cases.put("weir topics: cannot reach the Kafka brokers", new String[] {"topics", "--config", good.toString(),
                "-D", "security.protocol=PLAINTEXT", "-D", "weir.startup.timeout.ms=4000"});
        cases.put("weir produce: the Kafka brokers at", new String[] {"produce", "video", "--input", "samples/video/tree", "--stream", "x",
                "--config", good.toString(), "-D", "sasl.jaas.config=" + new SaslListener("SCRAM-SHA-256", KAFKA_USER, WRONG_PASSWORD).clientJaasConfig()});
        int n = 0;
        for (var c : cases.entrySet()) {
            // when weir is started with one credential wrong
            WeirProcess weir = WeirProcess.start(dir, "wrong-" + n++, kafkaLogs(), c.getValue());
            int exit = weir.awaitExit(Duration.ofSeconds(90));
            String output = weir.output();
            outputs.add(output);

            // then it exits 1 with one line that names the problem, no stack trace, and no secret
            assertEquals(1, exit, output);
            List<String> errors = output.lines().filter(l -> l.startsWith("weir ")).toList();
            assertEquals(1, errors.size(), output);
            assertTrue(errors.getFirst().contains(c.getKey()), "expected '" + c.getKey() + "' in: " + errors.getFirst());
            assertFalse(output.contains("\tat "), output);
        }
        assertNoSecretIn(outputs);
        assertTrue(proxy.refused.get() > 0, "the wrong registry password was refused by the registry");
    }

    @Test
    void theRegistryClientSendsBearerTokensAndAWrongOneIsRefusedWithoutBeingShown() {
        Map<String, Object> base = Map.of(WeirConfig.SCHEMA_REGISTRY_URL, proxy.base() + LocalSchemaRegistry.CCOMPAT_PATH);
        Map<String, Object> good = new TreeMap<>(base);
        good.put("bearer.auth.token", REGISTRY_TOKEN);
        Map<String, Object> wrong = new TreeMap<>(base);
        wrong.put("bearer.auth.token", WRONG_PASSWORD);
        wrong.put("max.retries", 0);

        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(good);
             RestSchemaRegistryClient refused = new RestSchemaRegistryClient(wrong)) {
            int id = client.register("bearer-subject", dev.weir.avro.VideoFrame.getClassSchema());
            assertTrue(id > 0);
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> refused.register("bearer-subject", dev.weir.avro.VideoFrame.getClassSchema()));
            assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("Check the registry credentials"), e.getMessage());
            assertFalse(e.getMessage().contains(WRONG_PASSWORD), e.getMessage());
        }
    }

    @Test
    void helpShowsNoSecretEvenWithSecretsInTheEnvironmentAndConfig() throws Exception {
        Path config = configFile("help", settings("weir-help", 0));
        for (String command : List.of("run", "topics", "produce", "consume")) {
            WeirProcess help = WeirProcess.start(dir, "help-" + command, Map.of("WEIR_SASL_JAAS_CONFIG", sasl.clientJaasConfig()),
                    command, "--config", config.toString(), "--help");
            assertEquals(0, help.awaitExit(Duration.ofSeconds(60)), help.output());
            assertTrue(help.output().contains("Usage: weir " + command), help.output());
            outputs.add(help.output());
        }
        assertNoSecretIn(outputs);
    }

    // --- the cluster, as the tests see it

    /** The settings of an application on the SASL listener, with the registry behind basic auth. */
    static Map<String, String> settings(String applicationId, int httpPort) {
        Map<String, String> s = new TreeMap<>(sasl.clientSettings(broker.saslBootstrapServers().orElseThrow()));
        s.put(WeirConfig.SCHEMA_REGISTRY_URL, proxy.base() + LocalSchemaRegistry.CCOMPAT_PATH);
        s.put("basic.auth.credentials.source", "USER_INFO");
        s.put("basic.auth.user.info", REGISTRY_USER + ":" + REGISTRY_PASSWORD);
        s.put(WeirConfig.APPLICATION_ID, applicationId);
        s.put(WeirConfig.MODALITIES, "video");
        s.put("weir.topic.video.frames", applicationId + ".frames");
        s.put("weir.topic.video.tokens", applicationId + ".tokens");
        s.put("weir.topic.video.decoded", applicationId + ".decoded");
        s.put(WeirConfig.TOPIC_DEAD_LETTERS, applicationId + ".dead-letters");
        s.put(WeirConfig.KERNEL_BACKEND, "jvm");
        s.put(WeirConfig.HTTP_PORT, Integer.toString(httpPort));
        s.put(WeirConfig.STARTUP_TIMEOUT_MS, "15000");
        s.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + applicationId).toString());
        s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        return s;
    }

    static Path configFile(String name, Map<String, String> settings) throws Exception {
        Properties properties = new Properties();
        properties.putAll(settings);
        Path file = dir.resolve(name + ".properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, "SecurityIT " + name);
        }
        return file;
    }

    /** Kafka's clients log at INFO, so that their configuration dumps are in the output too. */
    static Map<String, String> kafkaLogs() {
        return Map.of("WEIR_KAFKA_LOG_LEVEL", "INFO");
    }

    static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && process.exitValue() == 0, "keytool failed: " + output);
    }

    static void assertNoSecretIn(List<String> texts, String... more) {
        List<String> secrets = new ArrayList<>(List.of(KAFKA_PASSWORD, REGISTRY_PASSWORD, REGISTRY_TOKEN, WRONG_PASSWORD, TRUST_PASSWORD,
                Base64.getEncoder().encodeToString((REGISTRY_USER + ":" + REGISTRY_PASSWORD).getBytes(StandardCharsets.UTF_8))));
        secrets.addAll(List.of(more));
        for (String text : texts) {
            for (String secret : secrets) {
                int at = text.indexOf(secret);
                assertEquals(-1, at, () -> "a secret in the output: ..." + text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100)));
            }
        }
    }
}
