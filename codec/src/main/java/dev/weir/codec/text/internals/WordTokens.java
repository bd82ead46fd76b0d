package dev.weir.codec.text.internals;

import dev.weir.codec.text.TextTokenizer;

import java.util.HashMap;

/**
 * The ids of single words ({@link Words}), memoized: most words of a stream repeat (Zipf), and a hash
 * lookup is cheaper than the tokenizer's pre-tokenization and byte-pair merges. A pure function cache:
 * it changes no output, is not part of any snapshot, and is bounded (cleared when it reaches
 * {@value #MAX_ENTRIES} words; words longer than {@value #MAX_WORD_CHARS} characters are not kept).
 */
final class WordTokens {

    static final int MAX_ENTRIES = 1 << 15;
    static final int MAX_WORD_CHARS = 48;

    private final TextTokenizer tokenizer;
    private final HashMap<String, int[]> memo = new HashMap<>(1 << 12);

    WordTokens(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The ids of {@code word} (shared: do not modify). */
    int[] of(String word) {
        int[] ids = memo.get(word);
        if (ids != null) {
            return ids;
        }
        ids = tokenizer.encode(word);
        if (word.length() <= MAX_WORD_CHARS) {
            if (memo.size() >= MAX_ENTRIES) {
                memo.clear();
            }
            memo.put(word, ids);
        }
        return ids;
    }

    /** The ids of all {@code words}, concatenated: the ids of the whole text. */
    int[] concat(String[] words) {
        int[][] parts = new int[words.length][];
        int total = 0;
        for (int i = 0; i < words.length; i++) {
            parts[i] = of(words[i]);
            total += parts[i].length;
        }
        int[] all = new int[total];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    TextTokenizer tokenizer() {
        return tokenizer;
    }
}
