package dev.weir.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "One application with every modality fed mixed media at a steady rate for a bounded time "
                + "(loopback): throughput, latency percentiles, heap after a full GC once warm and at the end, and "
                + "every event decoded exactly once. Starts the local stack in this JVM unless one runs under "
                + "--work-dir.")
final class BenchSoakCommand implements Callable<Integer> {

    @Mixin
    BenchSetup setup = new BenchSetup();


    @Option(names = "--seconds", paramLabel = "S", description = "How long events are sent (default: ${DEFAULT-VALUE}).")
    int seconds = 180;

    @Option(names = "--warm-up", paramLabel = "S", description = "The first seconds, after which the starting heap is"
            + " measured (default: ${DEFAULT-VALUE}).")
    int warmUp = 30;

    @Option(names = "--rate", paramLabel = "EVENTS", description = "Events a second, all modalities together (default: ${DEFAULT-VALUE}).")
    double rate = 24;






    @Override
    public Integer call() throws Exception {
        setup.check();
        if (seconds < 1 || warmUp < 0 || warmUp >= seconds || !(rate > 0)) {
            throw new IllegalArgumentException("--seconds and --rate must be positive, --warm-up shorter than --seconds");
        }
        BenchWorkload workload = setup.workload();
        SoakBenchmark.Options options = new SoakBenchmark.Options(setup.modalities, seconds, warmUp, rate, setup.streams,
                setup.backend, Duration.ofMinutes(5));
        try (BenchStack stack = BenchStack.open(setup.workDir)) {
            SoakBenchmark.Report report = new SoakBenchmark(setup.target(stack), workload).run(options, stack.describe(),
                    (what, phase) -> System.err.println("bench soak: " + phase));
            System.out.print(setup.json ? BenchSetup.json(report) + System.lineSeparator() : report.toTable());
            return report.exactlyOnce() ? 0 : 1;
        }
    }
}
