package dev.weir.codec.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.kernels.bench.BenchOptions;
import dev.weir.kernels.bench.BenchReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame-step benchmark's report is complete and consistent (not its numbers: benchmarks measure, tests don't),
 * and its synthetic clip is what torch_product_step.py makes.
 */
class VideoStepBenchmarkTest {

    static BenchOptions tiny(String backend, String reference) {
        return new BenchOptions(backend, List.of("96x64"), 16, 3, 1, true, reference, false);
    }

    @Test
    void aTinyJvmRunReportsTheComposedStepItsTasksItsSnapshotAndTheReference() throws Exception {
        // when a tiny benchmark runs on jvm beside jvm-scalar
        BenchReport report = VideoStepBenchmark.run(tiny("jvm", "jvm-scalar"));
        // then one case: jvm cannot fuse, so its step is the composed one, timed per task, equal to the reference's
        assertEquals("jvm", report.backend());
        BenchReport.Case c = report.cases().getFirst();
        assertEquals(24, c.patches());
        assertEquals(2, c.stages());
        assertNull(c.fused());
        assertEquals("composed on jvm", c.composed().placement());
        assertEquals(List.of("measure", "select", "encode"), List.copyOf(c.composed().taskMs().keySet()));
        assertTrue(c.composed().deviceMs().isEmpty());
        assertEquals("composed on jvm-scalar", c.reference().placement());
        assertTrue(c.matchesReference());
        assertTrue(Double.isNaN(c.fusedSpeedup()));
        assertTrue(c.referenceSpeedup() > 0);
        // and the cost of its exact state: a snapshot of the token grid and per-patch state, and its restore
        BenchReport.Snapshot snapshot = c.composed().snapshot();
        assertTrue(snapshot.bytes() > 24 * (4 + 2 + 4 + 12), "snapshot bytes " + snapshot.bytes());
        assertTrue(snapshot.snapshotMs() > 0 && snapshot.restoreMs() > 0, snapshot.toString());
        // and the JSON and the table carry them
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals("composed on jvm", json.at("/cases/0/composed/placement").asText());
        assertTrue(report.toTable().contains("96x64"), report.toTable());
    }

    @Test
    void theSyntheticClipIsTheFormulaTorchProductStepUses() {
        // given frame 30 of a 96x64 clip (scene 1: the background shifted), and frame 29 (scene 1 too)
        RgbFrame f30 = SyntheticClip.frame(96, 64, 30);
        // then pixel (y, x) = (40, 10), channel 1, is the documented formula: outside the box, scene 1
        int x = 10;
        int y = 40;
        int c = 1;
        int u = x + 37;
        int background = ((u * (3 + c)) / 4 + (y * (5 - c)) / 3 + 40 * ((u / 32 + y / 32 + c) % 3)) % 256;
        int noise = (x * 7 + y * 13 + 30 * 29 + c * 5) % 5 - 2;
        assertEquals(Math.clamp(background + noise, 0, 255), f30.rgb()[(y * 96 + x) * 3 + c] & 0xFF);
        // and the box moved between frames
        assertNotEquals(SyntheticClip.frame(96, 64, 29).rgb()[(32 * 96 + 40) * 3], f30.rgb()[(32 * 96 + 40) * 3]);
        assertArrayEquals(f30.rgb(), SyntheticClip.frame(96, 64, 30).rgb());
    }
}
