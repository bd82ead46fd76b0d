package dev.weir.codec.audio.internals;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;



/**
 * The classical anchor of {@code weir eval audio}: Opus (RFC 6716) through Concentus, the pure-Java port of
 * libopus 1.1: VoIP application, voice signal, complexity 10, VBR, 20 ms frames, mono at the tokenizer's rate.
 * The decoded signal is shifted back by the encoder's look-ahead so it lines up with the input.
 */
public final class OpusAnchor {

    /** One Opus run. */
    public record Result(int bitrateSet, double kbps, float[] decoded) {
    }

    private OpusAnchor() {
    }

    /** Encodes and decodes {@code x} (PCM16 units, mono, 8/12/16/24/48 kHz) at {@code bitrate} bits per second. */
    public static Result run(float[] x, int sampleRate, int bitrate) {
        try {
            OpusEncoder encoder = new OpusEncoder(sampleRate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(bitrate);
            encoder.setComplexity(10);
            encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
            encoder.setUseVBR(true);
            OpusDecoder decoder = new OpusDecoder(sampleRate, 1);
            int frame = sampleRate / 50;
            int delay = encoder.getLookahead();
            int frames = (x.length + delay + frame - 1) / frame;
            short[] in = new short[frames * frame];
            for (int i = 0; i < x.length; i++) {
                in[i] = (short) Math.clamp(Math.round(x[i]), Short.MIN_VALUE, Short.MAX_VALUE);
            }
            short[] out = new short[frames * frame];
            byte[] packet = new byte[1275];
            long bytes = 0;
            for (int f = 0; f < frames; f++) {
                int length = encoder.encode(in, f * frame, frame, packet, 0, packet.length);
                bytes += length;
                decoder.decode(packet, 0, length, out, f * frame, frame, false);
            }
            float[] decoded = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                decoded[i] = out[i + delay];
            }
            double seconds = (double) frames * frame / sampleRate;
            return new Result(bitrate, bytes * 8 / seconds / 1000, decoded);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus anchor failed: " + e.getMessage(), e);
        }
    }

}
