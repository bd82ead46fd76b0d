package dev.weir.topology;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Kafka's SASL and TLS settings pass from Weir's config to every Kafka client it makes (Kafka Streams', and the
 * plain admin, producer and consumer of the start-up check and the commands), the registry's credentials only to
 * the registry client, and every secret among them is a password to Kafka, which logs it as {@code [hidden]}.
 */
class SecuritySettingsTest {

    static final Map<String, String> KAFKA_SECURITY = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"weir\" password=\"pw\";",
            "ssl.truststore.location", "/etc/weir/truststore.p12",
            "ssl.truststore.password", "trust-pw",
            "ssl.truststore.type", "PKCS12",
            "ssl.keystore.location", "/etc/weir/keystore.p12",
            "ssl.keystore.password", "key-pw",
            "ssl.endpoint.identification.algorithm", "https");

    @Test
    void saslAndTlsSettingsReachEveryKafkaClientAndRegistryCredentialsOnlyTheRegistryClient() {
        // given Kafka security settings and registry credentials in one config
        Map<String, String> settings = new java.util.TreeMap<>(KAFKA_SECURITY);
        settings.put("bootstrap.servers", "broker:9093");
        settings.put("schema.registry.url", "https://registry:8081");
        settings.put("basic.auth.credentials.source", "USER_INFO");
        settings.put("basic.auth.user.info", "weir:registry-pw");
        WeirConfig config = WeirConfig.of(settings, Map.of());

        // when Weir builds its clients' settings
        Properties streams = WeirApp.streamsProperties(config);
        Map<String, Object> admin = config.clientConfig(AdminClientConfig.configNames());
        Map<String, Object> producer = config.clientConfig(ProducerConfig.configNames());
        Map<String, Object> consumer = config.clientConfig(ConsumerConfig.configNames());

        // then each has every Kafka security setting, unchanged
        KAFKA_SECURITY.forEach((key, value) -> {
            assertEquals(value, streams.get(key), "streams " + key);
            assertEquals(value, admin.get(key), "admin " + key);
            assertEquals(value, producer.get(key), "producer " + key);
            assertEquals(value, consumer.get(key), "consumer " + key);
        });
        // and the registry's credentials go to the registry client alone
        assertEquals("weir:registry-pw", config.serdeConfig().get("basic.auth.user.info"));
        for (Map<?, ?> kafka : new Map<?, ?>[] {streams, admin, producer, consumer}) {
            assertFalse(kafka.containsKey("basic.auth.user.info"), "a Kafka client would log it as an unknown setting");
        }
    }

    @Test
    void kafkaTreatsEverySecretAmongThemAsAPasswordSoItsConfigLogsHideThem() {
        Set<String> secrets = Set.of("sasl.jaas.config", "ssl.truststore.password", "ssl.keystore.password", "ssl.key.password");
        for (ConfigDef def : new ConfigDef[] {AdminClientConfig.configDef(), ProducerConfig.configDef(), ConsumerConfig.configDef()}) {
            for (String key : secrets) {
                assertEquals(ConfigDef.Type.PASSWORD, def.configKeys().get(key).type, key);
                assertEquals(true, Secrets.isSecret(key), key);
            }
        }
        // Kafka Streams' own config passes them on to its clients; what it defines itself it hides too
        for (String key : secrets) {
            ConfigDef.ConfigKey streams = StreamsConfig.configDef().configKeys().get(key);
            assertEquals(true, streams == null || streams.type == ConfigDef.Type.PASSWORD, key);
        }
    }
}
