package dev.weir.cli;

import dev.weir.kernels.bench.BenchOptions;
import dev.weir.kernels.bench.BenchReport;
import dev.weir.kernels.bench.KernelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, each reported against a baseline measured in the same run.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WHAT", description = "What to measure: kernels.")
    String what;

    @Option(names = "--backend", paramLabel = "B", description = "auto, jvm, jvm-scalar or opencl (default: ${DEFAULT-VALUE}).")
    String backend = "auto";

    @Option(names = "--sizes", split = ",", paramLabel = "WxH", description = "Frame sizes (default: 384x288,768x576,1920x1088).")
    List<String> sizes;

    @Option(names = "--codebooks", split = ",", paramLabel = "K", description = "Codebook sizes (default: 1024,4096).")
    List<Integer> codebooks;

    @Option(names = "--frames", paramLabel = "N", description = "Frames timed per case on the backend (default: ${DEFAULT-VALUE}).")
    int frames = 8;

    @Option(names = "--scalar-frames", paramLabel = "N", description = "Frames timed per case on the scalar baseline; 0 skips it (default: ${DEFAULT-VALUE}).")
    int scalarFrames = 1;

    @Option(names = "--batch", paramLabel = "N", description = "Frames per execution in the batched run (default: ${DEFAULT-VALUE}).")
    int batch = 8;

    @Option(names = "--no-peak", description = "Skip measuring the CPU FP32 peak.")
    boolean noPeak;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (!what.equals("kernels")) {
            System.err.println("weir bench: only 'kernels' is available");
            return 2;
        }
        BenchOptions defaults = BenchOptions.defaults(backend);
        BenchOptions options = new BenchOptions(backend, sizes == null ? defaults.sizes() : sizes,
                codebooks == null ? defaults.codebookSizes() : codebooks, defaults.patch(), frames, scalarFrames, batch,
                defaults.keepFraction(), !noPeak);
        BenchReport report = KernelBenchmark.run(options);
        System.out.println(json ? report.toJson() : report.toTable());
        return 0;
    }
}
