package dev.weir.inspector.internals;

import dev.weir.avro.AudioFormat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Interleaved PCM as one channel of floats in [-1, 1]: the channels averaged. */
final class Pcm {

    private Pcm() {
    }

    static float[] mono(ByteBuffer data, AudioFormat format, int channels) {
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int c = Math.max(1, channels);
        int bytesPerSample = format == AudioFormat.F32LE ? 4 : 2;
        int frames = in.remaining() / (bytesPerSample * c);
        float[] out = new float[frames];
        int base = in.position();
        for (int i = 0; i < frames; i++) {
            float sum = 0;
            for (int ch = 0; ch < c; ch++) {
                int at = base + (i * c + ch) * bytesPerSample;
                sum += format == AudioFormat.F32LE ? in.getFloat(at) : in.getShort(at) / 32768f;
            }
            float v = sum / c;
            out[i] = Float.isFinite(v) ? Math.max(-1f, Math.min(1f, v)) : 0f;
        }
        return out;
    }
}
