package dev.weir.codec.video;

/** Peak signal-to-noise ratio of 8-bit samples: PSNR = 10·log10(255² · N / Σ(a − b)²), capped. */
public final class Psnr {

    /** Reported for identical inputs, where the formula diverges. */
    public static final double CAP_DB = 100.0;

    private Psnr() {
    }

    public static double db(byte[] a, byte[] b) {
        long sse = 0;
        for (int k = 0; k < a.length; k++) {
            int d = (a[k] & 0xFF) - (b[k] & 0xFF);
            sse += d * d;
        }
        return fromSquaredError(sse, a.length);
    }

    public static double fromSquaredError(long squaredError, long samples) {
        if (squaredError == 0) {
            return CAP_DB;
        }
        return Math.min(CAP_DB, 10 * Math.log10(255.0 * 255.0 * samples / squaredError));
    }
}
