package dev.weir.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.topology.Modalities;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The options {@code bench e2e} and {@code bench soak} share (a picocli mixin), and what they set up from them. */
final class BenchSetup {

    @Option(names = "--modalities", split = ",", paramLabel = "M", description = "Which (default: video,audio,text).")
    List<String> modalities = List.of("video", "audio", "text");

    @Option(names = "--streams", paramLabel = "N", description = "Streams per modality (default: ${DEFAULT-VALUE}).")
    int streams = 2;

    @Option(names = "--backend", paramLabel = "B", description = "Kernel backend: auto, jvm, jvm-scalar, opencl (default: ${DEFAULT-VALUE}).")
    String backend = "jvm";

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Stack and state folder (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of(".weir");

    @Option(names = "--samples", paramLabel = "DIR", description = "Sample media folder (default: the bundled samples/).")
    Path samples;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    /** Refuses an unknown modality or no stream, before anything starts. */
    void check() {
        for (String m : modalities) {
            if (!Modalities.names().contains(m)) {
                throw new IllegalArgumentException("--modalities: unknown modality '" + m + "': Weir has " + String.join(", ", Modalities.names()));
            }
        }
        if (streams < 1) {
            throw new IllegalArgumentException("--streams must be at least 1: " + streams);
        }
    }

    BenchWorkload workload() throws IOException {
        return BenchWorkload.load(samples != null ? samples : DemoCommand.defaultSamples());
    }

    BenchTarget target(BenchStack stack) throws IOException {
        return new BenchTarget(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl(),
                Files.createDirectories(workDir.resolve("bench-state")));
    }

    /** A report as indented JSON (its records' components), for {@code --json}. */
    static String json(Object report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
