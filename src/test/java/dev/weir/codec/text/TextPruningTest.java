package dev.weir.codec.text;

import dev.weir.codec.Encoded;
import dev.weir.codec.text.internals.Words;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The opt-in lossy pruner: budget, protected words, exact accounting, determinism. */
class TextPruningTest {

    private static final TextCompressionConfig HALF = TextCompressionConfig.defaults()
            .withPruning(new TextCompressionConfig.Pruning.Keep(0.5));

    @Test
    void proseKeepsAboutTheBudgetAndDropsOnlyWholeUnprotectedWords() {
        // given the prose excerpt twice (the second pass sees counts of the first), keeping half of the tokens
        List<String> lines = TextSamples.lines(TextSamples.JARGON_EXCERPT);
        TextEncoder encoder = TextEncoder.create(BpeEncoding.CL100K_BASE, HALF);
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, HALF);
        TextTokenizer tokenizer = TextTokenizer.of(BpeEncoding.CL100K_BASE);
        long original = 0;
        long kept = 0;
        long pruned = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                // when each line is pruned, cached and decoded
                Encoded<TextLayout> e = encoder.encode(i, line);
                String decoded = decoder.decode(e.layout(), e.packet());
                int full = tokenizer.encode(line).length;
                int decodedCount = tokenizer.encode(decoded).length;

                // then the decoded text is the pruned message: its ids are positionsTotal, plus the dropped ones
                // make the original's; the layout says so whenever something was dropped
                assertEquals(decodedCount, e.packet().positionsTotal());
                assertEquals(full, decodedCount + e.packet().prunedCount(), line);
                assertEquals(e.packet().prunedCount() > 0, e.layout().pruned());
                assertKeptWordsInOrderWithEveryProtectedOne(line, decoded);
                original += full;
                kept += decodedCount;
                pruned += e.packet().prunedCount();
            }
        }
        // and over the stream about half the ids are kept (protected words and rounding keep a little more)
        assertTrue(pruned > 0);
        double share = (double) kept / original;
        assertTrue(share > 0.5 && share < 0.72, "kept share " + share);
    }

    @Test
    void numbersIdentifiersAndLineStartsSurvive() {
        // given a message full of protected words among filler
        String m = "Then the the the server_name at 10.0.0.1 and the /var/log path and the getValue call and the v2";
        TextEncoder encoder = TextEncoder.create(BpeEncoding.CL100K_BASE,
                TextCompressionConfig.defaults().withPruning(new TextCompressionConfig.Pruning.Keep(0.1)));

        // when pruned to a tenth
        Encoded<TextLayout> e = encoder.encode(0, m);
        String decoded = TextDecoder.create(BpeEncoding.CL100K_BASE, encoder.config()).decode(e.layout(), e.packet());

        // then exactly the first word and the identifiers and numbers are left
        assertEquals("Then server_name 10.0.0.1 /var/log getValue v2", decoded);
    }

    @Test
    void pruningIsDeterministic() {
        List<String> lines = TextSamples.lines(TextSamples.JARGON_EXCERPT);
        TextEncoder a = TextEncoder.create(BpeEncoding.CL100K_BASE, HALF);
        TextEncoder b = TextEncoder.create(BpeEncoding.CL100K_BASE, HALF);
        for (int i = 0; i < lines.size(); i++) {
            TextSnapshotTest.assertSamePacket(a.encode(i, lines.get(i)), b.encode(i, lines.get(i)));
        }
    }

    @Test
    void withoutPruningNothingIsDropped() {
        Encoded<TextLayout> e = TextEncoder.create().encode(0, "the the the the the the the the");
        assertEquals(0, e.packet().prunedCount());
        assertFalse(e.layout().pruned());
    }

    /** The decoded words are a subsequence of the original's, and every protected word is among them. */
    private static void assertKeptWordsInOrderWithEveryProtectedOne(String original, String decoded) {
        String[] all = Words.split(original);
        String[] kept = Words.split(decoded);
        int k = 0;
        for (int i = 0; i < all.length; i++) {
            boolean isProtected = i == 0 || all[i].isBlank() || all[i].matches(".*[0-9_/\\\\@#\\n\\r].*")
                    || all[i].matches(".*[\\p{L}\\p{N}][.:][\\p{L}\\p{N}].*") || all[i].matches(".*\\p{Ll}\\p{Lu}.*");
            if (k < kept.length && kept[k].equals(all[i])) {
                k++;
            } else {
                assertFalse(isProtected, "protected word dropped: '" + all[i] + "' from " + original);
            }
        }
        assertEquals(kept.length, k, "decoded words are not a subsequence: " + decoded);
    }
}
