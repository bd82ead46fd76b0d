package dev.weir.codec.text;

import dev.weir.codec.Encoded;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;
import dev.weir.codec.TokenPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lossless text codec: exact round trips, cache references, templates and the packet mapping. */
class TextCodecTest {

    private static final String LOG_1 = "2025-06-24 14:36:25 status installed libfoo:amd64 1.2-3";
    private static final String LOG_2 = "2025-06-24 14:36:25 status installed libbar:amd64 1.2-3";

    @ParameterizedTest
    @EnumSource(BpeEncoding.class)
    void everyLineOfBothSamplesDecodesExactly(BpeEncoding encoding) {
        // given both excerpts as line messages, through one encoder and one decoder per file
        for (List<String> lines : List.of(TextSamples.lines(TextSamples.DPKG_EXCERPT),
                TextSamples.lines(TextSamples.JARGON_EXCERPT))) {
            TextEncoder encoder = TextEncoder.create(encoding, TextCompressionConfig.defaults());
            TextDecoder decoder = TextDecoder.create(encoding, TextCompressionConfig.defaults());
            TextTokenizer tokenizer = TextTokenizer.of(encoding);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                // when encoded and decoded
                Encoded<TextLayout> encoded = encoder.encode(i, line);
                // then the decoder returns the line exactly, and the packet is consistent with the full ids
                assertEquals(line, decoder.decode(encoded.layout(), encoded.packet()), "line " + i);
                assertPacketMatchesFullIds(tokenizer.encode(line), encoded);
            }
        }
    }

    @Test
    void edgeCasesRoundTripExactlyAndRepeatsComeFromTheCache() {
        // given awkward messages, each sent twice
        List<String> messages = List.of("", " ", "\t \t", "\r\n", "line with CRLF\r", "  leading and trailing  ",
                "naïve café ☕ 日本語 \uD83D\uDE00 e\u0301", "<|endoftext|> is data", "tab\tseparated\tvalues 1\t2",
                "a".repeat(10_000) + " " + "word ".repeat(10_000), "\u00a0nbsp\u2009thin\u3000ideographic");
        TextEncoder encoder = TextEncoder.create();
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults());
        int seq = 0;
        for (String m : messages) {
            for (int pass = 0; pass < 2; pass++) {
                // when encoded and decoded
                Encoded<TextLayout> encoded = encoder.encode(seq++, m);
                // then the text is exact, and a short repeat (but the empty one) is a cache reference carrying no token
                assertEquals(m, decoder.decode(encoded.layout(), encoded.packet()));
                assertPacketMatchesFullIds(TextTokenizer.of(BpeEncoding.CL100K_BASE).encode(m), encoded);
                if (pass == 1 && !m.isEmpty() && m.length() < 1000) {
                    assertEquals(TextLayout.Kind.CACHED, encoded.layout().kind(), m);
                    assertEquals(0, encoded.packet().tokens().length);
                }
            }
        }
    }

    @Test
    void anExactRepeatIsACacheReferenceWithNoTokens() {
        // given an encoder that has sent LOG_1 (a literal that teaches template 0) and LOG_2
        TextEncoder encoder = TextEncoder.create();
        Encoded<TextLayout> first = encoder.encode(0, LOG_1);
        encoder.encode(1, LOG_2);

        // when LOG_1 comes again
        Encoded<TextLayout> repeat = encoder.encode(2, LOG_1);

        // then the first was a keyframe literal of all 25 tiktoken ids, teaching template 0
        assertEquals(TextLayout.literal(0, false), first.layout());
        assertTrue(first.packet().keyframe());
        assertArrayEquals(TextTokenizer.of(BpeEncoding.CL100K_BASE).encode(LOG_1), first.packet().tokens());
        // and the repeat is the cached message of age 1 (LOG_2 entered after it): no token, all 25 positions reused
        assertEquals(TextLayout.cached(1, false), repeat.layout());
        TokenPacket p = repeat.packet();
        assertEquals(25, p.positionsTotal());
        assertEquals(0, p.tokens().length);
        assertArrayEquals(IntStream.range(0, 25).toArray(), p.reusedPositions());
        assertFalse(p.keyframe());
    }

    @Test
    void aNearDuplicateSendsOnlyTheChangedTokensOfItsField() {
        // given an encoder that learned a template from LOG_1
        TextEncoder encoder = TextEncoder.create();
        encoder.encode(0, LOG_1);

        // when LOG_2 differs in one word (" libfoo:amd64" -> " libbar:amd64")
        Encoded<TextLayout> encoded = encoder.encode(1, LOG_2);

        // then it is template 0 (age 0: the newest) whose word 4 becomes variable; the field keeps " lib" before and ":amd64" after
        // and sends the one id of "bar" (2308), at position 15 of the message's 25 ids
        assertEquals(TextLayout.template(0, new int[] {4}, new int[] {1}, new int[] {1}, new int[] {3}, new int[] {-1},
                false), encoded.layout());
        assertArrayEquals(new int[] {2308}, encoded.packet().tokens());
        assertArrayEquals(new int[] {15}, encoded.packet().positions());
        assertEquals(25, encoded.packet().positionsTotal());
        assertEquals(24, encoded.packet().reusedPositions().length);
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults());
        decoder.decode(TextLayout.literal(0, false), encoder(LOG_1).packet());
        assertEquals(LOG_2, decoder.decode(encoded.layout(), encoded.packet()));
    }

    @Test
    void theLogSampleSendsUnderAFifthOfItsTokensAndProseNeverMore() {
        // given both excerpts through default codecs
        Totals log = totals(TextSamples.lines(TextSamples.DPKG_EXCERPT), TextCompressionConfig.defaults());
        Totals prose = totals(TextSamples.lines(TextSamples.JARGON_EXCERPT), TextCompressionConfig.defaults());

        // then the pinned counts: the log keeps 722 of 3,955 ids (18.3%), the prose 798 of 1,083 (its table
        // repeats lines), and no message ever sends more ids than its literal
        assertEquals(3955, log.full);
        assertEquals(722, log.emitted);
        assertEquals(1083, prose.full);
        assertEquals(798, prose.emitted);
        assertEquals(0, log.moreThanLiteral + prose.moreThanLiteral);
    }

    @Test
    void wordsWithoutDigitsTeachATemplateOnlyWhenTheirShapeComesBack() {
        // given three prose-like messages of one shape (4 words, leading words "the quick") and no digits
        TextEncoder encoder = TextEncoder.create();

        // when they come one after the other
        TextLayout first = encoder.encode(0, "the quick brown fox").layout();
        TextLayout second = encoder.encode(1, "the quick brown cat").layout();
        TextLayout third = encoder.encode(2, "the quick brown dog").layout();

        // then the doorkeeper lets the second teach template 0, which the third uses; a line with a digit
        // teaches at once
        assertEquals(TextLayout.literal(-1, false), first);
        assertEquals(TextLayout.literal(0, false), second);
        assertEquals(TextLayout.Kind.TEMPLATE, third.kind());
        assertEquals(0, third.ref());
        assertEquals(TextLayout.literal(1, false), encoder.encode(3, "worker 7 started").layout());
    }

    @Test
    void withTheCacheOffEveryMessageIsAKeyframeLiteral() {
        TextEncoder encoder = TextEncoder.create(BpeEncoding.CL100K_BASE, TextCompressionConfig.none());
        encoder.encode(0, LOG_1);
        Encoded<TextLayout> again = encoder.encode(1, LOG_1);
        assertEquals(TextLayout.literal(-1, false), again.layout());
        assertTrue(again.packet().keyframe());
        assertEquals(25, again.packet().tokens().length);
    }

    @Test
    void tinyBoundsEvictOnBothSidesAlikeAndStayLossless() {
        // given bounds far below the sample's needs: 2 cached messages, 2 templates
        TextCompressionConfig tiny = TextCompressionConfig.defaults().withCacheBounds(2, 200).withTemplateBounds(2, 1024);
        List<String> lines = TextSamples.lines(TextSamples.DPKG_EXCERPT);

        // when the log goes through
        Totals t = totals(lines, tiny);

        // then templates were learned again after eviction (more than the bound), every line still decodes exactly
        // (totals() asserts it), and the tiny cache costs tokens against the defaults
        assertTrue(t.learned > 2, "learned " + t.learned);
        assertTrue(t.emitted > 722, "emitted " + t.emitted);
    }

    @Test
    void aPacketOutOfSyncIsRefusedAndLeavesTheDecoderAsItWas() {
        // given a decoder in the middle of a stream
        TextEncoder encoder = TextEncoder.create();
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults());
        Encoded<TextLayout> first = encoder.encode(0, LOG_1);
        decoder.decode(first.layout(), first.packet());
        byte[] before = decoder.snapshot();

        // when it gets references it cannot have, or ids that are not valid UTF-8 together
        TokenPacket empty = new TokenPacket(1, false, 25, 1, new int[0], new int[0], new int[0], 0, 0, 0);
        MediaFormatException cache = assertThrows(MediaFormatException.class,
                () -> decoder.decode(TextLayout.cached(7, false), empty));
        MediaFormatException template = assertThrows(MediaFormatException.class, () -> decoder.decode(
                TextLayout.template(9, new int[0], new int[0], new int[0], new int[0], new int[0], false), empty));
        int[] halfEmoji = {9468};
        TokenPacket broken = new TokenPacket(1, true, 1, 1, new int[] {0}, halfEmoji, new int[0], 0, 1, 0);
        MediaFormatException utf8 = assertThrows(MediaFormatException.class,
                () -> decoder.decode(TextLayout.literal(-1, false), broken));

        // then each error says why, and the state is unchanged: the stream goes on exactly
        assertTrue(cache.getMessage().contains("cached message of age 7 is not in the decoder's cache"),
                cache.getMessage());
        assertTrue(template.getMessage().contains("template of age 9 is not in the decoder's templates"),
                template.getMessage());
        assertTrue(utf8.getMessage().contains("not valid UTF-8"), utf8.getMessage());
        assertArrayEquals(before, decoder.snapshot());
        Encoded<TextLayout> second = encoder.encode(1, LOG_2);
        assertEquals(LOG_2, decoder.decode(second.layout(), second.packet()));
    }

    @Test
    void oversizedMessagesAndUnpairedSurrogatesAreRefusedWithoutChangingState() {
        // given an encoder limited to 64 bytes per message, after one message
        TextEncoder encoder = TextEncoder.create(BpeEncoding.CL100K_BASE,
                TextCompressionConfig.defaults().withMaxMessageBytes(64));
        encoder.encode(0, "hello");
        byte[] before = encoder.snapshot();

        // when a message of 22 chars but 66 UTF-8 bytes, one of 65 ASCII chars, and a broken surrogate come
        MediaFormatException wide = assertThrows(MediaFormatException.class, () -> encoder.encode(1, "€".repeat(22)));
        MediaFormatException long_ = assertThrows(MediaFormatException.class, () -> encoder.encode(1, "x".repeat(65)));
        MediaFormatException surrogate = assertThrows(MediaFormatException.class, () -> encoder.encode(1, "a \uDE00"));

        // then each is refused with both sizes or the reason, and nothing changed
        assertTrue(wide.getMessage().contains("66 bytes exceeds the limit of 64"), wide.getMessage());
        assertTrue(long_.getMessage().contains("65 characters (at least as many UTF-8 bytes) exceeds the limit of 64"),
                long_.getMessage());
        assertTrue(surrogate.getMessage().contains("unpaired UTF-16 surrogate"), surrogate.getMessage());
        assertArrayEquals(before, encoder.snapshot());
    }

    @Test
    void aPacketThatWouldDecodeAboveTheMessageLimitIsRefusedWithoutChangingState() {
        // given a decoder limited to 64 bytes per message, after one message, and a token of more than 64 bytes
        TextCompressionConfig config = TextCompressionConfig.defaults().withMaxMessageBytes(64);
        TextEncoder encoder = TextEncoder.create(BpeEncoding.CL100K_BASE, config);
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, config);
        Encoded<TextLayout> first = encoder.encode(0, "hello");
        decoder.decode(first.layout(), first.packet());
        byte[] before = decoder.snapshot();
        TextTokenizer bpe = TextTokenizer.of(BpeEncoding.CL100K_BASE);
        int wide = IntStream.range(0, bpe.vocabularySize()).filter(id -> bpe.decodeBytes(new int[] {id}, 0, 1).length > 64)
                .findFirst().orElseThrow();

        // when a literal of 65 ids comes (more ids than the limit has bytes), and one of that single wide token
        int[] many = new int[65];
        MediaFormatException count = assertThrows(MediaFormatException.class, () -> decoder.decode(TextLayout.literal(-1, false),
                new TokenPacket(1, true, many.length, 1, IntStream.range(0, many.length).toArray(), many, new int[0], 0, many.length, 0)));
        MediaFormatException bytes = assertThrows(MediaFormatException.class, () -> decoder.decode(TextLayout.literal(-1, false),
                new TokenPacket(1, true, 1, 1, new int[] {0}, new int[] {wide}, new int[0], 0, 1, 0)));

        // then both are too large, saying why, and the state is unchanged: the stream goes on exactly
        assertInstanceOf(MediaTooLargeException.class, count);
        assertTrue(count.getMessage().contains("text packet of 65 tokens"), count.getMessage());
        assertInstanceOf(MediaTooLargeException.class, bytes);
        assertTrue(bytes.getMessage().contains("the message would be above the limit of 64 bytes"), bytes.getMessage());
        assertArrayEquals(before, decoder.snapshot());
        Encoded<TextLayout> second = encoder.encode(1, "hello again");
        assertEquals("hello again", decoder.decode(second.layout(), second.packet()));
    }

    /** Totals of one stream through a fresh encoder and decoder; asserts every message decodes exactly. */
    record Totals(long full, long emitted, long learned, long moreThanLiteral) {
    }

    static Totals totals(List<String> messages, TextCompressionConfig config) {
        TextEncoder encoder = TextEncoder.create(BpeEncoding.CL100K_BASE, config);
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, config);
        long full = 0;
        long emitted = 0;
        long learned = 0;
        long more = 0;
        for (int i = 0; i < messages.size(); i++) {
            Encoded<TextLayout> e = encoder.encode(i, messages.get(i));
            assertEquals(messages.get(i), decoder.decode(e.layout(), e.packet()), "message " + i);
            full += e.packet().positionsTotal();
            emitted += e.packet().tokens().length;
            learned += e.layout().learnedTemplate() >= 0 ? 1 : 0;
            more += e.packet().tokens().length > e.packet().positionsTotal() ? 1 : 0;
        }
        return new Totals(full, emitted, learned, more);
    }

    /**
     * The mapping of docs/text.md: positionsTotal = the message's id count; the sent ids are the message's
     * ids at {@code positions}; positions and reusedPositions partition [0, positionsTotal).
     */
    static void assertPacketMatchesFullIds(int[] full, Encoded<TextLayout> encoded) {
        TokenPacket p = encoded.packet();
        assertEquals(full.length, p.positionsTotal());
        assertEquals(1, p.tokensPerPosition());
        for (int k = 0; k < p.positions().length; k++) {
            assertEquals(full[p.positions()[k]], p.tokens()[k], "id at position " + p.positions()[k]);
        }
        List<Integer> all = new ArrayList<>();
        Arrays.stream(p.positions()).forEach(all::add);
        Arrays.stream(p.reusedPositions()).forEach(all::add);
        all.sort(null);
        assertEquals(IntStream.range(0, full.length).boxed().toList(), all);
        assertEquals(p.keyframe(), encoded.layout().kind() == TextLayout.Kind.LITERAL);
    }

    private static Encoded<TextLayout> encoder(String message) {
        return TextEncoder.create().encode(0, message);
    }
}
