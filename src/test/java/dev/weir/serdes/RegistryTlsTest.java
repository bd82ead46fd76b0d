package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.weir.avro.TextEvent;

/** https registry URLs with the {@code schema.registry.ssl.*} trust and key stores, against a loopback HTTPS server. */
class RegistryTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static Path store;

    @BeforeAll
    static void createSelfSignedCertificate() throws IOException, InterruptedException {
        // one PKCS12 store with a self-signed certificate for 127.0.0.1: the server's key, the client's key (mutual
        // TLS) and, through its certificate, the trust of both sides
        store = dir.resolve("registry.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "registry",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool failed: " + output);
    }

    private static HttpsServer httpsServer(boolean needClientAuth) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            byte[] body = "{\"id\":3}".getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Map<String, Object> config(HttpsServer server) {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://127.0.0.1:" + server.getAddress().getPort());
        config.put(AvroSerdeConfig.MAX_RETRIES, 0);
        return config;
    }

    @Test
    void aConfiguredTrustStoreLetsTheClientTrustTheRegistry() throws Exception {
        HttpsServer server = httpsServer(false);
        try {
            Map<String, Object> config = config(server);
            config.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, store.toString());
            config.put(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, PASSWORD);
            config.put(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");
            try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
                assertEquals(3, client.register("chat-value", TextEvent.getClassSchema()));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutTheTrustStoreTheSelfSignedRegistryIsRefused() throws Exception {
        HttpsServer server = httpsServer(false);
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config(server))) {
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                    () -> client.register("chat-value", TextEvent.getClassSchema()));
            assertInstanceOf(SSLException.class, e.getCause());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aKeyStoreProvidesTheClientCertificateForMutualTls() throws Exception {
        HttpsServer server = httpsServer(true);
        try {
            Map<String, Object> config = config(server);
            config.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, store.toString());
            config.put(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, PASSWORD);
            config.put(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");
            // without a client certificate the registry refuses the handshake
            try (RestSchemaRegistryClient anonymous = new RestSchemaRegistryClient(config)) {
                assertThrows(RegistryUnavailableException.class, () -> anonymous.register("chat-value", TextEvent.getClassSchema()));
            }
            config.put(AvroSerdeConfig.SSL_KEYSTORE_LOCATION, store.toString());
            config.put(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD, PASSWORD);
            config.put(AvroSerdeConfig.SSL_KEYSTORE_TYPE, "PKCS12");
            try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
                assertEquals(3, client.register("chat-value", TextEvent.getClassSchema()));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aMissingStoreFileIsAConfigErrorNamingTheKey() {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://127.0.0.1:1");
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, dir.resolve("nope.p12").toString());
        ConfigException e = assertThrows(ConfigException.class, () -> new RestSchemaRegistryClient(config).close());
        assertTrue(e.getMessage().contains(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION), e.getMessage());
    }
}
