package dev.weir.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "Per modality, throughput through the local broker with exactly-once against the codec alone on "
                + "the same records in the same run, latency at a steady rate, and the broker bytes per unit "
                + "(input, tokens, decoded, the snapshots' changelogs). Starts the local stack in this JVM unless "
                + "one runs under --work-dir.")
final class BenchE2eCommand implements Callable<Integer> {

    @Mixin
    BenchSetup setup = new BenchSetup();



    @Option(names = "--frames", paramLabel = "N", description = "Video frames per stream timed (default: ${DEFAULT-VALUE}).")
    int frames = 60;

    @Option(names = "--chunks", paramLabel = "N", description = "Audio chunks (500 ms) per stream timed (default: ${DEFAULT-VALUE}).")
    int chunks = 60;

    @Option(names = "--messages", paramLabel = "N", description = "Text messages per stream timed (default: ${DEFAULT-VALUE}).")
    int messages = 1000;

    @Option(names = "--latency-load", paramLabel = "SHARE", description = "The latency phase's rate as a share of the"
            + " measured throughput (default: ${DEFAULT-VALUE}).")
    double latencyLoad = 0.5;




    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "A Weir or Kafka Streams setting for the"
            + " benchmark's applications, for example -D commit.interval.ms=1000 (repeatable).")
    Map<String, String> set = new java.util.TreeMap<>();


    @Override
    public Integer call() throws Exception {
        setup.check();
        if (frames < 1 || chunks < 1 || messages < 1 || !(latencyLoad > 0 && latencyLoad <= 1)) {
            throw new IllegalArgumentException("--frames, --chunks and --messages must be positive, --latency-load in (0, 1]");
        }
        BenchWorkload workload = setup.workload();
        Map<String, Integer> units = Map.of("video", frames, "audio", chunks, "text", messages);
        EndToEndBenchmark.Options options = new EndToEndBenchmark.Options(setup.modalities, setup.streams, units, latencyLoad,
                setup.backend, set, Duration.ofMinutes(5));
        try (BenchStack stack = BenchStack.open(setup.workDir)) {
            EndToEndBenchmark bench = new EndToEndBenchmark(setup.target(stack), workload);
            EndToEndReport report = bench.run(options, stack.describe(),
                    (modality, phase) -> System.err.println("bench e2e: " + modality + ": " + phase));
            System.out.print(setup.json ? BenchSetup.json(report) + System.lineSeparator() : report.toTable());
            return 0;
        }
    }
}
