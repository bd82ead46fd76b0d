package dev.weir.inspector.internals;

import dev.weir.codec.text.TextTokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A decoded message cut into runs of characters by where their token ids came from: {@code sent} (in the batch), or
 * served by the decoder's state: {@code cached} (a repeated message, from the message cache) or {@code template}
 * (a template's constant words and the kept parts of its fields). The ids are the message's own (tiktoken's
 * {@code encode_ordinary}, the positions of the batch); a token that ends inside a character gives the character to
 * the token it starts in.
 */
public final class TextSpans {

    /** One run of characters and where its ids came from. */
    public record Span(String text, String fate) {
    }

    public static final String SENT = "sent";
    public static final String CACHED = "cached";
    public static final String TEMPLATE = "template";

    private TextSpans() {
    }

    /**
     * The spans of {@code text}, whose ids are {@code ids}: ids in {@code sent} are {@value #SENT}, the others
     * {@code reusedFate}.
     */
    public static List<Span> of(String text, int[] ids, TextTokenizer tokenizer, BitSet sent, String reusedFate) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // the UTF-8 offset of every char index (and of the end)
        int[] byteAt = new int[text.length() + 1];
        int b = 0;
        for (int i = 0; i < text.length(); i++) {
            byteAt[i] = b;
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                byteAt[++i] = b; // the low surrogate belongs to the same code point
                b += 4;
            } else {
                b += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        byteAt[text.length()] = b;
        if (b != utf8.length) {
            return List.of(new Span(text, SENT));
        }
        List<Span> spans = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        String runFate = null;
        int bytes = 0;
        for (int t = 0; t < ids.length; t++) {
            int from = charIndex(byteAt, bytes);
            bytes += tokenizer.decodeBytes(ids, t, 1).length;
            int to = charIndex(byteAt, bytes);
            if (to <= from) {
                continue; // the token ends inside a character that the token before it started
            }
            String fate = sent.get(t) ? SENT : reusedFate;
            if (runFate != null && !fate.equals(runFate)) {
                spans.add(new Span(run.toString(), runFate));
                run.setLength(0);
            }
            run.append(text, from, to);
            runFate = fate;
        }
        if (bytes != utf8.length) {
            return List.of(new Span(text, SENT)); // not this message's ids: show it plain
        }
        if (!run.isEmpty()) {
            spans.add(new Span(run.toString(), runFate));
        }
        return spans;
    }

    /** The first char index whose UTF-8 offset is at least {@code bytes}. */
    private static int charIndex(int[] byteAt, int bytes) {
        int lo = 0, hi = byteAt.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (byteAt[mid] < bytes) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
