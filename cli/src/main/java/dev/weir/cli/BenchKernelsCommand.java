package dev.weir.cli;

import dev.weir.codec.video.VideoStepBenchmark;
import dev.weir.kernels.bench.BenchOptions;
import dev.weir.kernels.bench.BenchReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "The video encoder's frame step on a synthetic clip: fused on the device, composed from the "
                + "host, and a reference backend whose packets must be equal.")
final class BenchKernelsCommand implements Callable<Integer> {

    @Option(names = "--backend", paramLabel = "B", description = "auto, jvm, jvm-scalar or opencl (default: ${DEFAULT-VALUE}).")
    String backend = "auto";

    @Option(names = "--sizes", split = ",", paramLabel = "WxH", description = "Frame sizes (default: 384x288,768x576,1920x1088).")
    List<String> sizes;

    @Option(names = "--patch", paramLabel = "P", description = "Patch side of the built-in codebook: 8 or 16 (default: ${DEFAULT-VALUE}).")
    int patch = 16;

    @Option(names = "--frames", paramLabel = "N", description = "Frames timed per size and placement (default: ${DEFAULT-VALUE}).")
    int frames = 32;

    @Option(names = "--warmup", paramLabel = "N", description = "Frames of the stream run before timing (default: ${DEFAULT-VALUE}).")
    int warmup = 8;

    @Option(names = "--no-composed", description = "Do not time the step composed from the host beside the fused one.")
    boolean noComposed;

    @Option(names = "--reference", paramLabel = "B", description = "Backend run on the same frames, whose packets must be"
            + " equal, or none (default: ${DEFAULT-VALUE}).")
    String reference = "jvm";

    @Option(names = "--peak", description = "Also measure the CPU FP32 peak.")
    boolean peak;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        BenchOptions defaults = BenchOptions.defaults(backend);
        BenchOptions options = new BenchOptions(backend, sizes == null ? defaults.sizes() : sizes, patch, frames, warmup,
                !noComposed, reference.equals("none") ? "" : reference, peak);
        BenchReport report = VideoStepBenchmark.run(options);
        System.out.println(json ? report.toJson() : report.toTable());
        return 0;
    }
}
