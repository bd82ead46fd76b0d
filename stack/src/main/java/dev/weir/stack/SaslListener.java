package dev.weir.stack;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An extra client listener of the local broker that requires SASL authentication over plain TCP
 * ({@code SASL_PLAINTEXT}, loopback only), with one user: for testing clients' security settings against a
 * real broker. The broker's own PLAINTEXT listener stays as it is (the stack's tools use it).
 *
 * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
 * @param username  the one user the listener accepts
 * @param password  that user's password
 */
public record SaslListener(String mechanism, String username, String password) {

    /** The listener's name in the broker's configuration. */
    public static final String LISTENER = "SASL_PLAINTEXT";
    private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    public SaslListener {
        mechanism = mechanism.toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("SASL mechanism " + mechanism + " is not one of " + MECHANISMS);
        }
        if (username.isBlank() || password.isEmpty() || (username + password).matches(".*[\",\\]\\[=\\\\].*")) {
            throw new IllegalArgumentException("SASL user and password must be non-empty, without quotes, commas, brackets or '='");
        }
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
     * {@code sasl.mechanism} and {@code sasl.jaas.config}.
     */
    public Map<String, String> clientSettings(String bootstrapServers) {
        return Map.of("bootstrap.servers", bootstrapServers, "security.protocol", "SASL_PLAINTEXT",
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
        return "SaslListener[" + mechanism + ", user " + username + "]";
    }
}
