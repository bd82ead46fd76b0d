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
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
 * with the JDK's compiler, on the module path Maven gives that module (the modules its descriptor requires,
 * transitively; a {@code requires static} only for the module itself, as JOCL is excluded above the kernel
 * layer: see the poms), and reads the error.
 */
class ModuleBoundariesTest {

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
    void theInspectorSeesOnlyWhatTheModulesBelowExport(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        assertRefused(dir, "dev.weir.inspector", "dev.weir.topology.internals.DeadLetters", "does not export");
        assertRefused(dir, "dev.weir.inspector", "dev.weir.codec.text.internals.Words", "does not export");
        assertRefused(dir, "dev.weir.inspector", "org.jocl.CL", "does not exist");
        assertEquals(List.of(), compile(dir, "dev.weir.inspector", "dev.weir.topology.ops.OpsServer"));
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
            List<String> options = List.of("--module-path", modulePath(module), "--class-path", "",
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

    /** The module path of {@code root}: the class path entries of the modules it requires, transitively. */
    static String modulePath(String root) {
        Map<String, ModuleReference> onClassPath = new HashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            module(Path.of(entry)).ifPresent(m -> onClassPath.putIfAbsent(m.descriptor().name(), m));
        }
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            ModuleReference module = onClassPath.get(name);
            if (module == null || !needed.add(name)) {
                continue; // a JDK module, or one already taken
            }
            for (ModuleDescriptor.Requires requires : module.descriptor().requires()) {
                boolean optional = requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC);
                if (!optional || name.equals(root)) {
                    pending.push(requires.name());
                }
            }
        }
        assertTrue(needed.contains(root), root + " is not on the test class path");
        return needed.stream().map(n -> Path.of(onClassPath.get(n).location().orElseThrow()).toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Optional<ModuleReference> module(Path entry) {
        try {
            return ModuleFinder.of(entry).findAll().stream().findFirst();
        } catch (FindException | SecurityException e) {
            return Optional.empty();
        }
    }
}
