package dev.weir.codec.audio;

import dev.weir.codec.video.RgbFrame;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * A magnitude spectrogram in dB, for people to look at: frames of {@code window} samples (Hann) every
 * {@code hop}, the power of each of the {@code window/2 + 1} bins as {@code 10·log10(|X|² + ε)} (FFT by
 * JTransforms), clamped to {@code floorDb} below the loudest bin.
 *
 * @param db        {@code db[frame][bin]}
 * @param sampleRate the samples' rate
 * @param hop       samples between frames
 */
public record Spectrogram(double[][] db, int sampleRate, int hop) {

    /** The spectrogram of {@code samples} (PCM16 units or any scale: levels are relative to the loudest bin). */
    public static Spectrogram of(float[] samples, int sampleRate, int window, int hop, double floorDb) {
        if (window <= 0 || hop <= 0 || (window & (window - 1)) != 0) {
            throw new IllegalArgumentException("window must be a power of two and hop positive: " + window + ", " + hop);
        }
        int frames = samples.length < window ? 1 : 1 + (samples.length - window) / hop;
        int bins = window / 2 + 1;
        double[] hann = new double[window];
        for (int i = 0; i < window; i++) {
            hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / window);
        }
        DoubleFFT_1D fft = new DoubleFFT_1D(window);
        double[][] db = new double[frames][bins];
        double max = Double.NEGATIVE_INFINITY;
        double[] x = new double[window];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < window; i++) {
                int s = f * hop + i;
                x[i] = s < samples.length ? samples[s] * hann[i] : 0;
            }
            fft.realForward(x);
            for (int k = 0; k < bins; k++) {
                double re = k == 0 ? x[0] : k == window / 2 ? x[1] : x[2 * k];
                double im = k == 0 || k == window / 2 ? 0 : x[2 * k + 1];
                db[f][k] = 10 * Math.log10(re * re + im * im + 1e-12);
                max = Math.max(max, db[f][k]);
            }
        }
        for (double[] frame : db) {
            for (int k = 0; k < bins; k++) {
                frame[k] = Math.max(frame[k], max - floorDb);
            }
        }
        return new Spectrogram(db, sampleRate, hop);
    }

    /**
     * The spectrogram as a picture: one column per frame (time to the right), one row per bin (frequency upwards),
     * louder brighter on a heat scale from black through purple and orange to yellow, from this spectrogram's
     * quietest level to its loudest.
     */
    public RgbFrame picture() {
        int width = db.length;
        int bins = db[0].length;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double[] frame : db) {
            for (double v : frame) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        byte[] rgb = new byte[3 * width * bins];
        for (int x = 0; x < width; x++) {
            for (int k = 0; k < bins; k++) {
                int pixel = 3 * ((bins - 1 - k) * width + x);
                heat(max == min ? 0 : (db[x][k] - min) / (max - min), rgb, pixel);
            }
        }
        return new RgbFrame(width, bins, rgb);
    }

    /** Black, through purple and orange, to yellow, for a level in [0, 1]. */
    private static void heat(double level, byte[] rgb, int at) {
        rgb[at] = (byte) (255 * Math.min(1, 1.6 * level));
        rgb[at + 1] = (byte) (255 * Math.max(0, Math.min(1, 1.8 * level - 0.6)));
        rgb[at + 2] = (byte) (255 * Math.max(0, Math.min(1, level < 0.4 ? 1.5 * level : 1.4 - 1.5 * level)));
    }
}
