package dev.weir.topology.modality;

import java.util.List;

/** The names of one modality's topics: events in, token batches, decoded media. */
public record ModalityTopicNames(String input, String tokens, String decoded) {

    public List<String> all() {
        return List.of(input, tokens, decoded);
    }
}
