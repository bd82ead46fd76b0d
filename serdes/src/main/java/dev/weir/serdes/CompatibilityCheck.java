package dev.weir.serdes;

import java.util.List;

/**
 * The answer to "may this schema be registered under this subject?".
 *
 * @param compatible true when the registry would accept the schema
 * @param messages   why not, as the registry explains it (empty when compatible, or when the registry gave no detail)
 */
public record CompatibilityCheck(boolean compatible, List<String> messages) {
    public CompatibilityCheck {
        messages = List.copyOf(messages);
    }

    public static CompatibilityCheck ok() {
        return new CompatibilityCheck(true, List.of());
    }
}
