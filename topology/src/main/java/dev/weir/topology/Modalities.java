package dev.weir.topology;

import dev.weir.topology.modality.Modality;
import dev.weir.topology.audio.AudioModality;
import dev.weir.topology.text.TextModality;
import dev.weir.topology.video.VideoModality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The modalities Weir brings, by name, and the ones a configuration enables ({@value WeirConfig#MODALITIES}). */
public final class Modalities {

    private static final Map<String, Supplier<Modality<?, ?, ?, ?>>> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put(VideoModality.NAME, VideoModality::new);
        BUILT_IN.put(AudioModality.NAME, AudioModality::new);
        BUILT_IN.put(TextModality.NAME, TextModality::new);
    }

    private Modalities() {
    }

    /** The names of Weir's own modalities. */
    public static List<String> names() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /** Weir's own modality called {@code name}. */
    public static Modality<?, ?, ?, ?> named(String name) {
        Supplier<Modality<?, ?, ?, ?>> modality = BUILT_IN.get(name);
        if (modality == null) {
            throw new IllegalArgumentException("unknown modality '" + name + "' in " + WeirConfig.MODALITIES + ": Weir has "
                    + String.join(", ", BUILT_IN.keySet()));
        }
        return modality.get();
    }

    /** The modalities {@code config} enables, in its order. */
    public static List<Modality<?, ?, ?, ?>> enabled(WeirConfig config) {
        List<Modality<?, ?, ?, ?>> enabled = new ArrayList<>();
        for (String name : enabledNames(config)) {
            enabled.add(named(name));
        }
        return enabled;
    }

    static List<String> enabledNames(WeirConfig config) {
        List<String> names = Arrays.stream(config.get(WeirConfig.MODALITIES).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException(WeirConfig.MODALITIES + " names no modality: use some of " + String.join(",", BUILT_IN.keySet()));
        }
        return names;
    }
}
