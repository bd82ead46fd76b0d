package dev.weir.kernels.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel benchmark's report is complete and consistent (not its numbers: benchmarks measure, tests don't). */
class KernelBenchmarkTest {

    static BenchOptions tiny(String backend) {
        return new BenchOptions(backend, List.of("96x64"), List.of(32), 16, 2, 1, 2, 0.25, false);
    }

    @Test
    void aTinyJvmRunReportsEveryTaskTheBaselineAndItsPlacement() throws Exception {
        // when a tiny benchmark runs on jvm
        BenchReport report = KernelBenchmark.run(tiny("jvm"));
        // then one case with every task timed, the scalar baseline, and the host composition named
        assertEquals("jvm", report.backend());
        BenchReport.Case c = report.cases().getFirst();
        assertEquals(24, c.patches());
        assertEquals(6, c.kept());
        assertEquals(List.of("patchify", "novelty-topk", "nearest"), List.copyOf(c.kernelMs().keySet()));
        assertTrue(c.frameMs() > 0 && c.batchedFrameMs() > 0 && c.searchGops() > 0, c.toString());
        assertTrue(c.scalar() != null && c.scalar().frameMs() > 0);
        assertEquals("composed on jvm", c.placement());
        assertTrue(c.kernelDeviceMs().isEmpty());
        assertTrue(Double.isNaN(c.fusedSpeedup()));
        // and the JSON and the table carry them
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals("composed on jvm", json.at("/cases/0/placement").asText());
        assertTrue(report.toTable().contains("96x64"), report.toTable());
    }
}
