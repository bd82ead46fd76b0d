package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.junit.jupiter.api.Test;

/**
 * Every schema in {@code schemas/} must stay BACKWARD compatible with its committed baseline in
 * {@code src/test/resources/schema-baseline/}: a consumer on today's schema must read records written with the
 * baseline, which is what the registry enforces at start-up (see {@link SchemaBootstrap}).
 */
class SchemaCompatibilityTest {

    private static final Path CURRENT = Path.of("schemas");
    private static final Path BASELINE = Path.of("src/test/resources/schema-baseline");

    @Test
    void everyCurrentSchemaReadsDataWrittenWithItsBaseline() throws IOException {
        // given the baseline and current schemas, by full name
        Map<String, Schema> baseline = parseAll(BASELINE);
        Map<String, Schema> current = parseAll(CURRENT);
        assertFalse(baseline.isEmpty(), "no baseline schemas found under " + BASELINE.toAbsolutePath());

        // when each baseline type is checked against its current version
        List<String> problems = backwardProblems(baseline, current);

        // then none is broken
        if (!problems.isEmpty()) {
            fail("schemas/ broke BACKWARD compatibility with src/test/resources/schema-baseline/ (consumers on the new "
                    + "schema could not read records already written). Give added fields a default, keep types and names:\n  "
                    + String.join("\n  ", problems));
        }
    }

    @Test
    void everyCurrentSchemaHasABaseline() throws IOException {
        // a new schema file must get a baseline copy, so its future changes are checked too
        Map<String, Schema> baseline = parseAll(BASELINE);
        List<String> missing = parseAll(CURRENT).keySet().stream().filter(name -> !baseline.containsKey(name)).toList();
        assertTrue(missing.isEmpty(), "no baseline for " + missing + ": copy the new .avsc files into " + BASELINE);
    }

    @Test
    void theCheckCatchesANewRequiredFieldAndNamesIt() throws IOException {
        // given a synthetic current TextEvent that adds a required field without a default
        Map<String, Schema> baseline = parseAll(BASELINE);
        Schema textEvent = baseline.get("dev.weir.avro.TextEvent");
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : textEvent.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("language", Schema.create(Schema.Type.STRING), "required, no default"));
        Schema broken = Schema.createRecord(textEvent.getName(), textEvent.getDoc(), textEvent.getNamespace(), false, fields);
        Map<String, Schema> current = new TreeMap<>(baseline);
        current.put("dev.weir.avro.TextEvent", broken);

        // when checked
        List<String> problems = backwardProblems(baseline, current);

        // then exactly that type is reported, naming the field
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("dev.weir.avro.TextEvent"), problems.getFirst());
        assertTrue(problems.getFirst().contains("field 'language'"), problems.getFirst());
    }

    @Test
    void theCheckCatchesAChangedTypeAndARemovedType() {
        Schema before = SchemaBuilder.record("Sample").namespace("t").fields()
                .requiredString("id").requiredLong("seq").endRecord();
        Schema after = SchemaBuilder.record("Sample").namespace("t").fields()
                .requiredString("id").requiredString("seq").endRecord();
        List<String> changed = backwardProblems(Map.of("t.Sample", before), Map.of("t.Sample", after));
        assertEquals(1, changed.size(), changed.toString());
        assertTrue(changed.getFirst().contains("field 'seq'"), changed.getFirst());

        List<String> removed = backwardProblems(Map.of("t.Sample", before), Map.of());
        assertEquals(List.of("t.Sample: removed from schemas/ (records of this type can no longer be read)"), removed);
    }

    /** One line per baseline type the current schemas cannot read, naming the field where Avro found it. */
    static List<String> backwardProblems(Map<String, Schema> baseline, Map<String, Schema> current) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Schema> entry : new TreeMap<>(baseline).entrySet()) {
            Schema reader = current.get(entry.getKey());
            if (reader == null) {
                problems.add(entry.getKey() + ": removed from schemas/ (records of this type can no longer be read)");
                continue;
            }
            SchemaCompatibility.SchemaPairCompatibility pair =
                    SchemaCompatibility.checkReaderWriterCompatibility(reader, entry.getValue());
            for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
                problems.add(entry.getKey() + ": " + incompatibility.getType() + " at " + describe(reader, incompatibility.getLocation())
                        + ": " + incompatibility.getMessage());
            }
        }
        return problems;
    }

    /** Turns Avro's location pointer ("/fields/3/type/...") into field names, e.g. "/fields/3 (field 'language')". */
    private static String describe(Schema reader, String location) {
        List<String> names = new ArrayList<>();
        Schema at = reader;
        String[] parts = location.split("/");
        for (int i = 1; i < parts.length && at != null; i++) {
            switch (parts[i]) {
                case "fields" -> {
                    if (i + 1 < parts.length && at.getType() == Schema.Type.RECORD) {
                        Schema.Field field = at.getFields().get(Integer.parseInt(parts[++i]));
                        names.add(field.name());
                        at = field.schema();
                    }
                }
                case "items" -> at = at.getType() == Schema.Type.ARRAY ? at.getElementType() : null;
                case "values" -> at = at.getType() == Schema.Type.MAP ? at.getValueType() : null;
                case "type" -> { }
                default -> {
                    if (at.getType() == Schema.Type.UNION && parts[i].chars().allMatch(Character::isDigit)) {
                        at = at.getTypes().get(Integer.parseInt(parts[i]));
                    } else {
                        at = null;
                    }
                }
            }
        }
        return names.isEmpty() ? location : location + " (field '" + String.join(".", names) + "')";
    }

    /** Every named type defined by the .avsc files of a folder (shared types in common/ first), by full name. */
    static Map<String, Schema> parseAll(Path root) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> byName = new TreeMap<>();
        for (Path folder : List.of(root.resolve("common"), root)) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> listing = Files.list(folder)) {
                files = listing.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
            }
            for (Path file : files) {
                Schema schema = parser.parse(file.toFile());
                byName.put(schema.getFullName(), schema);
            }
        }
        return byName;
    }
}
