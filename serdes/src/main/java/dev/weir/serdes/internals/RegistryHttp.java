package dev.weir.serdes.internals;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import javax.net.ssl.SSLContext;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.weir.serdes.AvroSerdeConfig;
import dev.weir.serdes.RegistryRequestException;
import dev.weir.serdes.RegistryUnavailableException;

/**
 * JSON over HTTP to one or more registry base URLs, with authentication, timeouts and bounded retries: I/O
 * errors, 5xx and 429 are retried (moving to the next URL on I/O errors) with {@link RetryPolicy}'s backoff;
 * any other answer is returned to the caller, which maps 4xx to typed exceptions.
 */
public final class RegistryHttp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A non-retriable answer: 2xx, or a 4xx other than 429. */
    public record Response(int status, JsonNode body, String rawBody) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Confluent's {@code error_code}, or -1. */
        public int errorCode() {
            return body.path("error_code").asInt(-1);
        }

        public String message() {
            String message = body.path("message").asText("");
            return message.isEmpty() ? rawBody : message;
        }
    }

    private final List<URI> baseUrls;
    private final Optional<String> authorization;
    private final Duration readTimeout;
    private final RetryPolicy retryPolicy;
    private final RandomGenerator random;
    private final HttpClient http;
    private final AtomicInteger cursor = new AtomicInteger();

    RegistryHttp(List<URI> baseUrls, Optional<String> authorization, SSLContext ssl, Duration connectTimeout,
                 Duration readTimeout, RetryPolicy retryPolicy, RandomGenerator random) {
        if (baseUrls.isEmpty()) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "",
                    "no schema registry URL configured; set schema.registry.url, e.g. http://localhost:8081");
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.authorization = authorization;
        this.readTimeout = readTimeout;
        this.retryPolicy = retryPolicy;
        this.random = random;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .sslContext(ssl)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Builds the transport from {@code schema.registry.url}, auth, TLS, timeout and retry settings. */
    public static RegistryHttp fromConfig(AvroSerdeConfig config) {
        List<URI> urls = new ArrayList<>();
        String urlUserInfo = null;
        for (String url : config.getList(AvroSerdeConfig.SCHEMA_REGISTRY_URL)) {
            URI uri = parseUrl(url.strip());
            if (uri.getRawUserInfo() != null) {
                urlUserInfo = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
                uri = URI.create(uri.getScheme() + "://" + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1)
                        + (uri.getRawPath() == null ? "" : uri.getRawPath()));
            }
            urls.add(uri);
        }
        RetryPolicy retry = new RetryPolicy(config.getInt(AvroSerdeConfig.MAX_RETRIES),
                Duration.ofMillis(config.getLong(AvroSerdeConfig.RETRIES_WAIT_MS)),
                Duration.ofMillis(config.getLong(AvroSerdeConfig.RETRIES_MAX_WAIT_MS)));
        boolean https = urls.stream().anyMatch(u -> "https".equalsIgnoreCase(u.getScheme()));
        return new RegistryHttp(urls, authorization(config, urlUserInfo),
                https ? TlsContexts.fromConfig(config) : defaultContext(),
                Duration.ofMillis(config.getInt(AvroSerdeConfig.HTTP_CONNECT_TIMEOUT_MS)),
                Duration.ofMillis(config.getInt(AvroSerdeConfig.HTTP_READ_TIMEOUT_MS)),
                retry, RandomGenerator.getDefault());
    }

    /** The Authorization header value: a bearer token if set, else basic auth from the configured source. */
    static Optional<String> authorization(AvroSerdeConfig config, String urlUserInfo) {
        String token = config.getPassword(AvroSerdeConfig.BEARER_AUTH_TOKEN).value();
        if (!token.isBlank()) {
            return Optional.of("Bearer " + token.strip());
        }
        String userInfo = switch (config.getString(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE)) {
            case "USER_INFO" -> config.getPassword(AvroSerdeConfig.BASIC_AUTH_USER_INFO).value();
            default -> urlUserInfo == null ? "" : urlUserInfo;
        };
        if (userInfo.isBlank()) {
            return Optional.empty();
        }
        if (!userInfo.contains(":")) {
            throw new ConfigException(AvroSerdeConfig.BASIC_AUTH_USER_INFO, "[hidden]",
                    "basic auth credentials must have the form user:password");
        }
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }

    private static URI parseUrl(String url) {
        try {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url,
                    "expected http(s)://host:port[/path], e.g. http://localhost:8081 (" + e.getMessage() + ")");
        }
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** A description of the registry for messages: its URL(s). */
    public String describe() {
        return baseUrls.size() == 1 ? baseUrls.getFirst().toString() : baseUrls.toString();
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    public Response put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    /**
     * Sends the request, retrying I/O errors, 5xx and 429 up to the policy's bound.
     *
     * @throws RegistryUnavailableException when every attempt failed that way
     */
    public Response send(String method, String path, JsonNode body) {
        String payload = body == null ? null : body.toString();
        int attempts = 0;
        Exception lastError = null;
        String lastProblem = "";
        for (int retry = 0; ; retry++) {
            URI base = baseUrls.get(Math.floorMod(cursor.get(), baseUrls.size()));
            URI target = URI.create(base + path);
            attempts++;
            try {
                HttpResponse<String> response = http.send(request(method, target, payload),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (!RetryPolicy.isRetriable(response.statusCode())) {
                    return new Response(response.statusCode(), parse(response.body()), response.body());
                }
                lastError = null;
                lastProblem = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (IOException e) {
                lastError = e;
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cursor.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException("interrupted during schema registry request " + method + " " + target, e);
            }
            if (retry >= retryPolicy.maxRetries()) {
                throw new RegistryUnavailableException("schema registry " + describe() + " did not answer " + method + " "
                        + path + " after " + attempts + " attempt(s); last problem: " + lastProblem
                        + ". Check that the registry is running and reachable at schema.registry.url; the "
                        + "operation can be retried later", attempts, lastError);
            }
            Duration wait = retryPolicy.backoff(retry, random);
            LOG.warn("Schema registry request {} {} failed ({}); retry {}/{} in {} ms", method, target, lastProblem,
                    retry + 1, retryPolicy.maxRetries(), wait.toMillis());
            sleep(wait);
        }
    }

    private HttpRequest request(String method, URI target, String payload) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(readTimeout)
                .header("Accept", ACCEPT);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (payload == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException notJson) {
            return MissingNode.getInstance();
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("interrupted while backing off before a schema registry retry", e);
        }
    }

    /** The exception for an unexpected non-retriable answer. */
    public RegistryRequestException rejected(String what, Response response) {
        String hint = switch (response.status()) {
            case 401, 403 -> " Check the registry credentials (basic.auth.user.info, bearer.auth.token).";
            case 404 -> " Check that schema.registry.url points at the Confluent-compatible API of the registry.";
            case 422 -> " The registry considers the request invalid.";
            default -> "";
        };
        return new RegistryRequestException("schema registry " + describe() + " rejected " + what + ": HTTP "
                + response.status() + (response.errorCode() >= 0 ? " (error code " + response.errorCode() + ")" : "")
                + " " + abbreviate(response.message()) + "." + hint, response.status(), response.errorCode());
    }

    @Override
    public void close() {
        http.close();
    }
}
