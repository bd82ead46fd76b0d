package dev.weir.codec.video;

/**
 * How the bytes of a picture encode it: the codec's own form of the Avro {@code PixelFormat} of a
 * {@code VideoFrame} (same symbols; the topology maps one to the other by name). Raw formats are tightly
 * packed, rows top to bottom, no padding.
 */
public enum PixelFormat {
    /** width·height·3 bytes, R G B. */
    RGB24,
    /** width·height bytes of luma. */
    GRAY8,
    /** Planar 4:2:0: width·height luma, then two chroma planes of ⌈w/2⌉·⌈h/2⌉. */
    I420,
    /** A complete JPEG file. */
    JPEG,
    /** A complete PNG file. */
    PNG
}
