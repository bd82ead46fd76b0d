package dev.weir.codec.video;

import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The OpenCL backend (PoCL in CI, a GPU where there is one) reproduces the golden tokens of {@link GoldenTokensTest}. */
class OpenClGoldenTokensIT {

    @Test
    void theOpenClBackendReproducesTheGoldenTokensOfRealFrames() throws IOException {
        List<String> golden = Files.readAllLines(GoldenTokensTest.GOLDEN, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#")).toList();
        try (VideoKernels kernels = Kernels.video("opencl")) {
            List<String> now = GoldenTokensTest.packets(kernels);
            assertEquals(golden.size(), now.size());
            for (int i = 0; i < golden.size(); i++) {
                assertEquals(golden.get(i), now.get(i), "packet " + i + " on " + kernels.backend());
            }
        }
    }
}
