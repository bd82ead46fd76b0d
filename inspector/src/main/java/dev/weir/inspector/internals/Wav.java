package dev.weir.inspector.internals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Mono samples in [-1, 1] as a 16-bit PCM WAV file, for the page's play buttons. */
public final class Wav {

    private Wav() {
    }

    public static byte[] pcm16(float[] samples, int rate) {
        int data = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data);
        for (float s : samples) {
            b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, s)) * 32767));
        }
        return b.array();
    }
}
