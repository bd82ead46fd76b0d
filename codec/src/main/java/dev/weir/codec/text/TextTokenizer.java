package dev.weir.codec.text;

import dev.weir.codec.TokenizerRef;
import dev.weir.codec.text.internals.JTokkitTokenizer;

/**
 * A byte-pair-encoding tokenizer with OpenAI's vocabularies: text to token ids and back. Ordinary
 * encoding only: text that looks like a special token ({@code <|endoftext|>}) is plain data and is
 * encoded like any other text, never as a control token. Instances are immutable and thread-safe.
 */
public interface TextTokenizer {

    /** The shared tokenizer of {@code encoding} (the vocabulary is loaded once per JVM). */
    static TextTokenizer of(BpeEncoding encoding) {
        return JTokkitTokenizer.of(encoding);
    }

    BpeEncoding encoding();

    /**
     * Names the tokenizer in every packet: id {@code bpe-<encoding>}, the codec's layout version, and the
     * SHA-256 of the vocabulary file (the same file tiktoken downloads, so the hash equals tiktoken's
     * {@code expected_hash}).
     */
    TokenizerRef ref();

    /** The ids of {@code text}, exactly tiktoken's {@code encode_ordinary(text)}. */
    int[] encode(String text);

    /** How many ids {@link #encode(String)} returns, without keeping them. */
    int count(String text);

    /**
     * The bytes of {@code length} ids starting at {@code ids[from]}, concatenated (a token may hold part
     * of a UTF-8 character; only a whole message's bytes are guaranteed valid UTF-8).
     *
     * @throws dev.weir.codec.MediaFormatException when an id is not in the vocabulary
     */
    byte[] decodeBytes(int[] ids, int from, int length);

    /** Number of ranks in the vocabulary: every valid id is below it. */
    int vocabularySize();
}
