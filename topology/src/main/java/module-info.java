/**
 * The Kafka Streams topology (see docs/topology.md and docs/architecture.md). It sees the codec's public
 * API and the kernel API, never OpenCL; {@code dev.weir.topology.internals} is not exported.
 */
module dev.weir.topology {
    requires transitive dev.weir.codec;
    requires transitive dev.weir.serdes;
    requires transitive dev.weir.schemas;
    requires transitive kafka.streams;
    requires org.slf4j;

    exports dev.weir.topology;
    exports dev.weir.topology.audio;
    exports dev.weir.topology.modality;
    exports dev.weir.topology.text;
    exports dev.weir.topology.video;
}
