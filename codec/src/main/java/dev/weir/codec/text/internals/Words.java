package dev.weir.codec.text.internals;

import dev.weir.codec.MediaFormatException;

import java.util.Arrays;

/**
 * Splits a message into words that the BPE tokenizer never tokenizes across: a word is a run of
 * blanks (spaces, tabs) followed by everything up to the next blank that follows a non-space character.
 * Concatenated, the words are the message, character for character.
 *
 * <p>Why the ids of a message are the ids of its words, concatenated: tiktoken's pre-tokenizers
 * (the {@code cl100k_base} and {@code o200k_base} patterns) never make a piece that runs from a
 * non-space character into a following space or tab — only line ends may follow punctuation in one
 * piece — and they look ahead, never behind, so a piece starting at a word start is the same in the
 * message and in the word alone. BPE then works inside pieces. So a split at "non-space, then blank"
 * splits nothing the tokenizer joins ({@code WordsTest} checks it on both sample files and on random
 * text). Line ends never split a word, so CRLF and blank lines stay in place.
 */
public final class Words {

    private static final String[] NONE = new String[0];

    private Words() {
    }

    /**
     * The words of {@code text}; none for the empty string.
     *
     * @throws MediaFormatException when {@code text} holds an unpaired UTF-16 surrogate (it has no UTF-8
     *         form, so no token ids)
     */
    public static String[] split(String text) {
        int n = text.length();
        if (n == 0) {
            return NONE;
        }
        String[] words = new String[8];
        int count = 0;
        int start = 0;
        char previous = 'x';
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if ((c == ' ' || c == '\t') && i > 0 && isSolid(previous)) {
                if (count == words.length) {
                    words = Arrays.copyOf(words, count * 2);
                }
                words[count++] = text.substring(start, i);
                start = i;
            } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                if (!Character.isHighSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw new MediaFormatException("text message holds an unpaired UTF-16 surrogate at char " + i
                            + ": it has no UTF-8 form");
                }
                c = text.charAt(++i);
            }
            previous = c;
        }
        if (count == words.length) {
            words = Arrays.copyOf(words, count + 1);
        }
        words[count++] = text.substring(start);
        return count == words.length ? words : Arrays.copyOf(words, count);
    }

    /** Not white space under any of Java's, Unicode's or the pre-tokenizers' definitions. */
    static boolean isSolid(char c) {
        if (c > ' ' && c < 0x7f) {
            return true;
        }
        return c > 0xa0 && !Character.isWhitespace(c) && !Character.isSpaceChar(c) && c != 0x180e && c != 0x200b
                && c != 0xfeff;
    }

    /** Whether {@code word} holds what makes it an identifier or a number (see {@link WordPruner}). */
    static boolean isIdentifier(String word) {
        int n = word.length();
        for (int i = 0; i < n; i++) {
            char c = word.charAt(i);
            if (Character.isDigit(c) || c == '_' || c == '/' || c == '\\' || c == '@' || c == '#') {
                return true;
            }
            if ((c == '.' || c == ':') && i > 0 && i + 1 < n && Character.isLetterOrDigit(word.charAt(i - 1))
                    && Character.isLetterOrDigit(word.charAt(i + 1))) {
                return true;
            }
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(word.charAt(i - 1))) {
                return true;
            }
        }
        return false;
    }
}
