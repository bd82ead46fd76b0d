package dev.weir.topology;

import java.util.List;

/** The topics a Weir application reads and writes. */
public record TopicNames(String videoFrames, String videoTokens, String videoDecoded, String deadLetters) {

    public List<String> all() {
        return List.of(videoFrames, videoTokens, videoDecoded, deadLetters);
    }

    /** The topics Weir writes good records to (token batches and decoded media). */
    public List<String> outputs() {
        return List.of(videoTokens, videoDecoded);
    }
}
