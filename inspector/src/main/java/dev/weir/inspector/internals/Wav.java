package dev.weir.inspector.internals;

import dev.weir.codec.audio.PcmChunk;
import dev.weir.codec.audio.WavReader;

/** Mono samples in [-1, 1] as a 16-bit PCM WAV file, for the page's play buttons. */
public final class Wav {

    private Wav() {
    }

    public static byte[] pcm16(float[] samples, int rate) {
        short[] pcm = new short[samples.length];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767);
        }
        return WavReader.bytes(PcmChunk.mono16(rate, pcm));
    }
}
