/**
 * The kernel layer (see docs/kernels.md): the video and vector kernels, plans and task graphs, and their
 * backends. Only the API packages are exported; the backends live in {@code dev.weir.kernels.internals}.
 */
module dev.weir.kernels {
    requires jdk.incubator.vector;
    requires java.management;
    requires static jocl; // the opencl backend only: without JOCL it is unavailable, the jvm backends run
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;

    exports dev.weir.kernels;
    exports dev.weir.kernels.bench;
}
