package dev.weir.codec;

import java.util.Objects;

/**
 * What a {@link StreamEncoder} makes of one unit of media: the token packet and the layout a decoder
 * needs beside it (for video the frame geometry, for audio the frame timing, for text the cache and
 * template references). The layout travels next to the packet, in the token batch's layout field.
 *
 * @param packet the tokens of the unit after compression
 * @param layout what the decoder needs besides the tokens
 * @param <L>    the modality's layout type
 */
public record Encoded<L>(TokenPacket packet, L layout) {

    public Encoded {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(layout, "layout");
    }
}
