package dev.weir.architecture;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers are enforced by the build: a class added to a module that imports what the module does not
 * depend on (Kafka or Avro in the codec, OpenCL in the codec or the topology, the codec in the kernels) or
 * another module's internals does not compile. Each case compiles one probe class into the real, built module
 * with the JDK's compiler, on the module path Maven gives that module (its own dependencies, JOCL excluded
 * above the kernel layer: see the poms), and reads the error.
 */
class ModuleBoundariesTest {

    static final Set<String> JACKSON = Set.of("com.fasterxml.jackson.databind", "com.fasterxml.jackson.core",
            "com.fasterxml.jackson.annotation");
    /** What Maven puts on each module's module path: its dependencies, by module name. */
    static final java.util.Map<String, Set<String>> DEPENDENCIES = java.util.Map.of(
            "dev.weir.kernels", union(Set.of("dev.weir.kernels", "jocl", "org.slf4j"), JACKSON),
            "dev.weir.codec", union(Set.of("dev.weir.codec", "dev.weir.kernels", "org.slf4j"), JACKSON),
            "dev.weir.topology", union(Set.of("dev.weir.topology", "dev.weir.codec", "dev.weir.kernels", "dev.weir.serdes",
                    "dev.weir.schemas", "org.slf4j", "kafka.clients", "kafka.streams", "org.apache.avro"), JACKSON));

    @Test
    void theCodecCannotImportKafkaAvroOrOpenClNorTheKernelsInternals(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        assertRefused(dir, "dev.weir.codec", "org.apache.kafka.common.serialization.Serde", "does not exist");
        assertRefused(dir, "dev.weir.codec", "org.apache.avro.Schema", "does not exist");
        assertRefused(dir, "dev.weir.codec", "org.jocl.CL", "does not exist");
        assertRefused(dir, "dev.weir.codec", "dev.weir.kernels.internals.JvmVideoKernels", "does not export");
        // and what it may use compiles
        assertEquals(List.of(), compile(dir, "dev.weir.codec", "dev.weir.kernels.VectorKernels"));
    }

    @Test
    void theTopologyNeverSeesOpenClNorTheCodecsInternals(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        assertRefused(dir, "dev.weir.topology", "org.jocl.CL", "does not exist");
        assertRefused(dir, "dev.weir.topology", "dev.weir.codec.video.internals.PatchVideoEncoder", "does not export");
        assertEquals(List.of(), compile(dir, "dev.weir.topology", "dev.weir.codec.video.VideoEncoder"));
    }

    @Test
    void theKernelLayerKnowsNothingOfCodecs(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        assertRefused(dir, "dev.weir.kernels", "dev.weir.codec.video.VideoEncoder", "does not exist");
    }

    private static void assertRefused(Path dir, String module, String imported, String why) throws IOException {
        List<String> errors = compile(dir, module, imported);
        assertTrue(errors.stream().anyMatch(e -> e.contains(why)),
                module + " importing " + imported + " should fail with '" + why + "', got " + errors);
    }

    /** Compiles a class importing {@code imported} as part of {@code module}; returns the errors. */
    private static List<String> compile(Path dir, String module, String imported) throws IOException {
        String pkg = module + ".probe";
        Path source = dir.resolve(module).resolve(pkg.replace('.', '/')).resolve("Probe.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package " + pkg + ";\nimport " + imported + ";\nclass Probe {\n    " + simpleName(imported)
                + " field;\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> options = List.of("--module-path", modulePath(DEPENDENCIES.get(module)), "--class-path", "",
                    "--patch-module", module + "=" + dir.resolve(module),
                    "--add-modules", module, "-d", dir.resolve("out").toString(), "-proc:none");
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(source.toFile())).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null)).toList();
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /** The entries of the test class path that are the {@code modules}, as a module path. */
    static String modulePath(Set<String> modules) {
        List<String> path = new ArrayList<>();
        Set<String> found = new java.util.HashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            moduleName(Path.of(entry)).filter(modules::contains).ifPresent(name -> {
                path.add(entry);
                found.add(name);
            });
        }
        assertEquals(modules, found, "modules on the test class path");
        return path.stream().collect(Collectors.joining(File.pathSeparator));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static Optional<String> moduleName(Path entry) {
        try {
            return ModuleFinder.of(entry).findAll().stream().findFirst().map(ModuleReference::descriptor).map(d -> d.name());
        } catch (FindException | SecurityException e) {
            return Optional.empty();
        }
    }
}
