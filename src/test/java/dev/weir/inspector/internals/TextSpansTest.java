package dev.weir.inspector.internals;

import dev.weir.codec.text.BpeEncoding;
import dev.weir.codec.text.TextTokenizer;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextSpansTest {

    static final TextTokenizer CL100K = TextTokenizer.of(BpeEncoding.CL100K_BASE);

    @Test
    void idsSentAndIdsFromATemplateBecomeRunsOfTheirCharacters() {
        // given a message whose first ids came from a template and whose last id was sent
        String text = "2025-06-24 14:36:25 status installed libbar:amd64";
        int[] ids = CL100K.encode(text);
        BitSet sent = new BitSet();
        sent.set(ids.length - 1);

        // when it is cut into spans
        List<TextSpans.Span> spans = TextSpans.of(text, ids, CL100K, sent, TextSpans.TEMPLATE);

        // then the spans are the message, the template part first, the sent id last
        assertEquals(text, String.join("", spans.stream().map(TextSpans.Span::text).toList()));
        assertEquals(2, spans.size());
        assertEquals(TextSpans.TEMPLATE, spans.get(0).fate());
        assertEquals(TextSpans.SENT, spans.get(1).fate());
        assertEquals(new String(CL100K.decodeBytes(ids, ids.length - 1, 1), java.nio.charset.StandardCharsets.UTF_8), spans.get(1).text());
    }

    @Test
    void aCharacterSplitAcrossTokensGoesToTheTokenItStartsInAndNothingIsLost() {
        // given text with emoji and accents (ids that hold parts of a character), every other id sent
        String text = "naïve café 🎉🎉 déjà vu 😀";
        int[] ids = CL100K.encode(text);
        BitSet sent = new BitSet();
        for (int i = 0; i < ids.length; i += 2) {
            sent.set(i);
        }

        // when
        List<TextSpans.Span> spans = TextSpans.of(text, ids, CL100K, sent, TextSpans.CACHED);

        // then the characters are all there, in order, and runs alternate
        assertEquals(text, String.join("", spans.stream().map(TextSpans.Span::text).toList()));
        for (int i = 1; i < spans.size(); i++) {
            assertTrue(!spans.get(i).fate().equals(spans.get(i - 1).fate()), "runs of one fate are merged: " + spans);
        }
    }

    @Test
    void idsThatAreNotTheMessagesShowItPlain() {
        String text = "hello world";
        List<TextSpans.Span> spans = TextSpans.of(text, CL100K.encode("hello"), CL100K, new BitSet(), TextSpans.CACHED);
        assertEquals(List.of(new TextSpans.Span(text, TextSpans.SENT)), spans);
    }
}
