package dev.weir.serdes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.weir.serdes.internals.BoundedCache;
import dev.weir.serdes.internals.RegistryHttp;
import dev.weir.serdes.internals.RegistryHttp.Response;

/**
 * A {@link SchemaRegistryClient} speaking the Confluent Schema Registry REST API (Confluent, Apicurio's
 * {@code /apis/ccompat/v7}, and other compatible registries) with {@code java.net.http}.
 *
 * <p>Caches what never changes in a registry: id to schema, and (subject, schema) to id and version, so a
 * serializer or deserializer makes one request per schema, not per record. Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Writes made again after a 409 from a concurrent writer of the same subject's level. */
    private static final int MAX_CONFLICT_RETRIES = 3;

    private record SubjectAndSchema(String subject, Schema schema) {
    }

    private final RegistryHttp http;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectAndSchema, Integer> idsBySubjectAndSchema;
    private final BoundedCache<SubjectAndSchema, RegisteredSchema> versionsBySubjectAndSchema;

    /** A client configured with the {@link AvroSerdeConfig} keys ({@code schema.registry.url} at least). */
    public RestSchemaRegistryClient(Map<String, ?> configs) {
        this(new AvroSerdeConfig(configs));
    }

    public RestSchemaRegistryClient(AvroSerdeConfig config) {
        this.http = RegistryHttp.fromConfig(config);
        int capacity = config.getInt(AvroSerdeConfig.MAX_SCHEMAS_PER_SUBJECT);
        this.schemasById = new BoundedCache<>(capacity);
        this.idsBySubjectAndSchema = new BoundedCache<>(capacity);
        this.versionsBySubjectAndSchema = new BoundedCache<>(capacity);
    }

    /** A client for one registry URL with default settings. */
    public static RestSchemaRegistryClient forUrl(String url) {
        return new RestSchemaRegistryClient(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url));
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectAndSchema.getOrLoad(new SubjectAndSchema(subject, schema), key -> {
            Response response = http.post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            if (response.status() == 409) {
                throw new IncompatibleSchemaException(subject, List.of(response.message()));
            }
            if (!response.ok()) {
                throw http.rejected("registering a schema under subject '" + subject + "'", response);
            }
            int id = requiredInt(response, "id", "register");
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public Schema getById(int id) {
        return schemasById.getOrLoad(id, key -> {
            Response response = http.get("/schemas/ids/" + id);
            if (response.status() == 404) {
                throw new UnknownSchemaIdException(id, http.describe());
            }
            if (!response.ok()) {
                throw http.rejected("fetching schema id " + id, response);
            }
            return parseSchema(response.body().path("schema").asText(""), "schema id " + id);
        });
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        SubjectAndSchema key = new SubjectAndSchema(subject, schema);
        Optional<RegisteredSchema> cached = versionsBySubjectAndSchema.get(key);
        if (cached.isPresent()) {
            return cached;
        }
        Response response = http.post("/subjects/" + encode(subject), schemaBody(schema));
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.ok()) {
            throw http.rejected("looking up a schema under subject '" + subject + "'", response);
        }
        RegisteredSchema found = new RegisteredSchema(subject, requiredInt(response, "id", "lookup"),
                requiredInt(response, "version", "lookup"), schema);
        versionsBySubjectAndSchema.put(key, found);
        idsBySubjectAndSchema.put(key, found.id());
        schemasById.put(found.id(), schema);
        return Optional.of(found);
    }

    @Override
    public Optional<RegisteredSchema> latest(String subject) {
        Response response = http.get("/subjects/" + encode(subject) + "/versions/latest");
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.ok()) {
            throw http.rejected("fetching the latest version of subject '" + subject + "'", response);
        }
        int id = requiredInt(response, "id", "latest version");
        Schema schema = schemasById.getOrLoad(id, key ->
                parseSchema(response.body().path("schema").asText(""), "subject '" + subject + "' latest version"));
        return Optional.of(new RegisteredSchema(subject, id, requiredInt(response, "version", "latest version"), schema));
    }

    @Override
    public CompatibilityCheck testCompatibility(String subject, Schema schema) {
        Response response = http.post("/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                schemaBody(schema));
        if (response.status() == 404 && response.errorCode() != 40403) {
            // 40401 subject not found / 40402 version not found: nothing to be incompatible with
            return CompatibilityCheck.ok();
        }
        if (!response.ok()) {
            throw http.rejected("testing compatibility against subject '" + subject + "'", response);
        }
        boolean compatible = response.body().path("is_compatible").asBoolean(false);
        List<String> messages = new ArrayList<>();
        response.body().path("messages").forEach(message -> messages.add(message.asText()));
        return new CompatibilityCheck(compatible, messages);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        Response response = http.get("/config");
        if (!response.ok()) {
            throw http.rejected("reading the global compatibility level", response);
        }
        return level(response);
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        Response response = http.put("/config", configBody(level));
        if (!response.ok()) {
            throw http.rejected("setting the global compatibility level to " + level, response);
        }
    }

    @Override
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        Response response = http.get("/config/" + encode(subject));
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.ok()) {
            throw http.rejected("reading the compatibility level of subject '" + subject + "'", response);
        }
        return Optional.of(level(response));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A 409 means another client created the subject's level between this client's check and its write
     * (Apicurio answers "A rule named 'COMPATIBILITY' already exists" when application instances start
     * together); the level now exists, so the write is made again, as an update, a bounded number of times.
     */
    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        Response response = http.put("/config/" + encode(subject), configBody(level));
        for (int conflicts = 1; response.status() == 409 && conflicts <= MAX_CONFLICT_RETRIES; conflicts++) {
            response = http.put("/config/" + encode(subject), configBody(level));
        }
        if (!response.ok()) {
            throw http.rejected("setting the compatibility level of subject '" + subject + "' to " + level, response);
        }
    }

    @Override
    public List<String> subjects() {
        Response response = http.get("/subjects");
        if (!response.ok() || !response.body().isArray()) {
            throw http.rejected("listing subjects", response);
        }
        List<String> subjects = new ArrayList<>();
        response.body().forEach(subject -> subjects.add(subject.asText()));
        subjects.sort(null);
        return List.copyOf(subjects);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient[" + http.describe() + "]";
    }

    private static ObjectNode schemaBody(Schema schema) {
        return NODES.objectNode().put("schema", schema.toString());
    }

    private static ObjectNode configBody(CompatibilityLevel level) {
        return NODES.objectNode().put("compatibility", level.name());
    }

    private CompatibilityLevel level(Response response) {
        JsonNode body = response.body();
        String name = body.path("compatibilityLevel").asText(body.path("compatibility").asText(""));
        try {
            return CompatibilityLevel.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw http.rejected("reading a compatibility level (unknown level '" + name + "')", response);
        }
    }

    private int requiredInt(Response response, String field, String what) {
        JsonNode value = response.body().path(field);
        if (!value.canConvertToInt()) {
            throw http.rejected(what + " (the answer has no integer '" + field + "')", response);
        }
        return value.asInt();
    }

    private Schema parseSchema(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException | NullPointerException e) {
            throw new SchemaRegistryException("schema registry " + http.describe() + " returned a " + what
                    + " that is not a valid Avro schema (" + e.getMessage() + "); only Avro subjects are supported", e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
