package dev.weir.serdes;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * Configuration of {@link ConfluentAvroSerde} and {@link RestSchemaRegistryClient}. Key names are Confluent's
 * wherever Confluent has the setting, so an existing Confluent serde configuration works unchanged.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String MAX_SCHEMAS_PER_SUBJECT = "max.schemas.per.subject";

    /** The definition of every key above, with defaults, validators and documentation. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, List.of(), Importance.HIGH,
                    "Comma-separated base URLs of the schema registry (Confluent API), tried in turn, for example "
                            + "http://registry:8081 or http://host:8080/apis/ccompat/v7 for Apicurio.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Whether the serializer registers a record's schema when its subject does not have it yet.")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Whether the serializer writes with the latest schema version of the subject instead of the "
                            + "record's own schema (which must then be readable as the latest).")
            .define(LATEST_CACHE_TTL_SEC, Type.LONG, -1L, Importance.LOW,
                    "How long the serializer caches the latest version for use.latest.version; -1 means forever.")
            .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, TopicNameStrategy.class.getName(), Importance.MEDIUM,
                    "SubjectNameStrategy for keys: TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy "
                            + "(Weir's or Confluent's class names) or a class implementing dev.weir.serdes.SubjectNameStrategy.")
            .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, TopicNameStrategy.class.getName(), Importance.MEDIUM,
                    "SubjectNameStrategy for values; see key.subject.name.strategy.")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "URL", ValidString.in("URL", "USER_INFO"),
                    Importance.MEDIUM, "Where HTTP basic-auth credentials come from: USER_INFO (basic.auth.user.info) "
                            + "or URL (user:password@ in schema.registry.url).")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, "", Importance.MEDIUM,
                    "user:password for HTTP basic auth when basic.auth.credentials.source=USER_INFO.")
            .define(BEARER_AUTH_CREDENTIALS_SOURCE, Type.STRING, "STATIC_TOKEN", ValidString.in("STATIC_TOKEN"),
                    Importance.LOW, "Where the bearer token comes from; only STATIC_TOKEN (bearer.auth.token) is supported.")
            .define(BEARER_AUTH_TOKEN, Type.PASSWORD, "", Importance.MEDIUM,
                    "Static bearer token sent as 'Authorization: Bearer ...'; takes precedence over basic auth.")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                    "Trust store for https registry URLs; empty uses the JDK's default trust.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Trust store password.")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Trust store type: JKS or PKCS12.")
            .define(SSL_KEYSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                    "Key store with the client certificate, for registries that require mutual TLS.")
            .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Key store password.")
            .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Key store type: JKS or PKCS12.")
            .define(SSL_KEY_PASSWORD, Type.PASSWORD, "", Importance.LOW,
                    "Password of the private key in the key store; empty means the key store password.")
            .define(HTTP_CONNECT_TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
                    "TCP/TLS connect timeout for registry requests, in milliseconds.")
            .define(HTTP_READ_TIMEOUT_MS, Type.INT, 30_000, Range.atLeast(1), Importance.LOW,
                    "Time to wait for a registry response, in milliseconds.")
            .define(MAX_RETRIES, Type.INT, 3, Range.between(0, 20), Importance.LOW,
                    "Retries after a failed registry request (I/O error, 5xx or 429; never other 4xx).")
            .define(RETRIES_WAIT_MS, Type.LONG, 1_000L, Range.atLeast(0), Importance.LOW,
                    "Backoff before the first retry, doubled on each further retry, with jitter.")
            .define(RETRIES_MAX_WAIT_MS, Type.LONG, 20_000L, Range.atLeast(0), Importance.LOW,
                    "Upper bound of the backoff between retries.")
            .define(MAX_SCHEMAS_PER_SUBJECT, Type.INT, 1_000, Range.atLeast(1), Importance.LOW,
                    "Capacity of each of the client's schema caches (id to schema, subject and schema to id).");

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(CONFIG_DEF, originals, false);
    }
}
