package dev.weir.codec.text;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.text.internals.Words;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The word split the cache and templates rest on: the words concatenate to the message, and the BPE ids
 * of the message are the ids of its words, concatenated (so a template field's ids are exactly the
 * message's ids at those positions).
 */
class WordsTest {

    @Test
    void splitsBeforeABlankThatFollowsANonSpaceCharacter() {
        // given a line with single and double spaces, a tab, leading and trailing blanks and a CRLF end
        String line = "  status  half-configured\tlibc6:amd64 2.36 \r";

        // when split
        String[] words = Words.split(line);

        // then each word is its leading blanks and the text up to the next blank after a non-space
        assertArrayEquals(new String[] {"  status", "  half-configured", "\tlibc6:amd64", " 2.36", " \r"}, words);
        assertEquals(line, String.join("", words));
        assertEquals(0, Words.split("").length);
    }

    @Test
    void lineEndsAndNonBreakingSpacesNeverSplit() {
        assertArrayEquals(new String[] {"end.\nNext", " line\u00a0 x"}, Words.split("end.\nNext line\u00a0 x"));
    }

    @ParameterizedTest
    @EnumSource(BpeEncoding.class)
    void idsOfEveryLineAreTheIdsOfItsWords(BpeEncoding encoding) {
        // given every line of both bundled excerpts, and each excerpt whole
        TextTokenizer tokenizer = TextTokenizer.of(encoding);
        List<String> texts = new ArrayList<>(TextSamples.lines(TextSamples.JARGON_EXCERPT));
        texts.addAll(TextSamples.lines(TextSamples.DPKG_EXCERPT));
        texts.add(TextSamples.read(TextSamples.JARGON_EXCERPT));
        texts.add(TextSamples.read(TextSamples.DPKG_EXCERPT));

        for (String text : texts) {
            // then the ids of the words, concatenated, are the ids of the text
            assertArrayEquals(tokenizer.encode(text), concat(tokenizer, Words.split(text)), text);
        }
    }

    @ParameterizedTest
    @EnumSource(BpeEncoding.class)
    void idsOfRandomTextAreTheIdsOfItsWords(BpeEncoding encoding) {
        // given 1,500 random strings over blanks, line ends, Unicode spaces, punctuation, digits, letters,
        // contractions, accents, CJK and emoji (seeded)
        String[] alphabet = {" ", " ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u2009", "\u3000", "a", "Z", "word",
                "The", "'s", "'LL", "7", "123456", ".", ",", "...", "!?", "-", "_", "/", ":", "\"", "(", ")", "é", "ß",
                "日本語", "\uD83D\uDE00", "\u0301", "<|endoftext|>", "\u000b", "\u0085", "\u200b"};
        Random random = new Random(12);
        TextTokenizer tokenizer = TextTokenizer.of(encoding);
        for (int n = 0; n < 1500; n++) {
            StringBuilder s = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) {
                s.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = s.toString();

            // then the split loses nothing and the ids agree
            String[] words = Words.split(text);
            assertEquals(text, String.join("", words));
            assertArrayEquals(tokenizer.encode(text), concat(tokenizer, words), () -> "text: " + escape(text));
        }
    }

    @Test
    void anUnpairedSurrogateIsRefused() {
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> Words.split("ok \uD83D then"));
        assertTrue(e.getMessage().contains("unpaired UTF-16 surrogate at char 3"), e.getMessage());
    }

    private static int[] concat(TextTokenizer tokenizer, String[] words) {
        return java.util.Arrays.stream(words).flatMapToInt(w -> java.util.Arrays.stream(tokenizer.encode(w))).toArray();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }
}
