package dev.weir.cli;

import dev.weir.topology.Modalities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = {"Per modality, throughput through the local broker with exactly-once against the codec alone on the",
                "same records in the same run, latency at a steady rate, and the broker bytes per unit (input, tokens,",
                "decoded, the snapshots' changelogs). Starts the local stack in this JVM unless one runs under --work-dir."})
final class BenchE2eCommand implements Callable<Integer> {

    @Option(names = "--modalities", split = ",", paramLabel = "M", description = "Which (default: video,audio,text).")
    List<String> modalities = List.of("video", "audio", "text");

    @Option(names = "--streams", paramLabel = "N", description = "Streams per modality, interleaved (default: ${DEFAULT-VALUE}).")
    int streams = 2;

    @Option(names = "--frames", paramLabel = "N", description = "Video frames per stream timed (default: ${DEFAULT-VALUE}).")
    int frames = 60;

    @Option(names = "--chunks", paramLabel = "N", description = "Audio chunks (500 ms) per stream timed (default: ${DEFAULT-VALUE}).")
    int chunks = 60;

    @Option(names = "--messages", paramLabel = "N", description = "Text messages per stream timed (default: ${DEFAULT-VALUE}).")
    int messages = 1000;

    @Option(names = "--latency-load", paramLabel = "SHARE", description = "The latency phase's rate as a share of the"
            + " measured throughput (default: ${DEFAULT-VALUE}).")
    double latencyLoad = 0.5;

    @Option(names = "--backend", paramLabel = "B", description = "Kernel backend: auto, jvm, jvm-scalar, opencl (default: ${DEFAULT-VALUE}).")
    String backend = "jvm";

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Stack and state folder (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of(".weir");

    @Option(names = "--samples", paramLabel = "DIR", description = "Sample media folder (default: the bundled samples/).")
    Path samples;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "A Weir or Kafka Streams setting for the"
            + " benchmark's applications, for example -D commit.interval.ms=1000 (repeatable).")
    Map<String, String> set = new java.util.TreeMap<>();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        checkModalities(modalities);
        if (streams < 1 || frames < 1 || chunks < 1 || messages < 1 || !(latencyLoad > 0 && latencyLoad <= 1)) {
            throw new IllegalArgumentException("--streams, --frames, --chunks and --messages must be positive, --latency-load in (0, 1]");
        }
        BenchWorkload workload = BenchWorkload.load(samples != null ? samples : DemoCommand.defaultSamples());
        Map<String, Integer> units = Map.of("video", frames, "audio", chunks, "text", messages);
        EndToEndBenchmark.Options options = new EndToEndBenchmark.Options(modalities, streams, units, latencyLoad, backend,
                set, Duration.ofMinutes(5));
        try (BenchStack stack = BenchStack.open(workDir)) {
            Path state = Files.createDirectories(workDir.resolve("bench-state"));
            EndToEndBenchmark bench = new EndToEndBenchmark(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl(),
                    state, workload);
            EndToEndReport report = bench.run(options, stack.describe(),
                    (modality, phase) -> System.err.println("bench e2e: " + modality + ": " + phase));
            System.out.print(json ? report.toJson() + System.lineSeparator() : report.toTable());
            return 0;
        }
    }

    /** An unknown name is a user error, found before anything starts. */
    static void checkModalities(List<String> modalities) {
        for (String m : modalities) {
            if (!Modalities.names().contains(m)) {
                throw new IllegalArgumentException("--modalities: unknown modality '" + m + "': Weir has " + String.join(", ", Modalities.names()));
            }
        }
    }
}
