package dev.weir.codec;

import java.util.Objects;

/**
 * Names exactly which tokenizer produced a {@link TokenPacket}: its family, the version of its
 * algorithm and the hash of the codebook or vocabulary it used. Two packets carry comparable token
 * ids only when their refs are equal. Mirrors the Avro {@code TokenizerRef}.
 *
 * @param id           tokenizer family, for example {@code video-patch-dcvq}
 * @param version      version of the algorithm; token ids are not comparable across versions
 * @param codebookHash hex SHA-256 of the codebook artifact, empty where the tokenizer has none
 */
public record TokenizerRef(String id, String version, String codebookHash) {

    public TokenizerRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(codebookHash, "codebookHash");
    }
}
