package dev.weir.stack.internals;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Asks endpoints whether they answer as a live stack's broker and registry would. */
public final class EndpointProbes {

    private EndpointProbes() {
    }

    /**
     * Whether a Kafka cluster answers on {@code bootstrapServers} with cluster id {@code expectedClusterId}
     * within {@code timeout}. The id check tells the stack's broker from an unrelated one on a recycled port.
     */
    public static boolean kafkaAnswers(String bootstrapServers, String expectedClusterId, Duration timeout) throws InterruptedException {
        int millis = (int) Math.max(500, timeout.toMillis());
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "weir-stack-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) millis,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) millis,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200L);
        try (Admin admin = Admin.create(config)) {
            String clusterId = admin.describeCluster().clusterId().get(millis, TimeUnit.MILLISECONDS);
            return expectedClusterId.equals(clusterId);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the Confluent-compatible registry at {@code registryUrl} lists its subjects within {@code timeout}. */
    public static boolean registryAnswers(String registryUrl, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            HttpRequest probe = HttpRequest.newBuilder(URI.create(registryUrl + "/subjects")).timeout(timeout).GET().build();
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } finally {
            http.close();
        }
    }
}
