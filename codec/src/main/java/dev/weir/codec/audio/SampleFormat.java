package dev.weir.codec.audio;

/**
 * Sample encoding of {@link PcmChunk#data()}: interleaved, little-endian, as in the data chunk of a WAV
 * file. The codec's own enum (the topology maps the Avro {@code AudioFormat} onto it by name).
 */
public enum SampleFormat {

    /** Signed 16-bit integers, full scale ±32768. */
    PCM_S16LE(2),
    /** IEEE 754 single-precision floats, full scale ±1.0. */
    F32LE(4);

    private final int bytesPerSample;

    SampleFormat(int bytesPerSample) {
        this.bytesPerSample = bytesPerSample;
    }

    /** Bytes of one sample of one channel. */
    public int bytesPerSample() {
        return bytesPerSample;
    }
}
