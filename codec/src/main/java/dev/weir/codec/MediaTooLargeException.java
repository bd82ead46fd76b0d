package dev.weir.codec;

/**
 * A unit of media that is well-formed but larger than Weir accepts, or than what it would decode to fits a
 * record: refused before anything large is allocated for it.
 */
public class MediaTooLargeException extends MediaFormatException {

    private static final long serialVersionUID = 1L;

    public MediaTooLargeException(String message) {
        super(message);
    }
}
