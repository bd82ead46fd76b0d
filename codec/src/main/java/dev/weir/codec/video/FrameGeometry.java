package dev.weir.codec.video;

import dev.weir.kernels.PatchGrid;

/**
 * The layout of a video token packet: what a decoder needs besides the tokens to lay them out as a
 * picture (the frame's size and the patch side). It travels in the token batch as {@code VideoGeometry}.
 *
 * @param width  frame width in pixels
 * @param height frame height in pixels
 * @param patch  patch side P; positions count the P×P patches row-major, edge patches padded
 */
public record FrameGeometry(int width, int height, int patch) {

    public FrameGeometry {
        grid(width, height, patch); // validates
    }

    /** The kernels' patch grid of this frame. */
    public PatchGrid grid() {
        return grid(width, height, patch);
    }

    /** The geometry of {@code grid}. */
    public static FrameGeometry of(PatchGrid grid) {
        return new FrameGeometry(grid.width(), grid.height(), grid.patch());
    }

    private static PatchGrid grid(int width, int height, int patch) {
        return new PatchGrid(width, height, patch);
    }
}
