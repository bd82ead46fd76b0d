package dev.weir.codec.video;

/**
 * A deterministic synthetic clip of any size, for benchmarks: a static textured background with a little
 * per-frame "sensor" noise, a textured box a third of the frame wide sliding across it, and a scene change (the
 * background shifts) every {@value #SCENE_FRAMES} frames. So the cacher finds the box's trail changed (about a
 * fifth of the patches, above the default budget: the pruner works) and the noise unchanged, and a scene change
 * makes a keyframe, as on a real static-camera clip. Integer formulas only, so
 * {@code gpu-kernels/bench/torch_product_step.py} makes the same frames bit for bit:
 * <pre>
 *   s          = f / 24                                                 scene
 *   u          = x + 37·s
 *   background = ((u·(3 + c)) / 4 + (y·(5 − c)) / 3 + 40·((u / 32 + y / 32 + c) % 3)) % 256
 *   box        = [left, left + W/3) × [H/3, 2H/3),  left = (f·W/48) % (W − W/3)
 *   inside     = (x·5 + y·3 + c·60 + f·2) % 256
 *   pixel      = clamp((inside the box ? inside : background) + (x·7 + y·13 + f·29 + c·5) % 5 − 2, 0, 255)
 * </pre>
 * for frame f, row y, column x, channel c (integer division).
 */
public final class SyntheticClip {

    /** Frames per scene. */
    public static final int SCENE_FRAMES = 24;

    private SyntheticClip() {
    }

    /** Frame {@code f} (from 0) of the clip at {@code width}×{@code height}. */
    public static RgbFrame frame(int width, int height, int f) {
        RgbFrame.checkSize(width, height);
        byte[] rgb = new byte[width * height * 3];
        int scene = f / SCENE_FRAMES;
        int boxWidth = width / 3;
        int left = width - boxWidth > 0 ? (int) ((long) f * width / 48 % (width - boxWidth)) : 0;
        int top = height / 3;
        int bottom = 2 * height / 3;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean inBox = x >= left && x < left + boxWidth && y >= top && y < bottom;
                int u = x + 37 * scene;
                for (int c = 0; c < 3; c++) {
                    int value = inBox ? (x * 5 + y * 3 + c * 60 + f * 2) % 256
                            : ((u * (3 + c)) / 4 + (y * (5 - c)) / 3 + 40 * ((u / 32 + y / 32 + c) % 3)) % 256;
                    int noise = (x * 7 + y * 13 + f * 29 + c * 5) % 5 - 2;
                    rgb[(y * width + x) * 3 + c] = (byte) Math.clamp(value + noise, 0, 255);
                }
            }
        }
        return new RgbFrame(width, height, rgb);
    }
}
