package dev.weir.codec.text.internals;

import dev.weir.codec.text.TextTokenizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of single words ({@link Words}), memoized: most words of a stream repeat (Zipf), and a hash
 * lookup is cheaper than the tokenizer's pre-tokenization and byte-pair merges. A pure function cache,
 * shared (thread-safe) by every codec of one tokenizer so that many streams do not each hold one: it
 * changes no output, is not part of any snapshot, and is bounded (cleared when it reaches
 * {@value #MAX_ENTRIES} words, a few MB; words longer than {@value #MAX_WORD_CHARS} characters are not kept).
 */
public final class WordTokens {

    static final int MAX_ENTRIES = 1 << 16;
    static final int MAX_WORD_CHARS = 48;
    private static final Map<TextTokenizer, WordTokens> SHARED = new ConcurrentHashMap<>();

    private final TextTokenizer tokenizer;
    private final ConcurrentHashMap<String, int[]> memo = new ConcurrentHashMap<>(1 << 12);

    private WordTokens(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The memo shared by every codec of {@code tokenizer}. */
    static WordTokens shared(TextTokenizer tokenizer) {
        return SHARED.computeIfAbsent(tokenizer, WordTokens::new);
    }

    /** Empties every shared memo (an evaluation does it before each cold round). */
    public static void clearShared() {
        SHARED.values().forEach(w -> w.memo.clear());
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

    /** The ids of each of {@code words} (shared arrays: do not modify). */
    int[][] ofAll(String[] words) {
        int[][] ids = new int[words.length][];
        for (int i = 0; i < words.length; i++) {
            ids[i] = of(words[i]);
        }
        return ids;
    }

    TextTokenizer tokenizer() {
        return tokenizer;
    }
}
