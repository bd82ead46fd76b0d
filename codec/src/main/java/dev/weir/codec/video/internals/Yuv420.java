package dev.weir.codec.video.internals;

/**
 * Planar 4:2:0 (I420: Y, then U = Cb, then V = Cr, chroma planes ⌈w/2⌉×⌈h/2⌉) to RGB24 with the
 * BT.601 matrix (ITU-R BT.601-7 §2.5.2):
 * <pre>
 *   limited range:  R = 1.164(Y−16) + 1.596(Cr−128)
 *                   G = 1.164(Y−16) − 0.392(Cb−128) − 0.813(Cr−128)
 *                   B = 1.164(Y−16) + 2.017(Cb−128)
 *   full range:     R = Y + 1.402(Cr−128), G = Y − 0.344136(Cb−128) − 0.714136(Cr−128), B = Y + 1.772(Cb−128)
 * </pre>
 * rounded and clamped to 0..255; each chroma sample covers its 2×2 block.
 */
public final class Yuv420 {

    private Yuv420() {
    }

    /** Bytes of one I420 picture. */
    public static long frameBytes(int width, int height) {
        long chroma = (long) ((width + 1) / 2) * ((height + 1) / 2);
        return (long) width * height + 2 * chroma;
    }

    public static byte[] toRgb(byte[] yuv, int offset, int width, int height, boolean fullRange) {
        int cw = (width + 1) / 2;
        int uBase = offset + width * height;
        int vBase = uBase + cw * ((height + 1) / 2);
        // Coefficients in 16.16 fixed point.
        int yScale = fullRange ? 65536 : 76284;      // 1.164
        int yOffset = fullRange ? 0 : 16;
        int rv = fullRange ? 91881 : 104595;         // 1.402 / 1.596
        int gu = fullRange ? 22554 : 25690;          // 0.344136 / 0.392
        int gv = fullRange ? 46802 : 53281;          // 0.714136 / 0.813
        int bu = fullRange ? 116130 : 132186;        // 1.772 / 2.017
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int crow = (y >> 1) * cw;
            for (int x = 0; x < width; x++) {
                int luma = ((yuv[offset + y * width + x] & 0xFF) - yOffset) * yScale;
                int u = (yuv[uBase + crow + (x >> 1)] & 0xFF) - 128;
                int v = (yuv[vBase + crow + (x >> 1)] & 0xFF) - 128;
                int o = (y * width + x) * 3;
                rgb[o] = clamp(luma + rv * v);
                rgb[o + 1] = clamp(luma - gu * u - gv * v);
                rgb[o + 2] = clamp(luma + bu * u);
            }
        }
        return rgb;
    }

    private static byte clamp(int fixed) {
        return (byte) Math.clamp((fixed + 32768) >> 16, 0, 255);
    }
}
