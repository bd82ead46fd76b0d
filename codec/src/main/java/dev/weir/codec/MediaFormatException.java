package dev.weir.codec;

/**
 * Input media (or a token packet) that Weir cannot accept: a wrong byte count, an undecodable image,
 * a declared size that does not match the data, a size above the limits. The message says what is
 * wrong and what was expected, so the producer can fix its data. Thrown before any large allocation.
 */
public class MediaFormatException extends RuntimeException {

    public MediaFormatException(String message) {
        super(message);
    }

    public MediaFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
