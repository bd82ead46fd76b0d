package dev.weir.topology;

import dev.weir.topology.modality.ModalityTopicNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The topics a Weir application reads and writes: each enabled modality's input, token and decoded topics,
 * and the dead letters they share.
 *
 * @param modalities  the topics of each enabled modality, by modality name, in the order they are enabled
 * @param deadLetters the dead-letter topic
 */
public record TopicNames(Map<String, ModalityTopicNames> modalities, String deadLetters) {

    public TopicNames {
        modalities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modalities));
    }

    /** The topics of {@code modality}, which must be enabled. */
    public ModalityTopicNames of(String modality) {
        ModalityTopicNames names = modalities.get(modality);
        if (names == null) {
            throw new IllegalArgumentException("modality '" + modality + "' is not enabled (" + WeirConfig.MODALITIES
                    + " = " + String.join(",", modalities.keySet()) + ")");
        }
        return names;
    }

    /** Every topic, inputs first. */
    public List<String> all() {
        List<String> all = new ArrayList<>();
        modalities.values().forEach(m -> all.addAll(m.all()));
        all.add(deadLetters);
        return all;
    }

    /** The topics Weir writes good records to (token batches and decoded media). */
    public List<String> outputs() {
        List<String> outputs = new ArrayList<>();
        modalities.values().forEach(m -> {
            outputs.add(m.tokens());
            outputs.add(m.decoded());
        });
        return outputs;
    }
}
