package dev.weir.serdes.internals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;

import dev.weir.serdes.AvroSerdeConfig;

/** Builds the JDK {@link SSLContext} for https registry URLs from the {@code schema.registry.ssl.*} settings. */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** The configured context, or the JDK default when neither a trust store nor a key store is configured. */
    public static SSLContext fromConfig(AvroSerdeConfig config) {
        String trustLocation = config.getString(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
        String keyLocation = config.getString(AvroSerdeConfig.SSL_KEYSTORE_LOCATION);
        try {
            if (trustLocation.isBlank() && keyLocation.isBlank()) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory trust = null;
            if (!trustLocation.isBlank()) {
                KeyStore store = load(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, trustLocation,
                        config.getString(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE),
                        config.getPassword(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD).value());
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (!keyLocation.isBlank()) {
                String storePassword = config.getPassword(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD).value();
                String keyPassword = config.getPassword(AvroSerdeConfig.SSL_KEY_PASSWORD).value();
                KeyStore store = load(AvroSerdeConfig.SSL_KEYSTORE_LOCATION, keyLocation,
                        config.getString(AvroSerdeConfig.SSL_KEYSTORE_TYPE), storePassword);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, (keyPassword.isEmpty() ? storePassword : keyPassword).toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cannot set up TLS for the schema registry client: " + e.getMessage()
                    + "; check the schema.registry.ssl.* settings (store type, passwords)");
        }
    }

    private static KeyStore load(String key, String location, String type, String password) throws GeneralSecurityException {
        Path path = Path.of(location);
        if (!Files.isReadable(path)) {
            throw new ConfigException(key, location, "file does not exist or is not readable");
        }
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password.isEmpty() ? null : password.toCharArray());
        } catch (IOException e) {
            throw new ConfigException(key, location, "cannot read " + type + " store: " + e.getMessage()
                    + " (wrong password or store type?)");
        }
        return store;
    }
}
