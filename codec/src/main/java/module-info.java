/**
 * The Kafka-free core (see docs/architecture.md): media decoding, tokenizers, compression and decoders of
 * every modality. It depends on the kernel layer only: no Kafka, Avro or OpenCL type can be imported here.
 */
module dev.weir.codec {
    requires transitive dev.weir.kernels;
    requires transitive java.desktop; // RgbFrame.toImage() hands out a java.awt.image.BufferedImage
    requires java.management;
    requires org.slf4j;
    requires jtokkit;
    requires JTransforms;
    requires concentus;
    requires com.fasterxml.jackson.databind;

    exports dev.weir.codec;
    exports dev.weir.codec.audio;
    exports dev.weir.codec.compress;
    exports dev.weir.codec.text;
    exports dev.weir.codec.video;
}
