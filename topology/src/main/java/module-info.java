/**
 * The Kafka Streams topology (see docs/topology.md and docs/architecture.md). It sees the codec's public
 * API and the kernel API, never OpenCL; {@code dev.weir.topology.internals} is not exported.
 * {@code dev.weir.topology.ops} is the running application's operations side: health, readiness and
 * Prometheus metrics over HTTP (docs/operations.md).
 */
module dev.weir.topology {
    requires transitive dev.weir.codec;
    requires transitive dev.weir.serdes;
    requires transitive dev.weir.schemas;
    requires transitive kafka.streams;
    requires transitive micrometer.core;
    requires transitive jdk.httpserver;
    requires micrometer.registry.prometheus;
    requires org.slf4j;

    exports dev.weir.topology;
    exports dev.weir.topology.audio;
    exports dev.weir.topology.modality;
    exports dev.weir.topology.ops;
    exports dev.weir.topology.text;
    exports dev.weir.topology.video;
}
