package dev.weir.codec.text;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The byte-pair encodings a {@link TextTokenizer} offers: OpenAI's vocabularies, with ids identical to
 * tiktoken's (computed by JTokkit).
 */
public enum BpeEncoding {

    /** GPT-3.5 / GPT-4 vocabulary (100,256 ranks), the default. */
    CL100K_BASE("cl100k_base"),
    /** GPT-4o vocabulary (about 200,000 ranks). */
    O200K_BASE("o200k_base");

    private final String encodingName;

    BpeEncoding(String encodingName) {
        this.encodingName = encodingName;
    }

    /** tiktoken's name of the encoding, for example {@code cl100k_base}. */
    public String encodingName() {
        return encodingName;
    }

    /**
     * The encoding named {@code name} (tiktoken's name, case-insensitive).
     *
     * @throws IllegalArgumentException naming the known encodings when there is none of that name
     */
    public static BpeEncoding parse(String name) {
        for (BpeEncoding e : values()) {
            if (e.encodingName.equalsIgnoreCase(name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown BPE encoding '" + name + "'; known: "
                + Arrays.stream(values()).map(BpeEncoding::encodingName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return encodingName.toLowerCase(Locale.ROOT);
    }
}
