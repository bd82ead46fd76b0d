package dev.weir.kernels;

/**
 * The patch grid of a frame: {@code columns × rows} patches of side {@code patch}, row-major, edge
 * patches padded by replicating the last row and column of pixels.
 */
public record PatchGrid(int width, int height, int patch) {

    /** Largest side accepted anywhere in Weir; larger frames are rejected before allocation. */
    public static final int MAX_SIDE = 8192;

    public PatchGrid {
        if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("frame size out of range 1.." + MAX_SIDE + ": " + width + "x" + height);
        }
        if (patch != 8 && patch != 16 && patch != 32) {
            throw new IllegalArgumentException("patch size must be 8, 16 or 32: " + patch);
        }
    }

    public int columns() {
        return (width + patch - 1) / patch;
    }

    public int rows() {
        return (height + patch - 1) / patch;
    }

    /** Number of patches n. */
    public int patches() {
        return columns() * rows();
    }

    /** Length d of a patch vector: P·P·3 (RGB). */
    public int patchDim() {
        return patch * patch * 3;
    }

    /** Bytes in an RGB24 frame of this size. */
    public int rgbBytes() {
        return width * height * 3;
    }
}
