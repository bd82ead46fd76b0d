package dev.weir.stack;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An extra client listener of the local broker that requires SASL authentication, over plain TCP
 * ({@code SASL_PLAINTEXT}) or TLS ({@code SASL_SSL}), on loopback, with one user: for testing clients' security
 * settings against a real broker. The broker's own PLAINTEXT listener stays as it is (the stack's tools use it).
 *
 * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
 * @param username  the one user the listener accepts
 * @param password  that user's password
 * @param tls       the broker's certificate for {@code SASL_SSL}, or {@code null} for {@code SASL_PLAINTEXT}
 */
public record SaslListener(String mechanism, String username, String password, Tls tls) {

    /**
     * The broker's side of TLS: a PKCS12 key store with its private key and a certificate valid for
     * {@code 127.0.0.1}.
     */
    public record Tls(Path keyStore, String keyStorePassword) {
        @Override
        public String toString() {
            return "Tls[" + keyStore + "]";
        }
    }

    private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** A {@code SASL_PLAINTEXT} listener. */
    public SaslListener(String mechanism, String username, String password) {
        this(mechanism, username, password, null);
    }

    public SaslListener {
        mechanism = mechanism.toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("SASL mechanism " + mechanism + " is not one of " + MECHANISMS);
        }
        if (username.isBlank() || password.isEmpty() || (username + password).matches(".*[\",\\]\\[=\\\\].*")) {
            throw new IllegalArgumentException("SASL user and password must be non-empty, without quotes, commas, brackets or '='");
        }
    }

    /** {@code SASL_SSL} or {@code SASL_PLAINTEXT}: the security protocol, also the listener's name. */
    public String protocol() {
        return tls == null ? "SASL_PLAINTEXT" : "SASL_SSL";
    }

    public boolean scram() {
        return mechanism.startsWith("SCRAM-");
    }

    /** The client's {@code sasl.jaas.config} for this user. */
    public String clientJaasConfig() {
        return loginModule() + " required username=\"" + username + "\" password=\"" + password + "\";";
    }

    /**
     * The settings a Kafka client needs for this listener: {@code bootstrap.servers}, {@code security.protocol},
     * {@code sasl.mechanism} and {@code sasl.jaas.config} (over TLS the client must also trust the broker's
     * certificate: {@code ssl.truststore.*}).
     */
    public Map<String, String> clientSettings(String bootstrapServers) {
        return Map.of("bootstrap.servers", bootstrapServers, "security.protocol", protocol(),
                "sasl.mechanism", mechanism, "sasl.jaas.config", clientJaasConfig());
    }

    /** The broker's JAAS configuration of the listener: PLAIN lists its users, SCRAM reads credentials from the metadata. */
    public String brokerJaasConfig() {
        return scram() ? loginModule() + " required;"
                : loginModule() + " required user_" + username + "=\"" + password + "\";";
    }

    /** The {@code kafka-storage format --add-scram} argument that stores a SCRAM user's credentials. */
    public String scramCredential() {
        return mechanism + "=[name=" + username + ",password=" + password + "]";
    }

    private String loginModule() {
        return scram() ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "SaslListener[" + protocol() + ", " + mechanism + ", user " + username + "]";
    }
}
