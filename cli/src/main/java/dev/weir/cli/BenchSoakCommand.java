package dev.weir.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"One application with every modality fed mixed media at a steady rate for a bounded time (loopback):",
                "throughput, latency percentiles, heap after a full GC once warm and at the end, and every event decoded",
                "exactly once. Starts the local stack in this JVM unless one runs under --work-dir."})
final class BenchSoakCommand implements Callable<Integer> {

    @Option(names = "--modalities", split = ",", paramLabel = "M", description = "Which (default: video,audio,text).")
    List<String> modalities = List.of("video", "audio", "text");

    @Option(names = "--seconds", paramLabel = "S", description = "How long events are sent (default: ${DEFAULT-VALUE}).")
    int seconds = 180;

    @Option(names = "--warm-up", paramLabel = "S", description = "The first seconds, after which the starting heap is"
            + " measured (default: ${DEFAULT-VALUE}).")
    int warmUp = 30;

    @Option(names = "--rate", paramLabel = "EVENTS", description = "Events a second, all modalities together (default: ${DEFAULT-VALUE}).")
    double rate = 24;

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

    @Override
    public Integer call() throws Exception {
        BenchE2eCommand.checkModalities(modalities);
        if (seconds < 1 || warmUp < 0 || warmUp >= seconds || !(rate > 0) || streams < 1) {
            throw new IllegalArgumentException("--seconds and --rate must be positive, --warm-up shorter than --seconds, --streams at least 1");
        }
        BenchWorkload workload = BenchWorkload.load(samples != null ? samples : DemoCommand.defaultSamples());
        SoakBenchmark.Options options = new SoakBenchmark.Options(modalities, seconds, warmUp, rate, streams, backend,
                Duration.ofMinutes(5));
        try (BenchStack stack = BenchStack.open(workDir)) {
            Path state = Files.createDirectories(workDir.resolve("bench-state"));
            SoakBenchmark soak = new SoakBenchmark(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl(), state, workload);
            SoakBenchmark.Report report = soak.run(options, stack.describe(),
                    (what, phase) -> System.err.println("bench soak: " + phase));
            System.out.print(json ? report.toJson() + System.lineSeparator() : report.toTable());
            return 0;
        }
    }
}
