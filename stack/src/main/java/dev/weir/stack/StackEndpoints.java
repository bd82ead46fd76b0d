package dev.weir.stack;

import java.util.Objects;

/**
 * Where a local stack answers: the Kafka bootstrap servers and the base URL of the Confluent-compatible
 * schema registry API.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}, for example {@code 127.0.0.1:41234}
 * @param registryUrl      schema registry base URL, for example {@code http://127.0.0.1:41235/apis/ccompat/v7}
 */
public record StackEndpoints(String bootstrapServers, String registryUrl) {

    public StackEndpoints {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        if (bootstrapServers.isBlank() || registryUrl.isBlank()) {
            throw new IllegalArgumentException("stack endpoints must not be blank: bootstrap.servers='" + bootstrapServers
                    + "', schema.registry.url='" + registryUrl + "'");
        }
    }
}
