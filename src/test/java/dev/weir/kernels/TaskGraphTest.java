package dev.weir.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Task graphs declare buffers and tasks once; their plans run the tasks in order, every execution. */
class TaskGraphTest {

    @Test
    void aPlanRunsItsTasksInDeclarationOrderOnItsBackend() {
        // given a two-task graph: patchify a frame, then search every patch
        PatchGrid g = new PatchGrid(32, 16, 8);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(1), 10, g.patchDim(), 0);
        byte[] frame = TestFrames.randomBytes(new SplittableRandom(2), g.rgbBytes());
        int[] codes = new int[3 * g.patches()];
        short[] residuals = new short[g.patches() * g.patchDim()];
        int[] tokens = new int[g.patches()];
        List<String> order = new ArrayList<>();
        try (VideoKernels jvm = Kernels.video("jvm");
             ExecutionPlan plan = new TaskGraph("step")
                     .persistent("codebook", cb)
                     .perExecution("frame", g.rgbBytes())
                     .perExecution("tokens", 4L * tokens.length)
                     .task("patchify", k -> {
                         order.add("patchify");
                         k.patchify(frame, g, 6, codes, residuals);
                     })
                     .task("nearest", k -> {
                         order.add("nearest");
                         k.nearest(residuals, null, g.patches(), cb, tokens);
                     })
                     .build(jvm)) {
            // when it executes twice
            plan.execute();
            plan.execute();
            // then the tasks ran in order each time, and the tokens are the reference's
            assertEquals(List.of("patchify", "nearest", "patchify", "nearest"), order);
            assertEquals(2, plan.executions());
            assertEquals(g.rgbBytes() + 4L * tokens.length, plan.transferBytesPerExecution());
            assertEquals(cb.entries().length, plan.residentBytes());
            int[] expected = new int[g.patches()];
            Kernels.video("jvm-scalar").nearest(residuals, null, g.patches(), cb, expected);
            assertArrayEquals(expected, tokens);
        }
    }

    @Test
    void namesAreUniqueAndAClosedPlanDoesNotRun() {
        TaskGraph graph = new TaskGraph("g").perExecution("a", 1).task("t", k -> { });
        // duplicate buffer and task names are rejected
        assertThrows(IllegalArgumentException.class, () -> graph.perExecution("a", 2));
        assertThrows(IllegalArgumentException.class, () -> graph.task("t", k -> { }));
        // a graph without tasks does not build
        assertThrows(IllegalStateException.class, () -> new TaskGraph("empty").build(Kernels.video("jvm")));
        // a closed plan refuses to execute
        ExecutionPlan plan = graph.build(Kernels.video("jvm"));
        plan.close();
        assertThrows(IllegalStateException.class, plan::execute);
    }
}
